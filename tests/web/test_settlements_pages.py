"""Settlement on the attribution de compensation in the back office, on the real stack (web →
gateway → billing with its registry, the worked example, today = 1 June of the year): the form
records Ludres's choice and refuses a CCAS in French, the detail shows the deduction beside the
final run's amount with the CLECT document, the balancing behind a confirmation, the titles page
shows Ludres as settled by the AC, and the contact's dashboard explains it."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from tests.billing.upstream import YEAR, check
from tests.conftest import asgi_client
from tests.web.conftest import sign_in
from tests.web.test_billing_pages import csrf_of
from tests.web.test_invoices_pages import titles_web  # noqa: F401 - the fixture

BASE = "/facturation/attributions-de-compensation"


def form(member: str, year: int = YEAR, **extra: str) -> dict[str, str]:
    return {
        "member_code": member,
        "fiscal_year": str(year),
        "deliberation_ref": "n° 2024-031",
        "deliberated_on": f"{year}-02-12",
        "deliberating_body": "Conseil municipal de Ludres",
        "basis": "amount",
        "deducted_amount": "1 800,00",
        **extra,
    }


async def test_finance_records_a_choice_balances_it_and_the_member_reads_why(
    titles_web: dict[str, Any],  # noqa: F811
) -> None:
    platform, run_id = titles_web["platform"], titles_web["run_id"]
    platform.member("ccas-ludres", kind="ccas")
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        page = await client.get(f"{BASE}?annee={YEAR}")
        token = csrf_of(page.text)
        refused = await client.post(BASE, data={**form("ccas-ludres"), "csrf_token": token})
        made = await client.post(
            BASE,
            data={**form("ludres"), "csrf_token": token},
            files={"deliberation_file": ("deliberation.pdf", b"%PDF-1.4 vote", "application/pdf")},
        )
        detail = await client.get(made.headers["location"])
        attached = await client.get(made.headers["location"] + "/deliberation")
        pdf = await client.get(made.headers["location"] + "/document.pdf")
        confirm = await client.get(made.headers["location"] + "/solde")
        issue_page = await client.get(f"/facturation/calculs/{run_id}/titres")
        balanced = await client.post(
            made.headers["location"] + "/solde", data={"confirm": "1", "csrf_token": token}
        )
        listing = await client.get(f"{BASE}?annee={YEAR}")
        # this year's choice, which the member's dashboard (of the current year) explains
        this_year = dt.date.today().year
        check_made = await client.post(
            BASE, data={**form("ludres", this_year), "csrf_token": token}
        )
    assert 'href="/facturation/attributions-de-compensation"' in page.text  # in the menu
    assert refused.status_code == 422
    assert "Seule une commune membre peut régler sa contribution" in html.unescape(refused.text)
    assert made.status_code == 303
    text = html.unescape(detail.text)
    assert "2\u202f100,00\xa0€" in text or "2 100,00" in text.replace("\u202f", " ")
    assert 'id="difference"' in detail.text
    assert attached.content == b"%PDF-1.4 vote"
    assert "deliberation.pdf" in attached.headers["content-disposition"]
    assert pdf.content.startswith(b"%PDF")
    assert 'id="confirmation-solde"' in confirm.text
    assert "un titre de solde de 300,00" in html.unescape(confirm.text)
    assert "réglé par l'attribution de compensation" in html.unescape(issue_page.text)
    assert 'data-ac="settled"' in issue_page.text
    assert balanced.status_code == 200
    assert 'id="solde-fait"' in balanced.text
    (title,) = platform.titles(member_code="ludres", section="operating")
    assert (title["total"], title["status"]) == ("300.00", "prepared")
    assert "titre de solde" in html.unescape(listing.text)
    assert check_made.status_code == 303
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "referent@ludres.example")
        board = html.unescape((await client.get("/tableau-de-bord")).text)
    notice = board.split('id="avis-ac">')[1].split("</p>")[0]
    assert notice.startswith(
        f"Votre contribution {this_year} est réglée par imputation sur votre attribution de "
        "compensation, versée par Métropole du Grand Nancy"
    )
    assert "1\u202f800,00 €" in notice
    # finance changes this year's choice, then withdraws it after a confirmation
    location = check_made.headers["location"]
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        token = csrf_of((await client.get(location)).text)
        changed = await client.post(
            location + "/modifier",
            data={**form("ludres", this_year, deducted_amount="2 000,00"), "csrf_token": token},
        )
        after = html.unescape((await client.get(location)).text)
        confirm_page = await client.get(location + "/retirer")
        withdrawn = await client.post(
            location + "/retirer", data={"confirm": "1", "csrf_token": token}
        )
    assert changed.status_code == 303
    assert "2\u202f000,00" in after or "2 000,00" in after
    assert 'id="confirmation-retrait"' in confirm_page.text
    assert withdrawn.status_code == 303
    remaining = check(platform.billing.get("/settlements"))
    assert [s["fiscal_year"] for s in remaining] == [YEAR]
