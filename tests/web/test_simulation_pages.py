"""Simulation pages on the real stack (web → gateway → billing with its registry and catalogue):
a DSIT user makes one from the form and reads every member's bill against the run, a member's
lines, the exports, and deletes it once confirmed; a member's contact simulates its own
workstations from its dashboard and sees its own bill only."""

from __future__ import annotations

import html
import io
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from tests.billing.upstream import YEAR, Platform, check
from tests.conftest import asgi_client, sync_client
from tests.gateway.helpers import add_account
from tests.web.conftest import sign_in
from web.app import create_app as create_web
from web.settings import WebSettings


@pytest.fixture
def stack(service_app: Any, make_gateway: Any) -> dict[str, Any]:
    """1 000,00 € of payroll over 7 + 5 + 3 + 4 workstations; a forecast run; ludres' contact."""
    platform = Platform(service_app)
    platform.member("grand-nancy", host=True)
    for code in ("laxou", "ludres", "nancy"):
        platform.member(code)
    for code, count in {"grand-nancy": 7, "laxou": 5, "ludres": 3, "nancy": 4}.items():
        platform.workstations(code, count)
    platform.parameters("1000.00")
    check(platform.registry.post("/members/ludres/contacts", json={
        "first_name": "Léa", "last_name": "Martin", "email": "referent@ludres.example",
        "roles": ["it_referent"], "dashboard_access": True}))  # fmt: skip
    platform.run("forecast")
    apps = {
        "registry": platform.registry_app,
        "catalogue": platform.catalogue_app,
        "billing": platform.billing_app,
        "governance": service_app("governance"),
    }
    gateway = make_gateway(apps, registry_client=sync_client(apps["registry"]))
    add_account(gateway, "finance@dsit.test", roles=("finance",))
    add_account(gateway, "referent@ludres.example", kind="contact", roles=())
    web = create_web(
        WebSettings(environment="test"), gateway_transport=httpx.ASGITransport(app=gateway)
    )
    return {"web": web, "platform": platform}


def csrf_of(text: str) -> str:
    return text.split('name="csrf_token" value="')[1].split('"')[0]


async def test_dsit_user_simulates_reads_exports_and_deletes(stack: dict[str, Any]) -> None:
    async with asgi_client(stack["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        listing = await client.get("/facturation/simulations")
        assert listing.status_code == 200
        assert "Aucune simulation enregistrée." in html.unescape(listing.text)
        form = await client.get("/facturation/simulations/nouvelle")
        assert "Plafonnement activé ou désactivé" in html.unescape(form.text)
        run_id = stack["platform"].billing.get("/runs").json()["items"][0]["id"]
        assert f'<option value="{run_id}" >Calcul prévisionnel n° {run_id} de {YEAR}' in (
            html.unescape(form.text)
        )  # the base run may be chosen
        data = {"csrf_token": csrf_of(form.text), "rows": "3", "name": "Ludres à 6 postes",
                "fiscal_year": str(YEAR), "base_run_id": str(run_id), "kind_0": "workstations",
                "member_code_0": "ludres", "value_0": "6"}  # fmt: skip
        more = await client.post("/facturation/simulations", data={**data, "action": "add"})
        assert 'id="modification-3"' in more.text  # one more row, what was typed kept
        assert 'value="ludres"' in more.text
        removal = {"kind_1": "cost_line_remove", "cost_line_id_1": "999", "action": "save"}
        bad = await client.post("/facturation/simulations", data={**data, **removal})
        assert bad.status_code == 422
        assert "n° 999" in html.unescape(bad.text)
        made = await client.post("/facturation/simulations", data={**data, "action": "save"})
        assert made.status_code == 303
        url = made.headers["location"]
        page = html.unescape((await client.get(url)).text)
        assert "Nombre de postes de travail de « ludres » : 6" in page
        assert f"Lien à partager : <code>http://testserver{url}</code>" in page
        ludres_row = page.split('data-member="ludres"')[1].split("</tr>")[0]
        assert "3 → 6" in ludres_row
        assert "157,89\u00a0€" in ludres_row  # base payroll share (hand-computed in
        assert "272,73\u00a0€" in ludres_row  # tests/billing/test_simulation_changes.py)
        assert "114,84\u00a0€" in ludres_row
        assert "-28,71\u00a0€" in page.split('data-member="nancy"')[1].split("</tr>")[0]
        detail = html.unescape((await client.get(f"{url}/adherents/nancy")).text)
        assert "Quote-part de masse salariale" in detail
        assert "210,53\u00a0€" in detail
        xlsx = await client.get(f"{url}/export.xlsx")
        book = load_workbook(io.BytesIO(xlsx.content))
        assert book["Adhérents"]["A1"].value == "Code de l'adhérent"
        assert f'href="{url}/export.pdf"' in page  # the same proxy (the PDF: billing's test)
        asked = await client.get(f"{url}/supprimer")
        assert "Confirmer la suppression" in asked.text
        deleted = await client.post(f"{url}/supprimer", data={"csrf_token": csrf_of(asked.text)})
        assert deleted.status_code == 303
        assert (await client.get(url)).status_code == 404


async def test_a_contact_simulates_its_own_workstations_and_sees_its_own_bill(
    stack: dict[str, Any],
) -> None:
    async with asgi_client(stack["web"]) as client:
        await sign_in(client, "referent@ludres.example")
        board = await client.get("/tableau-de-bord")
        assert 'href="/facturation/simulations"' in board.text
        form = await client.get("/facturation/simulations/nouvelle")
        text = html.unescape(form.text)
        assert "Nombre de postes de travail d'un adhérent" in text
        assert "Enveloppe de masse salariale" not in text  # its own figures only
        assert 'name="member_code_0"' not in text  # always its own member
        made = await client.post("/facturation/simulations", data={
            "csrf_token": csrf_of(form.text), "rows": "3", "name": "Nos 6 postes",
            "fiscal_year": str(YEAR), "kind_0": "workstations", "value_0": "6",
            "action": "save"})  # fmt: skip
        assert made.status_code == 303, made.text
        page = html.unescape((await client.get(made.headers["location"])).text)
        assert 'data-member="ludres"' in page
        assert 'data-member="nancy"' not in page  # another member's bill is not shown
        assert "272,73\u00a0€" in page
    staff = stack["platform"].billing.get("/simulations").json()["items"]
    assert [s["member_code"] for s in staff] == ["ludres"]
