"""Corrections: reduction and cancellation in the year, a cancellation mandate for a previous
year, a complementary title; a title and its corrections always add up to what is owed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.billing.engine.money import fmt, to_cents
from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import YEAR
from tests.conftest import assert_refused

REASON = "Erreur matérielle : nombre de postes de travail mal saisi"


def _title(platform: TitlesPlatform, member: str, section: str) -> dict[str, Any]:
    return next(
        t for t in platform.titles(member_code=member, section=section) if t["kind"] == "title"
    )


def _correct(
    platform: TitlesPlatform,
    title_id: int,
    kind: str,
    amount: str | None = None,
    line: str | None = None,
) -> Any:
    """A correction; ``line`` names the accounting line in error (needed on a title with
    several lines, as the operating titles of Ludres and Nancy: payroll and operating)."""
    body: dict[str, Any] = {"kind": kind, "reason": REASON}
    if amount is not None:
        body["amount"] = amount
    if line is not None:
        body["lines"] = [{"line_kind": line, "amount": amount}]
    return platform.correct(title_id, **body)


def _issued(service_app: Any) -> TitlesPlatform:
    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    return platform


def test_a_reduction_in_the_year_is_a_linked_title_and_lowers_the_balance(service_app: Any) -> None:
    platform = _issued(service_app)
    ludres = _title(platform, "ludres", "operating")
    response = _correct(platform, ludres["id"], "reduction", "100.00", "payroll")
    assert response.status_code == 201, response.text
    reduction = response.json()
    assert (reduction["kind"], reduction["total"], reduction["original_id"]) == (
        "reduction",
        "-100.00",
        ludres["id"],
    )
    assert reduction["reference"] == f"{YEAR}-01-000007"  # next in the exercice's one series
    assert (reduction["fiscal_year"], reduction["exercice"]) == (YEAR, YEAR)
    assert reduction["reason"] == REASON
    assert reduction["bordereau"]["type"] == "02"
    original = platform.billing.get(f"/invoices/{ludres['id']}").json()
    assert original["balance"] == "2000.00"
    assert original["total"] == "2100.00"  # the title itself never changes
    assert [c["reference"] for c in original["corrections"]] == [reduction["reference"]]


def test_a_cancellation_takes_the_whole_balance_and_the_sum_is_zero(service_app: Any) -> None:
    platform = _issued(service_app)
    nancy = _title(platform, "nancy", "operating")
    assert _correct(platform, nancy["id"], "reduction", "950.00", "payroll").status_code == 201
    cancellation = _correct(platform, nancy["id"], "cancellation").json()
    assert cancellation["total"] == "-2000.00"
    history = platform.billing.get(f"/invoices/{nancy['id']}/corrections").json()
    totals = [to_cents(nancy["total"])] + [to_cents(c["total"]) for c in history["items"]]
    assert fmt(sum(totals)) == history["balance"] == "0.00"
    assert platform.billing.get(f"/invoices/{nancy['id']}").json()["status"] == "cancelled"
    again = _correct(platform, nancy["id"], "reduction", "1.00", "payroll")
    assert again.status_code == 409


def test_a_reduction_of_the_whole_balance_or_more_is_refused(service_app: Any) -> None:
    platform = _issued(service_app)
    laxou = _title(platform, "laxou", "operating")
    for amount in ("500.00", "600.00", "0.00"):
        response = _correct(platform, laxou["id"], "reduction", amount)
        assert response.status_code == 422, amount
        assert response.json()["errors"][0]["field"] == "amount"


def test_a_correction_needs_a_reason(service_app: Any) -> None:
    platform = _issued(service_app)
    laxou = _title(platform, "laxou", "operating")
    body = {"kind": "cancellation"}
    response = platform.correct(laxou["id"], **body)
    assert_refused(response, "reason")
    assert platform.billing.get(f"/invoices/{laxou['id']}").json()["corrections"] == []


def test_a_title_of_a_previous_year_is_cancelled_by_a_mandate(service_app: Any) -> None:
    platform = _issued(service_app)
    platform.set_today(dt.date(YEAR + 1, 2, 10))
    operating = _title(platform, "ludres", "operating")
    mandate = _correct(platform, operating["id"], "cancellation").json()
    assert (mandate["kind"], mandate["fiscal_year"], mandate["exercice"], mandate["total"]) == (
        "mandate",
        YEAR,  # the service year of the original
        YEAR + 1,  # the open exercice: the original's is closed since 1 February
        "-2100.00",
    )
    assert mandate["reference"] == f"{YEAR + 1}-01-PM0001"  # a proposal: not a mandate number
    assert [a["nature"] for a in mandate["content"]["imputation"]] == ["673"]
    assert mandate["bordereau"] is None  # a mandate is on the expense side, not in PES recette
    investment = _title(platform, "ludres", "investment")
    partial = _correct(platform, investment["id"], "reduction", "33.33").json()
    assert [a["nature"] for a in partial["content"]["imputation"]] == ["13141"]
    assert partial["reference"] == f"{YEAR + 1}-01-PM0002"
    exported = platform.billing.get(f"/mandate-proposals/{YEAR + 1}").json()
    assert [
        (m["proposal"], m["nature"], m["amount"], m["original"]["exercice"]) for m in exported
    ] == [
        (f"{YEAR + 1}-01-PM0001", "673", "2100.00", YEAR),
        (f"{YEAR + 1}-01-PM0002", "13141", "33.33", YEAR),
    ]
    assert {m["payee"]["name"] for m in exported} == {"Ludres"}
    table = platform.billing.get(f"/mandate-proposals/{YEAR + 1}.csv").text.lstrip("\ufeff")
    assert table.splitlines()[1].split(";")[:8] == [
        f"{YEAR + 1}-01-PM0001",
        str(YEAR + 1),
        "01",
        "Ludres",
        operating["content"]["debtor"]["siret"],
        "673",
        operating["content"]["imputation"][0]["function"],
        "2100,00",
    ]
    balance = platform.billing.get(f"/invoices/{investment['id']}").json()["balance"]
    assert balance == "300.00"


def test_a_complementary_title_adds_to_what_is_owed(service_app: Any) -> None:
    platform = _issued(service_app)
    nancy = _title(platform, "nancy", "investment")
    response = _correct(platform, nancy["id"], "complementary", "66.67")
    assert response.status_code == 201, response.text
    complementary = response.json()
    assert complementary["total"] == "66.67"
    assert complementary["reference"] == f"{YEAR}-01-000007"
    assert complementary["bordereau"]["type"] == "01"
    assert platform.billing.get(f"/invoices/{nancy['id']}").json()["balance"] == "400.00"


def test_corrections_appear_in_the_audit_trail_with_their_reason(service_app: Any) -> None:
    platform = _issued(service_app)
    laxou = _title(platform, "laxou", "operating")
    _correct(platform, laxou["id"], "reduction", "20.00")
    entries = platform.billing.get(
        "/audit-entries", params={"resource_type": "invoice", "resource_id": str(laxou["id"])}
    ).json()["items"]
    correction = next(e for e in entries if e["action"] == "correct")
    assert correction["after"]["reason"] == REASON
    assert correction["after"]["balance"] == "480.00"


def test_during_the_journee_complementaire_a_reduction_stays_on_the_past_exercice(
    service_app: Any,
) -> None:
    """Until 31 January of the next year the past exercice is open: a reduction is still a
    title on it; from 1 February it is closed and the correction becomes a mandate."""
    platform = _issued(service_app)
    platform.set_today(dt.date(YEAR + 1, 1, 31))
    ludres = _title(platform, "ludres", "operating")
    reduction = _correct(platform, ludres["id"], "reduction", "100.00", "payroll").json()
    assert (reduction["kind"], reduction["exercice"]) == ("reduction", YEAR)
    assert reduction["reference"] == f"{YEAR}-01-000007"
    platform.set_today(dt.date(YEAR + 1, 2, 1))
    later = _correct(platform, ludres["id"], "reduction", "100.00", "payroll").json()
    assert (later["kind"], later["exercice"]) == ("mandate", YEAR + 1)


def test_a_reduction_names_the_line_in_error(service_app: Any) -> None:
    """Ludres's operating title has two lines (payroll 1 750.00, operating 350.00): a reduction
    says which one, and is taken from it, not from the largest."""
    platform = _issued(service_app)
    ludres = _title(platform, "ludres", "operating")
    unnamed = _correct(platform, ludres["id"], "reduction", "100.00")
    assert_refused(unnamed, "lines")
    named = _correct(platform, ludres["id"], "reduction", "100.00", "operating").json()
    assert [(a["line_kind"], a["nature"], a["amount"]) for a in named["content"]["imputation"]] == [
        ("operating", ludres["content"]["imputation"][1]["nature"], "-100.00")
    ]
    beyond = _correct(platform, ludres["id"], "reduction", "300.00", "operating")
    assert_refused(beyond, "lines")  # 250.00 left on that line
    missing = _correct(platform, ludres["id"], "reduction", "10.00", "investment")
    assert_refused(missing, "lines")
