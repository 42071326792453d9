"""The comparison with hiring one's own staff in the web pages: the member's dashboard section
(chart and table, French), the annual report's section, and the back office's forms of the
staffing references (lists, forms re-rendered with French errors, confirmed deletions)."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import httpx
import pytest

from tests.billing.staffing_case import small_case
from tests.billing.upstream import Platform, check
from tests.conftest import asgi_client, sync_client
from tests.gateway.helpers import add_account
from tests.governance.test_annual_report import peer
from tests.web.conftest import sign_in
from web.app import create_app as create_web
from web.settings import WebSettings
from web.views.format import euros

YEAR = dt.date.today().year  # the dashboard shows the current year


@pytest.fixture
async def stack(service_app: Any, make_gateway: Any) -> Any:
    platform = Platform(service_app)
    small_case(platform, YEAR)
    check(
        platform.registry.post(
            "/members/ludres/contacts",
            json={
                "first_name": "Léa",
                "last_name": "Martin",
                "email": "referent@ludres.example",
                "roles": ["it_referent"],
                "dashboard_access": True,
            },
        )
    )
    governance = service_app("governance")
    governance.state.billing_client = peer("billing", platform.billing_app)
    governance.state.registry_client = peer("registry", platform.registry_app)
    apps = {
        "registry": platform.registry_app,
        "catalogue": platform.catalogue_app,
        "billing": platform.billing_app,
        "governance": governance,
    }
    gateway = make_gateway(apps, registry_client=sync_client(platform.registry_app))
    add_account(gateway, "admin@dsit.test")
    add_account(gateway, "referent@ludres.example", kind="contact", roles=())
    web = create_web(
        WebSettings(environment="test"), gateway_transport=httpx.ASGITransport(app=gateway)
    )
    return {"web": web, "platform": platform}


async def test_the_dashboard_and_the_annual_report_compare_the_bill_with_own_staff(
    stack: dict[str, Any],
) -> None:
    before = await _page(stack, "referent@ludres.example", "/tableau-de-bord")
    stack["platform"].run("final", YEAR)
    page = await _page(stack, "referent@ludres.example", "/tableau-de-bord")
    assert page.status_code == 200
    assert "La comparaison avec un recrutement en propre d'informaticiens apparaîtra ici" in (
        html.unescape(before.text)
    )
    text = html.unescape(page.text)
    section = text.split('id="recrutement"')[1].split("</section>")[0]
    assert f"Comparaison avec un recrutement en propre {YEAR}" in section
    assert f'Votre facture {YEAR}</th><td class="num">{euros("1700.00")}' in section
    assert euros("1250.00") in section  # the payroll share
    assert 'Compétences distinctes mobilisées</th><td class="num">2 sur 3' in section
    assert f'Coût d\'un recrutement en propre</th><td class="num">{euros("64000.00")}' in section
    assert 'RSSI</th><td class="num">0,1</td><td class="num">0,5</td>' in section
    assert "0,03 ETP" in section  # 1,700 / 56,000
    assert "Une collectivité ne recrute pas un dixième de RSSI" in section
    # the chart: the own-staff cost is the widest bar, the bill 1,700 / 64,000 of it
    assert 'width="100" height="10" class="dash-neg"' in section
    assert 'width="3" height="10" class="dash-pos"' in section
    assert "<caption>Facture et recrutement en propre (tableau)</caption>" in section
    assert 'href="#recrutement"' in text

    # the annual report's web page has every member's comparison
    report = await _page(stack, "admin@dsit.test", f"/gouvernance/rapport-annuel/{YEAR}")
    assert report.status_code == 200
    shown = html.unescape(report.text)
    part = shown.split('id="rapport-recrutement"')[1].split("</section>")[0]
    assert "7. Comparaison avec un recrutement en propre" in part
    assert f'Ludres</th><td class="num">{euros("1700.00")}' in part
    assert euros("149800.00") in part  # nancy's own staff cost
    assert "calcul définitif" in part


async def test_the_dsit_edits_the_references_through_forms_and_confirms_deletions(
    stack: dict[str, Any],
) -> None:
    async with asgi_client(stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        listing = await client.get("/catalogue/personnel")
        form = await client.get("/catalogue/personnel/profils/nouveau")
        token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        profile = {
            "code": "dpo",
            "label": "DPO",
            "yearly_cost": "64 000,00",
            "reference_year": "2025",
            "min_fte": "0,5",
            "source": "Indicatif (CNFPT)",
            "csrf_token": token,
        }
        bad = await client.post(
            "/catalogue/personnel/profils", data={**profile, "yearly_cost": "beaucoup"}
        )
        taken = await client.post("/catalogue/personnel/profils", data={**profile, "code": "rssi"})
        created = await client.post("/catalogue/personnel/profils", data=profile)
        edited = await client.post(
            "/catalogue/personnel/profils/dpo", data={**profile, "yearly_cost": "65 000,00"}
        )
        need = await client.post(
            "/catalogue/personnel/besoins",
            data={
                "service_code": "securite",
                "profile_code": "dpo",
                "min_workstations": "0",
                "fte": "0,1",
                "csrf_token": token,
            },
        )
        after = await client.get("/catalogue/personnel")
        edit_profile = await client.get("/catalogue/personnel/profils/dpo")
        new_need = await client.get("/catalogue/personnel/besoins/nouveau")
        confirm = await client.get("/catalogue/personnel/profils/rssi/suppression")
        refused = await client.post(
            "/catalogue/personnel/profils/rssi/suppression", data={"csrf_token": token}
        )
        need_id = (
            stack["platform"]
            .catalogue.get("/staffing/needs", params={"profile_code": "dpo"})
            .json()["items"][0]["id"]
        )
        edit_need = await client.get(f"/catalogue/personnel/besoins/{need_id}")
        need_confirm = await client.get(f"/catalogue/personnel/besoins/{need_id}/suppression")
        need_gone = await client.post(
            f"/catalogue/personnel/besoins/{need_id}/suppression", data={"csrf_token": token}
        )
        profile_gone = await client.post(
            "/catalogue/personnel/profils/dpo/suppression", data={"csrf_token": token}
        )
    assert listing.status_code == 200
    shown = html.unescape(listing.text)
    assert "références indicatives et modifiables" in shown
    assert 'href="/catalogue/personnel" aria-current="page">Références de personnel' in shown
    assert euros("80000.00") in shown
    assert bad.status_code == 422
    assert "Écrivez un nombre" in html.unescape(bad.text)
    assert taken.status_code == 422
    assert "Ce code est déjà pris" in html.unescape(taken.text)
    assert (created.status_code, created.headers["location"]) == (303, "/catalogue/personnel?cree")
    assert edited.status_code == 303
    assert need.status_code == 303, need.text
    listed = html.unescape(after.text)
    assert euros("65000.00") in listed
    assert "Sécurité</th><td>DPO</td>" in listed
    assert 'name="yearly_cost" value="65 000,00"' in html.unescape(edit_profile.text)
    assert '<option value="securite" >Sécurité</option>' in html.unescape(new_need.text)
    assert 'name="fte" value="0,1"' in html.unescape(edit_need.text)
    assert "Besoin : DPO pour Sécurité" in html.unescape(edit_need.text)
    assert "Supprimer le profil « RSSI » ?" in html.unescape(confirm.text)
    assert "Cette étape est irréversible" in html.unescape(confirm.text)
    assert refused.status_code == 409
    assert "Le profil « RSSI » est utilisé par 2 besoin(s)" in html.unescape(refused.text)
    assert "Supprimer le besoin de « DPO » pour « Sécurité »" in html.unescape(need_confirm.text)
    assert need_gone.status_code == 303
    assert profile_gone.status_code == 303
    codes = [
        p["code"] for p in stack["platform"].catalogue.get("/staffing/profiles").json()["items"]
    ]
    assert codes == ["ingenieur", "rssi", "technicien"]


async def _page(stack: dict[str, Any], email: str, path: str) -> httpx.Response:
    async with asgi_client(stack["web"]) as client:
        await sign_in(client, email)
        return await client.get(path)
