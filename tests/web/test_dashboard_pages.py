"""Mon tableau de bord: a contact reads its member's estimated cost, split and explained, its
projects, actions, indicators and GDPR records, and exports them; never another member's."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from tests.billing.upstream import Platform, check
from tests.conftest import as_admin, asgi_client, sync_client
from tests.gateway.helpers import add_account
from tests.web.conftest import sign_in
from web.app import create_app as create_web
from web.settings import WebSettings
from web.views.format import euros

YEAR = dt.date.today().year


def contact(platform: Platform, code: str) -> None:
    check(
        platform.registry.post(
            f"/members/{code}/contacts",
            json={
                "first_name": "Léa",
                "last_name": code.title(),
                "email": f"referent@{code}.example",
                "roles": ["it_referent"],
                "dashboard_access": True,
            },
        )
    )


def billing_data(platform: Platform) -> None:
    """Ludres: payroll 2,000.00, direct 100.00 (SIG, messagerie), indirect 250.00 (storage),
    capped at its 2,000.00 of Y-3 (écrêtement −350.00), investment 300.00 → 2,300.00."""
    platform.member("grand-nancy", host=True)
    for code in ("ludres", "nancy"):
        platform.member(code)
        contact(platform, code)
    for code, count in {"grand-nancy": 50, "ludres": 20, "nancy": 30}.items():
        platform.workstations(code, count, YEAR)
    check(
        platform.catalogue.post(
            "/services",
            json={
                "code": "messagerie",
                "name": "Messagerie collaborative",
                "domain": "support",
                "status": "active",
            },
        )
    )
    check(
        platform.catalogue.post(
            "/components",
            json={
                "code": "sig",
                "name": "Système d'information géographique",
                "kind": "application",
                "service_code": "messagerie",
            },
        )
    )
    platform.driver("storage_gb", "Go")
    platform.cost_line("sig", "300.00", weights={"ludres": "1", "nancy": "2"}, year=YEAR)
    platform.cost_line(
        "erp", "900.00", section="investment", weights={"ludres": "1", "nancy": "2"}, year=YEAR
    )
    platform.cost_line("san", "1000.00", driver="storage_gb", year=YEAR)
    platform.usage("storage_gb", {"grand-nancy": "100", "ludres": "50", "nancy": "50"}, YEAR)
    platform.parameters("10000.00", YEAR)
    platform.history(YEAR - 3, "ludres", "2000.00")


def governance_data(gov: Any) -> None:
    for code, member in (("fibre-ludres", "ludres"), ("ged-nancy", "nancy"), ("sso", None)):
        check(
            gov.post(
                "/projects",
                json={
                    "code": code,
                    "name": f"Projet {code}",
                    "member_code": member,
                    "status": "active",
                    "budget": "12000.50",
                },
            )
        )
    for code, members in (("act-nancy", ["nancy"]), ("act-tous", [])):
        check(
            gov.post(
                "/master-plans/actions",
                json={
                    "code": code,
                    "axis_code": "securite",
                    "title": f"Action {code}",
                    "owner": "RSSI",
                    "member_codes": members,
                    "progress": 40,
                },
            )
        )
    check(
        gov.post(
            "/master-plans/indicators",
            json={
                "code": "disponibilite",
                "name": "Disponibilité de la messagerie",
                "definition": "Temps de service rendu",
                "unit": "%",
                "direction": "up",
                "category": "quality",
                "is_rate": True,
            },
        )
    )
    check(
        gov.post(
            "/master-plans/indicators/disponibilite/measurements",
            json={
                "measurements": [
                    {
                        "period": f"{YEAR - 1}-12-31",
                        "member_code": m,
                        "numerator": n,
                        "denominator": "1000",
                        "source": "supervision",
                    }
                    for m, n in (("ludres", "990"), ("nancy", "950"))
                ]
            },
        )
    )
    for member in ("ludres", "nancy"):
        check(
            gov.post(
                "/gdpr/records",
                json={"controller_code": member, "name": f"État civil de {member}"},
            )
        )


@pytest.fixture
async def stack(service_app: Any, make_gateway: Any) -> dict[str, Any]:
    platform = Platform(service_app)
    billing_data(platform)
    gov_app = service_app("governance")
    governance_data(sync_client(gov_app, base_url="http://x", headers=as_admin()))
    apps = {
        "registry": platform.registry_app,
        "catalogue": platform.catalogue_app,
        "billing": platform.billing_app,
        "governance": gov_app,
    }
    gateway = make_gateway(apps, registry_client=sync_client(platform.registry_app))
    add_account(gateway, "admin@dsit.test")
    for code in ("ludres", "nancy"):
        add_account(gateway, f"referent@{code}.example", kind="contact", roles=())
    web = create_web(
        WebSettings(environment="test"), gateway_transport=httpx.ASGITransport(app=gateway)
    )
    return {"web": web, "platform": platform}


async def dashboard_of(stack: dict[str, Any], email: str, path: str = "/tableau-de-bord") -> Any:
    async with asgi_client(stack["web"]) as client:
        await sign_in(client, email)
        return await client.get(path)


async def test_contact_reads_the_forecast_cost_of_the_year_split_and_capped(
    stack: dict[str, Any],
) -> None:
    run = stack["platform"].run("forecast", YEAR)
    page = await dashboard_of(stack, "referent@ludres.example")
    assert page.status_code == 200
    text = page.text
    assert '<a href="/tableau-de-bord" aria-current="page">Mon tableau de bord</a>' in text
    assert f"Coût estimé {YEAR}" in text
    assert f"calcul prévisionnel n°{run['id']}" in text
    assert f"<strong>{euros('2300.00')}</strong>" in text  # 2,000 + 100 + 250 − 350 + 300
    assert euros("-350.00") in text  # the cap effect
    assert euros("2350.00") in text  # operating before the cap
    assert "Messagerie collaborative" in text  # split by service
    assert "Système d&#39;information géographique" in text  # by component
    assert "storage_gb" in text  # by driver
    assert f'href="/tableau-de-bord/notification-{run["id"]}.pdf"' in text


async def test_chart_bars_are_proportional_and_have_a_table_alternative(
    stack: dict[str, Any],
) -> None:
    stack["platform"].run("forecast", YEAR)
    text = (await dashboard_of(stack, "referent@ludres.example")).text
    # payroll 2,000.00 is the widest bar; direct 100.00 is 5 % of it; the cap bar is negative
    assert 'width="100" height="10" class="dash-pos"' in text
    assert 'width="5" height="10" class="dash-pos"' in text
    assert 'width="18" height="10" class="dash-neg"' in text
    assert "<caption>Montants par nature (tableau)</caption>" in text
    assert "style=" not in text
    assert "<script>" not in text


async def test_the_latest_final_run_is_used_when_there_is_no_forecast(
    stack: dict[str, Any],
) -> None:
    run = stack["platform"].run("final", YEAR)
    text = (await dashboard_of(stack, "referent@ludres.example")).text
    assert f"calcul définitif n°{run['id']}" in text
    assert "notification prévisionnelle" not in text


async def test_without_a_run_the_dashboard_says_the_cost_is_not_available_yet(
    stack: dict[str, Any],
) -> None:
    page = await dashboard_of(stack, "referent@ludres.example")
    assert page.status_code == 200
    assert "Aucun calcul de refacturation n'est encore disponible" in page.text
    assert "Postes déclarés" in page.text  # the rest of the page is still there


async def test_contact_sees_its_own_and_shared_governance_items_only(
    stack: dict[str, Any],
) -> None:
    text = (await dashboard_of(stack, "referent@ludres.example")).text
    assert "Projet fibre-ludres" in text
    assert "Projet sso" in text
    assert "Projet ged-nancy" not in text
    assert "Action act-tous" in text
    assert "Action act-nancy" not in text
    assert "État civil de ludres" in text
    assert "État civil de nancy" not in text
    assert "99,0\u00a0%" in text  # ludres's own availability
    assert "95,0\u00a0%" not in text  # nancy's is never shown


async def test_the_other_members_contact_sees_its_own_cost(stack: dict[str, Any]) -> None:
    stack["platform"].run("forecast", YEAR)
    text = (await dashboard_of(stack, "referent@nancy.example")).text
    # nancy: payroll 3,000 + direct 200 + indirect 250 (no history: no cap) + investment 600
    assert f"<strong>{euros('4050.00')}</strong>" in text
    assert "Projet ged-nancy" in text
    assert "Projet fibre-ludres" not in text


async def test_split_exports_as_french_csv_and_exact_xlsx(stack: dict[str, Any]) -> None:
    stack["platform"].run("forecast", YEAR)
    async with asgi_client(stack["web"]) as client:
        await sign_in(client, "referent@ludres.example")
        csv = await client.get("/tableau-de-bord/export/composants.csv")
        xlsx = await client.get("/tableau-de-bord/export/inducteurs.xlsx")
        projects = await client.get("/tableau-de-bord/export/projets.csv")
    assert csv.status_code == 200
    assert csv.headers["content-disposition"] == (
        f'attachment; filename="composants-ludres-{YEAR}.csv"'
    )
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Code;Composant;Précision;Section;Montant"
    # the component's service by its name, as the run carried it, not its code
    assert (
        "sig;Système d'information géographique;Messagerie collaborative;Fonctionnement;100,00"
        in lines
    )  # noqa: E501
    assert "erp;erp;;Investissement;300,00" in lines
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows == [("storage_gb", "storage_gb", "Go", "Fonctionnement", Decimal("250"))]
    assert "Projet ged-nancy" not in projects.content.decode("utf-8-sig")


async def test_forecast_notification_pdf_is_passed_on(stack: dict[str, Any]) -> None:
    run = stack["platform"].run("forecast", YEAR)
    async with asgi_client(stack["web"]) as client:
        await sign_in(client, "referent@ludres.example")
        pdf = await client.get(f"/tableau-de-bord/notification-{run['id']}.pdf")
        missing = await client.get(f"/tableau-de-bord/notification-{run['id'] + 99}.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert f"notification-previsionnelle-{YEAR}-ludres.pdf" in pdf.headers["content-disposition"]
    assert missing.status_code == 404


async def test_dsit_staff_is_not_given_a_member_dashboard(stack: dict[str, Any]) -> None:
    page = await dashboard_of(stack, "admin@dsit.test")
    export = await dashboard_of(stack, "admin@dsit.test", "/tableau-de-bord/export/projets.csv")
    assert page.status_code == 403
    assert export.status_code == 403


async def test_an_unknown_export_is_refused(stack: dict[str, Any]) -> None:
    page = await dashboard_of(stack, "referent@ludres.example", "/tableau-de-bord/export/x.csv")
    assert page.status_code == 404
    assert "Page introuvable" in page.text
