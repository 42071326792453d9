"""The way back from Hélios on the demo, as `make run` makes it (real processes): the oldest
year's bordereaux were sent and taken, two of its titles paid; an acknowledgement written by
``mutualis acquit-example`` for the two bordereaux left signed (one accepted, one rejected with
an error) changes their titles' states, and a payments import turns a title paid, visible on
its member's dashboard."""

from __future__ import annotations

import html
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Platform

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite]
DEMO_PASSWORD = "mutualis-demo"  # noqa: S105 - the documented demo password


@pytest.fixture(scope="module")
def api(platform: Platform) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=platform.url("gateway"), timeout=120) as client:
        token = client.post(
            "/api/auth/token",
            data={"username": "finance@dsit.example", "password": DEMO_PASSWORD},
        )
        assert token.status_code == 200, token.text
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        yield client


def items(api: httpx.Client, path: str, **params: str) -> list[dict[str, Any]]:
    answer = api.get(path, params={"limit": "500", **params})
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


def test_the_demo_round_trip(api: httpx.Client, platform: Platform) -> None:
    bordereaux = items(api, "/api/billing/bordereaux")
    accepted = [b for b in bordereaux if b["state"] == "accepted"]
    signed = [b for b in bordereaux if b["state"] == "signed"]
    assert len(accepted) == 2  # the oldest year's titles and its reduction
    assert len(signed) == 2  # its complementary title, the next year's titles
    assert {t["state"] for t in items(api, "/api/billing/invoices", state="paid")} == {"paid"}
    assert items(api, "/api/billing/invoices", state="partly_paid")
    ok, ko = sorted(signed, key=lambda b: b["number"])
    specs = [f"{ok['exercice']}:{ok['number']}", f"{ko['exercice']}:{ko['number']}:ERREUR_SIRET"]
    xml = subprocess.run(
        [sys.executable, "-m", "mutualis", "acquit-example", *specs],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    answer = api.post("/api/billing/acquits", content=xml,
                      headers={"Content-Type": "application/xml"})  # fmt: skip
    assert answer.status_code == 201, answer.text
    assert [i["outcome"] for i in answer.json()["report"]["items"]] == ["accepted", "rejected"]
    for bordereau, state in ((ok, "accepted"), (ko, "rejected")):
        for invoice_id in bordereau["invoice_ids"]:
            title = api.get(f"/api/billing/invoices/{invoice_id}").json()
            assert title["state"] == state, title
    rejected = api.get(f"/api/billing/bordereaux/{ko['id']}").json()
    assert rejected["errors"][0]["code"] == "ERREUR_SIRET"
    # the next year's titles: pay one of ludres' in full, and read it on its dashboard
    title = next(
        api.get(f"/api/billing/invoices/{i}").json()
        for i in ko["invoice_ids"] + ok["invoice_ids"]
        if api.get(f"/api/billing/invoices/{i}").json()["member_code"] == "ludres"
    )
    row = f"{title['exercice']};{title['number']};02/12/2026;{title['total'].replace('.', ',')};V1"
    paid = api.post("/api/billing/payments.csv", headers={"Content-Type": "text/csv"},
                    content=f"exercice;titre;date;montant;reference\n{row}\n".encode())  # fmt: skip
    assert paid.status_code == 200, paid.text
    assert len(paid.json()["created"]) == 1
    assert api.get(f"/api/billing/invoices/{title['id']}").json()["state"] == "paid"
    with httpx.Client(base_url=platform.url("web"), timeout=120) as web:
        form = web.get("/connexion")
        token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        signed_in = web.post(
            "/connexion",
            data={
                "email": "referent@ludres.example",
                "password": DEMO_PASSWORD,
                "csrf_token": token,
            },
        )
        assert signed_in.status_code in (200, 303), signed_in.text
        dashboard = html.unescape(web.get("/tableau-de-bord").text)
    table = dashboard.split('id="mes-titres"')[1].split("</table>")[0]
    row = next(r for r in table.split("<tr") if title["reference"] in r)
    assert "<td>Émis</td><td>Payé</td>" in row
