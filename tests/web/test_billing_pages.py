"""Billing pages on the real stack (web → gateway → billing with its real registry and
catalogue, worked example of docs/billing.md): launch, progress, results, exports, explain."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from services.billing.runs import worker
from tests.billing.upstream import YEAR, Platform
from tests.conftest import asgi_client, sync_client
from tests.gateway.helpers import add_account
from tests.web.conftest import sign_in
from web.app import create_app as create_web
from web.settings import WebSettings
from web.views.format import euros

NNBSP = "\u202f"


@pytest.fixture
def billing_web(service_app: Any, make_gateway: Any) -> dict[str, Any]:
    return web_over(service_app, make_gateway, "worked_example")


@pytest.fixture
def named_billing_web(service_app: Any, make_gateway: Any) -> dict[str, Any]:
    """The year of ``Platform.named_example``: catalogue names, a workstations driver."""
    return web_over(service_app, make_gateway, "named_example")


def web_over(service_app: Any, make_gateway: Any, example: str) -> dict[str, Any]:
    platform = Platform(service_app)
    getattr(platform, example)()
    apps = {
        "registry": platform.registry_app,
        "catalogue": platform.catalogue_app,
        "billing": platform.billing_app,
        "governance": service_app("governance"),
    }
    gateway = make_gateway(apps, registry_client=sync_client(apps["registry"]))
    add_account(gateway, "finance@dsit.test", roles=("finance",))
    add_account(gateway, "projets@dsit.test", roles=("project",))
    web = create_web(
        WebSettings(environment="test"), gateway_transport=httpx.ASGITransport(app=gateway)
    )
    return {"web": web, "platform": platform}


def csrf_of(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


async def launch(client: httpx.AsyncClient, **form: str) -> httpx.Response:
    page = await client.get("/facturation")
    data = {"fiscal_year": str(YEAR), "kind": "final", "csrf_token": csrf_of(page.text),
            "confirm": "1", **form}  # fmt: skip
    return await client.post("/facturation/calculs", data=data)


async def test_a_final_run_is_launched_only_once_confirmed(billing_web: dict[str, Any]) -> None:
    platform = billing_web["platform"]
    first = platform.run()  # a final run in force: the next one replaces it
    async with asgi_client(billing_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        page = await client.get("/facturation")
        data = {"fiscal_year": str(YEAR), "kind": "final", "csrf_token": csrf_of(page.text),
                "replacement_reason": "Postes de Ludres corrigés"}  # fmt: skip
        asked = await client.post("/facturation/calculs", data=data)
        runs_before = platform.billing.get("/runs").json()["items"]
        confirmed = await client.post("/facturation/calculs", data={**data, "confirm": "1"})
    assert asked.status_code == 200
    assert 'id="confirmer-definitif"' in asked.text
    assert f"Il remplace le calcul définitif n°{first['id']}" in asked.text
    assert "Postes de Ludres corrigés" in asked.text
    assert len(runs_before) == 1  # nothing launched before the confirmation
    assert confirmed.status_code == 303


def test_money_is_shown_in_french_format_without_floats() -> None:
    assert euros("1234567.8") == f"1{NNBSP}234{NNBSP}567,80\u00a0€"
    assert euros("-250.00") == "-250,00\u00a0€"
    assert euros("0.005") == "0,01\u00a0€"
    assert euros(None) == ""


async def test_a_launched_run_polls_its_progress_until_it_shows_results(
    billing_web: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "dispatch", lambda _app: None)  # stays queued until we run it
    async with asgi_client(billing_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        launched = await launch(client)
        queued = await client.get(launched.headers["location"])
        worker.process_queued(billing_web["platform"].billing_app)
        polled = await client.get(launched.headers["location"], headers={"HX-Request": "true"})
    assert launched.status_code == 303
    assert launched.headers["location"].startswith("/facturation/calculs/")
    assert 'hx-trigger="every 1s"' in queued.text
    assert 'data-status="queued"' in queued.text
    assert '<progress id="avancement" max="100" value="0">' in queued.text
    assert polled.text.lstrip().startswith('<section id="calcul"')
    assert "hx-trigger" not in polled.text
    assert 'data-status="succeeded"' in polled.text
    assert f"2{NNBSP}100,00\u00a0€" in polled.text  # ludres, capped at its 3-year mean
    assert "-250,00\u00a0€" in polled.text  # its écrêtement
    assert f"6{NNBSP}550,00\u00a0€" in polled.text  # invoiced total


async def test_results_link_each_member_to_its_explanation(billing_web: dict[str, Any]) -> None:
    run = billing_web["platform"].run()
    async with asgi_client(billing_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        page = await client.get(f"/facturation/calculs/{run['id']}")
        explain = await client.get(f"/facturation/calculs/{run['id']}/adherents/ludres")
    assert f'href="/facturation/calculs/{run["id"]}/adherents/ludres"' in page.text
    assert explain.status_code == 200
    assert "Quote-part de masse salariale" in explain.text
    assert "Taux par poste" in explain.text
    assert "100,00000000\u00a0€" in explain.text  # the rate keeps its 8 decimals
    assert "Écrêtement" in explain.text
    assert "-250,00\u00a0€" in explain.text
    assert "storage_gb" in explain.text  # a driver without a description shows its code
    assert 'data-check="ok"' in explain.text


async def test_the_explanation_names_what_it_bills_and_explains_the_two_workstation_counts(
    named_billing_web: dict[str, Any],
) -> None:
    run = named_billing_web["platform"].run()
    async with asgi_client(named_billing_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        explain = await client.get(f"/facturation/calculs/{run['id']}/adherents/ludres")
    text = explain.text
    assert "Boucle fibre métropolitaine — hébergement" in text
    assert "Comptes actifs des logiciels finances et RH (comptes)" in text
    assert "Postes de travail gérés — fonctionnement" in text  # the pool, by its driver's name
    assert 'data-note="postes"' in text
    assert "Les 76 postes de travail de la quote-part de masse salariale" in text
    assert "« Postes de travail gérés » compte 47 postes" in text
    for code in ("fibre-metropole", "business_app_accounts", "hosting", ">workstations"):
        assert code not in text


async def test_an_unknown_member_or_run_is_a_404_page(billing_web: dict[str, Any]) -> None:
    run = billing_web["platform"].run()
    async with asgi_client(billing_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        member = await client.get(f"/facturation/calculs/{run['id']}/adherents/nowhere")
        missing = await client.get("/facturation/calculs/999999")
    assert member.status_code == 404
    assert missing.status_code == 404
    assert "Page introuvable" in missing.text


async def test_results_export_as_csv_and_xlsx_with_exact_amounts(
    billing_web: dict[str, Any],
) -> None:
    run = billing_web["platform"].run()
    async with asgi_client(billing_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        as_csv = await client.get(f"/facturation/calculs/{run['id']}/resultats.csv")
        as_xlsx = await client.get(f"/facturation/calculs/{run['id']}/resultats.xlsx")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")), delimiter=";"))
    header, ludres = rows[0], next(r for r in rows if r[0] == "ludres")
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert ludres[header.index("Fonct. facturé")] == "2100,00"
    assert ludres[header.index("Écrêtement")] == "-250,00"
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    xlsx_ludres = next(r for r in values if r[0] == "ludres")
    assert Decimal(str(xlsx_ludres[values[0].index("Fonct. facturé")])) == Decimal("2100.00")
    assert len(values) == len(rows) == 5  # header and four members


async def test_a_failed_run_lists_every_problem_to_fix(billing_web: dict[str, Any]) -> None:
    billing_web["platform"].parameters("5000.00", year=YEAR + 1)  # no workstation counts
    async with asgi_client(billing_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        launched = await launch(client, fiscal_year=str(YEAR + 1))
        page = await client.get(launched.headers["location"])
    assert 'data-status="failed"' in page.text
    assert "hx-trigger" not in page.text
    assert page.text.count('data-code="missing-workstations"') == 4  # for the support, unseen
    # the problems in French (the web asks so), what to do included
    assert (
        f"À faire : Enregistrez au registre le nombre de postes de « ludres » pour {YEAR + 1}."
        in page.text
    )
    assert "workstation count" not in page.text


async def test_launch_without_a_year_shows_the_error_next_to_the_field(
    billing_web: dict[str, Any],
) -> None:
    async with asgi_client(billing_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        response = await launch(client, fiscal_year="")
    assert response.status_code == 422
    assert 'id="fiscal_year" name="fiscal_year" aria-invalid="true"' in response.text
    assert '<span class="error" id="fiscal_year-erreur">Choisissez un exercice.</span>' in (
        response.text
    )


async def test_replacing_the_final_run_asks_for_a_reason_then_keeps_it(
    billing_web: dict[str, Any],
) -> None:
    billing_web["platform"].run()
    async with asgi_client(billing_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        refused = await launch(client)
        replaced = await launch(client, replacement_reason="Correction des postes de Ludres")
        page = await client.get(replaced.headers["location"])
    assert refused.status_code == 422
    assert 'id="replacement_reason-erreur"' in refused.text
    assert "est le calcul définitif de" in refused.text  # the API explains, above the form
    assert replaced.status_code == 303
    assert "Correction des postes de Ludres" in page.text


async def test_a_launch_without_the_csrf_token_is_refused(billing_web: dict[str, Any]) -> None:
    async with asgi_client(billing_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        response = await client.post(
            "/facturation/calculs", data={"fiscal_year": str(YEAR), "kind": "final"}
        )
        runs = await client.get("/facturation")
    assert response.status_code == 403
    assert "Aucun calcul ne correspond" in runs.text


async def test_a_reader_sees_runs_but_is_not_offered_nor_allowed_a_launch(
    billing_web: dict[str, Any],
) -> None:
    billing_web["platform"].run()
    async with asgi_client(billing_web["web"]) as client:
        await sign_in(client, "projets@dsit.test")
        page = await client.get("/facturation")
        post = await client.post(
            "/facturation/calculs",
            data={"fiscal_year": str(YEAR), "kind": "forecast", "csrf_token": csrf_of(page.text)},
        )
    assert page.status_code == 200
    assert "Calcul n°" in page.text
    assert 'action="/facturation/calculs"' not in page.text
    assert post.status_code == 403


async def test_the_runs_list_filters_by_kind_as_an_htmx_fragment(
    billing_web: dict[str, Any],
) -> None:
    final = billing_web["platform"].run()
    forecast = billing_web["platform"].run("forecast")
    async with asgi_client(billing_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        partial = await client.get("/facturation?kind=forecast", headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<section id="calculs"')
    assert f"Calcul n°{forecast['id']}<" in partial.text
    assert f"Calcul n°{final['id']}<" not in partial.text


async def test_fiscal_year_form_shows_the_api_field_error_then_saves(
    billing_web: dict[str, Any],
) -> None:
    async with asgi_client(billing_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        page = await client.get("/facturation/exercices")
        form = {"fiscal_year": "2030", "window": "3", "cap_enabled": "true"}
        token = csrf_of(page.text)
        refused = await client.post(
            "/facturation/exercices",
            data={**form, "payroll_envelope": "-5", "csrf_token": token},
        )
        saved = await client.post(
            "/facturation/exercices",
            data={**form, "payroll_envelope": "12 345,60", "csrf_token": token},
        )
        after = await client.get("/facturation/exercices")
    assert refused.status_code == 422
    assert 'id="ex-payroll_envelope-erreur"' in refused.text
    assert saved.status_code == 303
    assert f"12{NNBSP}345,60\u00a0€" in after.text
    assert "ludres" in after.text  # the imported history is listed
