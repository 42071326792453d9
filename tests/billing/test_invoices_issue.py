"""Issuing titles from a final run: numbering, the BP rule and its forced override, scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.billing.invoices import numbering
from services.billing.invoices.exercice import Budget
from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import YEAR, check
from tests.conftest import as_contact, assert_refused, identity_headers


def test_a_final_run_gives_one_numbered_title_per_member_and_section(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue()
    result = platform.issued(run_id)
    issued = {(t["member_code"], t["section"]): t for t in result["issued"]}
    assert {k: t["total"] for k, t in issued.items()} == {
        ("laxou", "operating"): "500.00",
        ("ludres", "operating"): "2100.00",
        ("nancy", "operating"): "2950.00",
        ("laxou", "investment"): "333.34",
        ("ludres", "investment"): "333.33",
        ("nancy", "investment"): "333.33",
    }
    # one series per (exercice, budget) whatever the section, in member-code order
    order = [(m, s) for m in ("laxou", "ludres", "nancy") for s in ("investment", "operating")]
    assert [issued[k]["reference"] for k in order] == [f"{YEAR}-01-{n:06d}" for n in range(1, 7)]
    assert [issued[k]["number"] for k in order] == [1, 2, 3, 4, 5, 6]
    assert {(t["fiscal_year"], t["exercice"], t["budget_code"]) for t in issued.values()} == {
        (YEAR, YEAR, "01")
    }
    assert [(b["type"], b["number"], b["total"], b["exercice"]) for b in result["bordereaux"]] == [
        ("01", 1, "6550.00", YEAR),
    ]
    assert result["waiting"] == []
    assert result["skipped"] == []
    assert issued[("ludres", "operating")]["signatory"]["function"].startswith("Vice-présidente")


def test_the_host_and_zero_totals_get_no_title(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue()
    platform.issued(run_id)
    members = {t["member_code"] for t in platform.titles()}
    assert members == {"ludres", "nancy", "laxou"}  # grand-nancy is the host


def test_a_title_waits_as_ready_until_the_members_bp_is_voted(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue(bp_voted=("ludres", "laxou"))
    platform.bp("nancy", f"{YEAR}-06-20")  # planned after today (1 June)
    result = platform.issued(run_id)
    assert {w["member_code"] for w in result["waiting"]} == {"nancy"}
    assert {w["reason"] for w in result["waiting"]} == {"bp-not-voted"}
    assert "20/06/" in result["waiting"][0]["detail"]
    ready = platform.titles(status="ready")
    assert [(t["member_code"], t["number"]) for t in ready] == [("nancy", None)] * 2
    platform.set_today(dt.date(YEAR, 6, 21))
    second = platform.issued(run_id)
    assert {(t["member_code"], t["reference"]) for t in second["issued"]} == {
        ("nancy", f"{YEAR}-01-000005"),
        ("nancy", f"{YEAR}-01-000006"),
    }
    assert {s["reason"] for s in second["skipped"]} == {"already-issued"}
    assert [b["number"] for b in second["bordereaux"]] == [2]


def test_forcing_before_the_bp_vote_keeps_the_reason(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue(bp_voted=())
    reason = "Convention de trésorerie : émission anticipée demandée par la commune"
    result = platform.issued(run_id, members=["ludres"], force=True, force_reason=reason)
    assert {t["member_code"] for t in result["issued"]} == {"ludres"}
    assert {t["forced_reason"] for t in result["issued"]} == {reason}
    audit = platform.billing.get("/audit-entries", params={"resource_type": "invoice"}).json()
    by_action: dict[str, set[str]] = {}
    for e in audit["items"]:
        by_action.setdefault(e["action"], set()).add(e["principal"])
    # finance prepared (with the reason), the signatory's own account issued
    assert by_action == {
        "prepare": {"account:1 (Test User)"},
        "issue": {"account:900 (Marie Exemple)"},
    }
    prepared = [e for e in audit["items"] if e["action"] == "prepare"]
    assert {e["after"]["forced_reason"] for e in prepared} == {reason}


def test_forcing_without_a_reason_is_refused(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue(bp_voted=())
    response = platform.issue(run_id, force=True)
    assert_refused(response, "force_reason")
    assert platform.titles() == []


def test_one_waiting_title_is_issued_by_force(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue(bp_voted=())
    waiting = platform.issued(run_id)["waiting"]
    one = waiting[0]["invoice_id"]
    body = {"force": True, "force_reason": "Demande écrite du comptable public du 3 juin"}
    response = platform.billing.post(f"/invoices/{one}/issue", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["prepared"][0]["status"] == "prepared"
    again = platform.billing.post(f"/invoices/{one}/issue", json=body)
    assert again.status_code == 409
    validated = check(platform.validate([one]))
    assert validated["issued"][0]["status"] == "issued"
    assert validated["issued"][0]["forced_reason"] == body["force_reason"]


def test_a_forecast_run_is_not_issued(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    platform.worked_example()
    run = platform.run("forecast")
    response = platform.issue(run["id"])
    assert response.status_code == 409
    assert response.json()["type"] == "urn:mutualis:problem:run-not-issuable"


def test_issuing_needs_the_invoices_issue_permission(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue()
    for headers in (as_contact("ludres"), identity_headers(roles=("project",))):
        response = platform.billing.post(
            f"/runs/{run_id}/issue", json={"signatory": {"name": "X Y", "function": "Z Z"}},
            headers=headers,
        )  # fmt: skip
        assert response.status_code == 403
    assert platform.titles() == []


def test_a_member_and_its_tokens_see_only_their_titles(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue()
    platform.issued(run_id)
    nancy_title = platform.titles(member_code="nancy")[0]["id"]
    token = identity_headers(kind="machine", scopes=("invoices:read",), member="ludres")
    for headers in (as_contact("ludres"), token):
        page = platform.billing.get("/invoices", headers=headers).json()
        assert {t["member_code"] for t in page["items"]} == {"ludres"}
        assert platform.billing.get(f"/invoices/{nancy_title}", headers=headers).status_code == 404
        other = platform.billing.get("/invoices?member_code=nancy", headers=headers).json()
        assert other["items"] == []
    finance_system = identity_headers(kind="machine", scopes=("invoices:read",))
    assert len(platform.billing.get("/invoices", headers=finance_system).json()["items"]) == 6
    inventory = identity_headers(kind="machine", scopes=("inventory:write",))
    assert platform.billing.get("/invoices", headers=inventory).status_code == 403


def test_each_exercice_and_budget_has_its_own_series_starting_where_configured(
    service_app: Any,
) -> None:
    """Titles are numbered per (exercice, budget), bordereaux per (exercice, budget, type); a
    series starts at the first number configured for its exercice (the range agreed with the
    comptable) and never continues another's."""
    factory = service_app("billing").state.test_sessionmaker
    principal, annexe = Budget(2024, "01", "Principal"), Budget(2024, "02", "Annexe")
    agreed = Budget(2025, "01", "Principal", first_title_number=5001, first_bordereau_number=301)
    with factory() as session:
        drawn = [
            numbering.next_bordereau_number(session, principal, "01"),
            numbering.next_bordereau_number(session, principal, "01"),
            numbering.next_bordereau_number(session, principal, "02"),
            numbering.next_bordereau_number(session, agreed, "01"),
            numbering.next_title_number(session, principal),
            numbering.next_title_number(session, principal),
            numbering.next_title_number(session, annexe),
            numbering.next_title_number(session, agreed),
            numbering.next_title_number(session, agreed),
        ]
        session.rollback()
    assert drawn == [1, 2, 1, 301, 1, 2, 1, 5001, 5002]
