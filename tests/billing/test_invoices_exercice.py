"""Titles in the public accounts: the exercice they are taken on (not the service year), the
four-year prescription, the journée complémentaire, one series per (exercice, budget) from the
first number agreed with the comptable, and the forecast rule of CGCT D5211-16."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lxml import etree

from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import YEAR, check

NS = {"n": "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller"}
LATE = "Prévision notifiée par courrier avant la mise en service de Mutualis"


def ready(service_app: Any, day: dt.date, **kwargs: Any) -> tuple[TitlesPlatform, int]:
    """The worked example of ``YEAR``, issued on ``day``, every member's BP of the exercice
    open that day voted."""
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue(**kwargs)
    for code in ("ludres", "nancy", "laxou"):
        platform.bp(code, f"{day.year}-03-15", year=day.year)
    platform.set_today(day)
    return platform, run_id


def pes_of(platform: TitlesPlatform, bordereau_id: int) -> Any:
    xml = platform.billing.get(f"/bordereaux/{bordereau_id}/pes.xml").content
    return etree.fromstring(xml)


def values(root: Any, path: str) -> list[str]:
    return [e.get("V") for e in root.iterfind(path, NS)]


def test_titles_of_a_past_year_are_taken_on_the_open_exercice(service_app: Any) -> None:
    platform, run_id = ready(service_app, dt.date(YEAR + 2, 12, 1))
    result = platform.issued(run_id)
    assert {(t["fiscal_year"], t["exercice"]) for t in result["issued"]} == {(YEAR, YEAR + 2)}
    assert {t["reference"][:8] for t in result["issued"]} == {f"{YEAR + 2}-01-"}
    (bordereau,) = result["bordereaux"]
    assert (bordereau["fiscal_year"], bordereau["exercice"]) == (YEAR, YEAR + 2)
    root = pes_of(platform, bordereau["id"])
    assert values(root, ".//Bordereau/BlocBordereau/Exer") == [str(YEAR + 2)]


def test_the_journee_complementaire_keeps_the_past_exercice_open_until_31_january(
    service_app: Any,
) -> None:
    platform, run_id = ready(service_app, dt.date(YEAR + 1, 1, 31))
    on_31 = platform.issued(run_id, members=["ludres"])["issued"]
    assert {t["exercice"] for t in on_31} == {YEAR}
    platform.set_today(dt.date(YEAR + 1, 2, 1))
    waiting = platform.issued(run_id, members=["nancy"])["waiting"]
    # now on exercice YEAR + 1: it is the BP of that year which must be voted
    assert {w["reason"] for w in waiting} == {"bp-not-voted"}
    assert f"budget primitif {YEAR + 1}" in waiting[0]["detail"]
    platform.bp("nancy", f"{YEAR + 1}-01-25", year=YEAR + 1)
    on_1st = platform.issued(run_id, members=["nancy"])["issued"]
    assert {t["exercice"] for t in on_1st} == {YEAR + 1}
    # each exercice numbers from its own start
    assert sorted(t["number"] for t in on_31) == [1, 2]
    assert sorted(t["number"] for t in on_1st) == [1, 2]


def test_the_open_exercice_of_a_service_year_is_read_as_issuing_would_take_it(
    service_app: Any,
) -> None:
    platform = TitlesPlatform(service_app)
    for today, exercice in ((dt.date(YEAR + 1, 1, 31), YEAR), (dt.date(YEAR + 1, 2, 1), YEAR + 1)):
        platform.set_today(today)
        read = check(platform.billing.get("/exercices/open", params={"service_year": YEAR}))
        assert read == {"service_year": YEAR, "exercice": exercice}
    platform.set_today(dt.date(YEAR - 1, 6, 1))
    not_open = platform.billing.get("/exercices/open", params={"service_year": YEAR})
    assert not_open.json()["type"] == "urn:mutualis:problem:exercice-not-open"


def test_claims_are_prescribed_from_the_first_day_of_the_fifth_year(service_app: Any) -> None:
    platform, run_id = ready(service_app, dt.date(YEAR + 4, 12, 31))
    assert platform.issue(run_id, members=["ludres"]).status_code == 200  # last day
    platform.set_today(dt.date(YEAR + 5, 1, 1))
    refused = platform.issue(run_id, members=["nancy"])
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["type"] == "urn:mutualis:problem:claims-prescribed"
    assert "68-1250" in problem["detail"]
    assert {t["member_code"] for t in platform.titles(status="issued")} == {"ludres"}


def test_a_year_not_begun_is_not_titled(service_app: Any) -> None:
    platform, run_id = ready(service_app, dt.date(YEAR - 1, 12, 31))
    refused = platform.issue(run_id)
    assert refused.status_code == 409
    assert refused.json()["type"] == "urn:mutualis:problem:exercice-not-open"


def test_numbers_start_at_the_range_agreed_for_the_exercice_and_budget(service_app: Any) -> None:
    platform, run_id = ready(service_app, dt.date(YEAR + 2, 3, 20))
    agreed = {
        "budget_code": "02",
        "budget_name": "Budget annexe des services communs",
        "first_title_number": 4001,
        "first_bordereau_number": 71,
    }
    configured = check(platform.billing.put(f"/exercices/{YEAR + 2}", json=agreed))
    assert (configured["next_title_number"], configured["source"]) == (4001, "configured")
    result = platform.issued(run_id)
    numbers = sorted(t["number"] for t in result["issued"])
    assert numbers == list(range(4001, 4007))
    assert {t["budget_code"] for t in result["issued"]} == {"02"}
    (bordereau,) = result["bordereaux"]
    assert bordereau["number"] == 71
    root = pes_of(platform, bordereau["id"])
    assert values(root, ".//EnTetePES/CodBud") == ["02"]
    pieces = values(root, ".//Piece/BlocPiece/IdPce")
    assert sorted(pieces) == sorted(str(n) for n in numbers)  # no two pieces share an IdPce
    # the series has started: its budget and first numbers are fixed
    moved = platform.billing.put(f"/exercices/{YEAR + 2}", json={**agreed, "first_title_number": 1})
    assert moved.status_code == 409
    assert moved.json()["type"] == "urn:mutualis:problem:exercice-numbering-started"
    after = check(platform.billing.get(f"/exercices/{YEAR + 2}"))
    assert (after["first_title_number"], after["next_title_number"]) == (4001, 4007)


def test_without_a_forecast_made_available_in_time_issuing_needs_a_reason(
    service_app: Any,
) -> None:
    platform, run_id = ready(service_app, dt.date(YEAR, 6, 1), forecast_on=None)
    refused = platform.issue(run_id)
    assert refused.status_code == 409
    assert refused.json()["type"] == "urn:mutualis:problem:forecast-not-in-time"
    assert "D5211-16" in refused.json()["detail"]
    assert platform.titles(status="issued") == []
    result = platform.issued(run_id, forecast_reason=LATE)
    assert {t["forecast_reason"] for t in result["issued"]} == {LATE}
    audit = platform.billing.get("/audit-entries", params={"resource_type": "invoice"}).json()
    prepared = [e for e in audit["items"] if e["action"] == "prepare"]
    assert {e["after"]["forecast_reason"] for e in prepared} == {LATE}


def test_a_forecast_made_available_after_the_bp_deadline_is_not_in_time(
    service_app: Any,
) -> None:
    """15 April outside a council-renewal year (2026 is one: 30 April, tested on the rule)."""
    late, run_id = ready(service_app, dt.date(YEAR, 6, 1), forecast_on=f"{YEAR}-04-16")
    assert late.issue(run_id).json()["type"] == "urn:mutualis:problem:forecast-not-in-time"


def test_a_forecast_made_available_on_the_deadline_is_in_time(service_app: Any) -> None:
    platform, run_id = ready(service_app, dt.date(YEAR, 6, 1), forecast_on=f"{YEAR}-04-15")
    result = platform.issued(run_id)
    assert len(result["issued"]) == 6
    assert {t["forecast_reason"] for t in result["issued"]} == {None}


def test_the_bp_deadline_moves_to_30_april_in_a_council_renewal_year() -> None:
    from services.billing.forecasts.service import budget_deadline

    assert budget_deadline(2026, [2020, 2026]) == dt.date(2026, 4, 30)
    assert budget_deadline(2027, [2020, 2026]) == dt.date(2027, 4, 15)


def test_issuing_warns_when_the_final_amount_exceeds_the_forecast_by_more_than_5_percent(
    service_app: Any,
) -> None:
    """Forecast made available on 1 March; then 100.00 more for Laxou: 833.34 notified,
    933.34 final (+12.0 %, over 5 %); the others stay within their forecast."""
    platform = TitlesPlatform(service_app)
    platform.worked_example()
    for code in ("ludres", "nancy", "laxou"):
        platform.bp(code, f"{YEAR}-03-15")
    platform.forecast_made_available(f"{YEAR}-03-01")
    platform.cost_line("helpdesk", "100.00", weights={"laxou": "1"})
    run = platform.run("final")
    result = platform.issued(int(run["id"]))
    assert [(w["member_code"], w["forecast"], w["final"], w["difference_percent"])
            for w in result["warnings"]] == [("laxou", "833.34", "933.34", "12.0")]  # fmt: skip
    assert "décision modificative" in result["warnings"][0]["detail"]
    laxou = check(platform.billing.get(f"/runs/{run['id']}/members/laxou"))["forecast_comparison"]
    assert (laxou["forecast"], laxou["final"], laxou["dm_may_be_needed"]) == (
        "833.34",
        "933.34",
        True,
    )
    ludres = check(platform.billing.get(f"/runs/{run['id']}/members/ludres"))
    assert ludres["forecast_comparison"]["dm_may_be_needed"] is False
    assert ludres["forecast_comparison"]["detail"] == ""
