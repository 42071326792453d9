"""The annual report's recovery table: per member, what was titled for the year's services
(reductions deducted), what the comptable recovered and what remains — billing's figures, read
over HTTP from the real billing app."""

from __future__ import annotations

from typing import Any

from services.billing.engine.money import fmt, to_cents
from tests.billing.helios_support import CSV, two_bordereaux
from tests.billing.upstream import YEAR, check
from tests.conftest import as_admin, as_contact, asgi_client
from tests.governance.helpers import ok
from tests.governance.test_annual_report import peer


async def test_the_annual_report_shows_titled_paid_and_outstanding_per_member(
    service_app: Any,
) -> None:
    platform, _ = two_bordereaux(service_app)
    ludres = [t for t in platform.titles(member_code="ludres") if t["kind"] == "title"]
    line = f"{YEAR};{ludres[0]['number']};25/06/{YEAR};100,00;V1"
    body = f"exercice;titre;date;montant;reference\n{line}\n"
    check(platform.billing.post("/payments.csv", content=body.encode(), headers=CSV))
    governance = service_app("governance")
    governance.state.billing_client = peer("billing", platform.billing_app)
    governance.state.registry_client = peer("registry", platform.registry_app)
    async with asgi_client(governance, headers=as_admin()) as client:
        report = await ok(await client.get(f"/reports/annual/{YEAR}"))
        html = await client.get(f"/reports/annual/{YEAR}.html")
    async with asgi_client(governance, headers=as_contact("ludres")) as client:
        own = await ok(await client.get(f"/reports/annual/{YEAR}"))
    recovery = {r["member_code"]: r for r in report["financial"]["recovery"]}
    assert sorted(recovery) == ["laxou", "ludres", "nancy"]
    titled = sum(to_cents(t["total"]) for t in ludres)
    assert (recovery["ludres"]["titled"], recovery["ludres"]["paid"]) == (fmt(titled), "100.00")
    assert recovery["ludres"]["outstanding"] == fmt(titled - 10_000)
    assert recovery["nancy"]["paid"] == "0.00"
    assert 'id="financial-recovery"' in html.text
    assert "100,00 €" in html.text.split('id="financial-recovery"')[1]
    assert [r["member_code"] for r in own["financial"]["recovery"]] == ["ludres"]
