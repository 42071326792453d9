"""The annual report on the demo data, against the REAL registry, catalogue and billing apps:
its financial figures are billing's own totals for the year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kit.client import ServiceClient
from kit.settings import PLACEHOLDER_SECRET
from services.billing.runs.inputs import HttpInputs
from services.catalogue import demo as catalogue_demo
from services.governance import demo as governance_demo
from services.registry import demo as registry_demo
from tests.conftest import as_admin, as_contact, asgi_client, sync_client
from tests.governance.helpers import ok

YEAR = 2024


def peer(name: str, app: Any) -> ServiceClient:
    return ServiceClient(
        name,
        "http://x",
        caller="governance",
        secret=PLACEHOLDER_SECRET,
        client=sync_client(app, base_url="http://x"),
    )


def load_demo(app: Any, module: Any) -> None:
    with app.state.test_sessionmaker() as session:
        assert module.load(session)
        session.commit()


def platform(service_app: Any) -> tuple[Any, dict[str, Any]]:
    """Demo registry, catalogue and governance; billing's final run of the year computed."""
    registry, catalogue = service_app("registry"), service_app("catalogue")
    billing = service_app("billing", run_worker="inline")
    governance = service_app("governance")
    for app, module in (
        (registry, registry_demo),
        (catalogue, catalogue_demo),
        (governance, governance_demo),
    ):
        load_demo(app, module)
    billing.state.inputs_source = HttpInputs(
        peer("registry", registry), peer("catalogue", catalogue), page_size=1000
    )
    billing_http = sync_client(billing, base_url="http://x", headers=as_admin())
    put = billing_http.put(f"/fiscal-years/{YEAR}", json={"payroll_envelope": "2500000.00"})
    assert put.status_code in (200, 201), put.text
    launched = billing_http.post("/runs", json={"fiscal_year": YEAR, "kind": "final"})
    run = billing_http.get(f"/runs/{launched.json()['id']}").json()
    assert run["status"] == "succeeded", run["problems"]
    governance.state.billing_client = peer("billing", billing)
    governance.state.registry_client = peer("registry", registry)
    return governance, run


async def test_annual_report_financial_figures_are_billings_totals(service_app: Any) -> None:
    governance, run = platform(service_app)
    async with asgi_client(governance, headers=as_admin()) as client:
        report = await ok(await client.get(f"/reports/annual/{YEAR}"))
    financial = report["financial"]
    assert financial["run_id"] == run["id"]
    assert financial["totals"] == run["totals"]
    invoiced = sum(
        Decimal(m["operating_invoiced"]) + Decimal(m["investment"])
        for m in financial["members"]
        if m["invoiced"]
    )
    assert invoiced == Decimal(run["totals"]["invoiced_total"])
    assert [a["code"] for a in report["master_plans"]][0] == "securite"
    assert len(report["master_plans"]) == 7


async def test_annual_report_renders_to_html_and_pdf_with_billings_total(
    service_app: Any,
) -> None:
    governance, run = platform(service_app)
    async with asgi_client(governance, headers=as_admin()) as client:
        html = await client.get(f"/reports/annual/{YEAR}.html")
        pdf = await client.get(f"/reports/annual/{YEAR}.pdf")
    total = Decimal(run["totals"]["invoiced_total"])
    shown = f"{total:,.2f}".replace(",", "\u202f").replace(".", ",") + " €"
    assert html.status_code == 200
    assert f'data-field="invoiced_total">{shown}<' in html.text
    assert "Rapport annuel 2024" in html.text
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert len(pdf.content) > 5000


async def test_contact_report_shows_only_its_member_line(service_app: Any) -> None:
    governance, _run = platform(service_app)
    async with asgi_client(governance, headers=as_contact("ludres")) as client:
        report = await ok(await client.get(f"/reports/annual/{YEAR}"))
    assert [m["member_code"] for m in report["financial"]["members"]] == ["ludres"]
    assert all(d["member_code"] in (None, "ludres") for d in report["bodies"]["decisions"])


async def test_annual_report_without_final_run_says_so(service_app: Any) -> None:
    governance, _run = platform(service_app)
    async with asgi_client(governance, headers=as_admin()) as client:
        report = await ok(await client.get("/reports/annual/2023"))
        html = await client.get("/reports/annual/2023.html")
    assert report["financial"] is None
    assert "Aucun calcul définitif" in html.text


async def test_demo_loads_once_and_is_marked_fictional(service_app: Any) -> None:
    governance = service_app("governance")
    load_demo(governance, governance_demo)
    with governance.state.test_sessionmaker() as session:
        assert governance_demo.load(session) is False
    async with asgi_client(governance, headers=as_admin()) as client:
        bodies = await ok(await client.get("/bodies"))
        processing = await ok(await client.get("/gdpr/processing?controller=heillecourt"))
    assert all("fictive" in b["description"] for b in bodies["items"])
    assert len(processing["items"]) == 2
