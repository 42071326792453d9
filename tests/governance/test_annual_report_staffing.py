"""The annual report's comparison with hiring one's own staff: billing's figures for each
member (its own only for a member's contact), in the JSON, the HTML and the PDF."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from tests.billing.staffing_case import small_case
from tests.billing.upstream import YEAR, Platform
from tests.conftest import as_admin, as_contact, asgi_client
from tests.governance.helpers import ok
from tests.governance.test_annual_report import peer


async def test_the_report_compares_each_bill_with_hiring_own_staff(service_app: Any) -> None:
    platform = Platform(service_app)
    small_case(platform)
    run = platform.run("final")
    governance = service_app("governance")
    governance.state.billing_client = peer("billing", platform.billing_app)
    governance.state.registry_client = peer("registry", platform.registry_app)
    async with asgi_client(governance, headers=as_admin()) as client:
        report = await ok(await client.get(f"/reports/annual/{YEAR}"))
        html = await client.get(f"/reports/annual/{YEAR}.html")
        pdf = await client.get(f"/reports/annual/{YEAR}.pdf")
        none = await ok(await client.get(f"/reports/annual/{YEAR + 1}"))
    async with asgi_client(governance, headers=as_contact("ludres")) as client:
        own = await ok(await client.get(f"/reports/annual/{YEAR}"))
    staffing = report["staffing"]
    assert staffing["run"]["id"] == run["id"]
    ludres = next(m for m in staffing["members"] if m["member_code"] == "ludres")
    assert (ludres["bill"], ludres["own_staff_cost"], ludres["skills"]) == (
        "1700.00",
        "64000.00",
        2,
    )
    assert ludres["name"] == "Ludres"  # the registry's name
    assert none["staffing"] is None
    assert [m["member_code"] for m in own["staffing"]["members"]] == ["ludres"]
    text = html.text
    assert "7. Comparaison avec un recrutement en propre" in text
    assert '<td>Ludres</td><td class="num">1\u202f700,00 €</td>' in text
    assert "64\u202f000,00 €" in text
    assert "149\u202f800,00 €" in text  # nancy's
    assert "2 sur 3" in text
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    printed = " ".join(page.extract_text() for page in pages)
    assert "Comparaison avec un recrutement en propre" in printed
