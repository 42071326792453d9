"""The comparison of a member's bill with hiring its own IT staff, hand-computed on a small
case: billing's run and the catalogue's staffing references, read over HTTP."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from services.billing.comparisons.staffing import (
    Bill,
    Need,
    Profile,
    ProfileNeed,
    band_needs,
    compare,
)
from tests.billing.staffing_case import small_case
from tests.billing.upstream import YEAR, Platform, check
from tests.conftest import as_contact, sync_client
from tests.french import FRENCH


@pytest.fixture
def platform(service_app: Any) -> Platform:
    made = Platform(service_app)
    small_case(made)
    return made


def test_each_members_bill_beside_hiring_its_own_staff_for_the_services_it_uses(
    platform: Platform,
) -> None:
    run = platform.run("final")
    body = check(platform.billing.get(f"/comparisons/{YEAR}/ludres"))
    assert body["run"]["id"] == run["id"]
    assert body["bill"] == "1700.00"  # 1,250 + 250 + 200
    assert body["payroll"] == "1250.00"
    assert body["other_costs"] == "450.00"
    assert [s["code"] for s in body["services"]] == ["postes", "securite"]
    assert body["skills"] == 2
    assert body["skills_available"] == 3
    # (0.1 × 80,000 + 0.3 × 48,000) / 0.4 = 56,000
    assert body["average_cost"] == "56000.00"
    assert body["average_basis"] == "needs"
    assert body["equivalent_posts_bill"] == "0.03"  # 1,700 / 56,000
    assert body["equivalent_posts_payroll"] == "0.02"  # 1,250 / 56,000
    assert body["needed_posts"] == "0.4"
    assert body["hireable_posts"] == "1"  # half a post each, at least
    profiles = {p["code"]: p for p in body["profiles"]}
    assert profiles["rssi"]["needed_fte"] == "0.1"
    assert profiles["rssi"]["hireable_fte"] == "0.5"
    assert profiles["rssi"]["cost"] == "40000.00"
    assert profiles["technicien"]["cost"] == "24000.00"
    assert body["own_staff_cost"] == "64000.00"
    assert body["own_staff_minus_payroll"] == "62750.00"

    # a larger member falls in the upper band, rounded up to the tenth of a post
    page = check(platform.billing.get(f"/comparisons/{YEAR}"))
    nancy = next(i for i in page["items"] if i["member_code"] == "nancy")
    assert {i["member_code"] for i in page["items"]} == {"grand-nancy", "ludres", "nancy"}
    assert nancy["bill"] == "11750.00"  # 7,500 + 750 + 500 + 3,000
    profiles = {
        p["code"]: (p["needed_fte"], p["hireable_fte"], p["cost"]) for p in nancy["profiles"]
    }
    assert profiles == {
        "rssi": ("0.5", "0.5", "40000.00"),
        "technicien": ("1.55", "1.6", "76800.00"),
        "ingenieur": ("0.2", "0.5", "33000.00"),
    }
    assert nancy["own_staff_cost"] == "149800.00"
    assert nancy["average_cost"] == "56711.11"  # 127,600 / 2.25
    assert nancy["equivalent_posts_bill"] == "0.21"
    assert nancy["skills"] == 3

    # a member's contact sees its own comparison only; the refusals are French
    contact = sync_client(platform.billing_app, base_url="http://x", headers=as_contact("ludres"))
    own = check(contact.get(f"/comparisons/{YEAR}"))
    other = contact.get(f"/comparisons/{YEAR}/nancy", headers=FRENCH)
    no_run = platform.billing.get(f"/comparisons/{YEAR + 1}/ludres", headers=FRENCH)
    assert [i["member_code"] for i in own["items"]] == ["ludres"]
    assert other.status_code == 404
    assert other.json()["detail"] == "Aucun adhérent ne porte le code « nancy »."
    assert no_run.status_code == 404
    assert no_run.headers["content-type"].startswith("application/problem+json")
    assert no_run.json()["detail"].startswith(f"Aucun calcul de {YEAR + 1} n'a abouti")


def test_the_final_run_is_used_before_the_forecast_and_the_forecast_without_it(
    platform: Platform,
) -> None:
    forecast = platform.run("forecast")
    before = check(platform.billing.get(f"/comparisons/{YEAR}/ludres"))
    final = platform.run("final")
    platform.run("forecast")
    after = check(platform.billing.get(f"/comparisons/{YEAR}/ludres"))
    assert before["run"] == {**before["run"], "id": forecast["id"], "kind": "forecast"}
    assert after["run"] == {**after["run"], "id": final["id"], "kind": "final"}


def test_each_band_is_the_greatest_threshold_not_above_the_workstations() -> None:
    needs = [
        Need("s", "S", "p", 0, Decimal("0.1")),
        Need("s", "S", "p", 50, Decimal("0.2")),
        Need("s", "S", "p", 250, Decimal("0.5")),
        Need("t", "T", "p", 100, Decimal("1")),
    ]
    assert {k: n.fte for k, n in band_needs(needs, 49).items()} == {("s", "p"): Decimal("0.1")}
    assert {k: n.fte for k, n in band_needs(needs, 250).items()} == {
        ("s", "p"): Decimal("0.5"),
        ("t", "p"): Decimal("1"),
    }
    dpo = Profile("dpo", "DPO", 6_400_000, 2025, "x", Decimal("0.2"))
    assert ProfileNeed(dpo, Decimal("0.05")).hireable == Decimal("0.2")
    assert ProfileNeed(dpo, Decimal("0.21")).hireable == Decimal("0.3")
    assert ProfileNeed(dpo, Decimal("0.21")).cost_cents == 1_920_000


def test_ten_posts_read_as_ten() -> None:
    technicien = Profile("technicien", "Technicien", 4_800_000, 2025, "x", Decimal("0.5"))
    need = Need("postes", "Postes", "technicien", 0, Decimal("10"))
    bill = Bill("nancy", "Nancy", 2000, 100_000, 200_000, lines=(_direct_line("postes"),))
    body = compare(bill, pools=[], profiles=[technicien], needs=[need])
    assert (body["needed_posts"], body["hireable_posts"]) == ("10", "10")
    assert body["profiles"][0]["hireable_fte"] == "10"
    assert body["own_staff_cost"] == "480000.00"


def _direct_line(service: str) -> dict[str, Any]:
    return {"kind": "direct", "amount": "10.00", "basis": {"service_code": service}}
