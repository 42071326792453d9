"""What-if changes applied to a snapshot and compared with the base (pure, no database): the
payroll share moved by one member's workstations, computed by hand."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from services.billing.engine.compute import compute
from services.billing.engine.snapshot import Member, Parameters, Snapshot
from services.billing.simulations.changes import ChangeErrors, apply_changes, describe
from services.billing.simulations.comparison import compare
from services.billing.simulations.schemas import Change
from tests.billing.factories import YEAR, worked_example

CHANGES = TypeAdapter(list[Change])


def changes(*items: dict[str, Any]) -> list[Change]:
    return CHANGES.validate_python(list(items))


def four_members() -> Snapshot:
    """A payroll envelope of 1 000,00 € over 7 + 5 + 3 + 4 = 19 workstations."""
    return Snapshot(
        fiscal_year=YEAR,
        parameters=Parameters(payroll_envelope="1000.00"),
        members=(
            Member("grand-nancy", "Métropole", is_host=True, invoiced=False),
            Member("laxou", "Laxou"),
            Member("ludres", "Ludres"),
            Member("nancy", "Nancy"),
        ),
        workstations=(("grand-nancy", 7), ("laxou", 5), ("ludres", 3), ("nancy", 4)),
    )


def payroll_cents(snapshot: Snapshot) -> dict[str, int]:
    return {m.code: m.amounts["payroll"] for m in compute(snapshot).members}


def test_one_members_workstations_move_every_payroll_share_by_hand() -> None:
    # Base, Σw = 19, 100 000 cents: floors and remainders (numerators over 19)
    #   grand-nancy 700 000 / 19 = 36 842 r 2     laxou 500 000 / 19 = 26 315 r 15
    #   ludres      300 000 / 19 = 15 789 r 9     nancy 400 000 / 19 = 21 052 r 12
    # floors add up to 99 998: the 2 cents left go to the largest remainders, laxou and nancy.
    base = {"grand-nancy": 36842, "laxou": 26316, "ludres": 15789, "nancy": 21053}
    # Ludres goes from 3 to 6 workstations, Σw = 22:
    #   grand-nancy 700 000 / 22 = 31 818 r 4     laxou 500 000 / 22 = 22 727 r 6
    #   ludres      600 000 / 22 = 27 272 r 16    nancy 400 000 / 22 = 18 181 r 18
    # floors add up to 99 998: the 2 cents go to nancy (18) and ludres (16).
    simulated = {"grand-nancy": 31818, "laxou": 22727, "ludres": 27273, "nancy": 18182}
    assert sum(base.values()) == sum(simulated.values()) == 100000
    snapshot = four_members()
    assert payroll_cents(snapshot) == base
    changed = apply_changes(
        snapshot, changes({"kind": "workstations", "member_code": "ludres", "count": 6})
    )
    assert payroll_cents(changed) == simulated
    rows = {r["member_code"]: r for r in compare(compute(snapshot), compute(changed), lines=True)}
    assert {c: r["difference"]["payroll"] for c, r in rows.items()} == {
        "grand-nancy": "-50.24",
        "laxou": "-35.89",
        "ludres": "114.84",
        "nancy": "-28.71",
    }
    assert rows["ludres"]["workstations"] == {"base": 3, "simulated": 6}
    assert rows["nancy"]["lines"] == [
        {
            "key": "payroll",
            "kind": "payroll",
            "section": "operating",
            "label": "Quote-part de masse salariale",
            "base": "210.53",
            "simulated": "181.82",
            "difference": "-28.71",
        }
    ]
    assert snapshot.workstations == four_members().workstations  # the base is untouched


def test_no_change_gives_the_base_line_by_line() -> None:
    base = compute(worked_example())
    rows = compare(base, compute(apply_changes(worked_example(), [])), lines=True)
    for row in rows:
        assert set(row["difference"].values()) == {"0.00"}
        assert all(line["difference"] == "0.00" for line in row["lines"])


def test_a_member_leaving_takes_its_weights_usage_and_workstations_with_it() -> None:
    changed = apply_changes(
        worked_example(), changes({"kind": "member_leave", "member_code": "nancy"})
    )
    result = {m.code: m for m in compute(changed).members}
    assert "nancy" not in result
    assert result["ludres"].amounts["direct_operating"] == 30000  # all of the 300.00 line
    # 1 000 000 cents × 20 / 75 = 266 666 r 50/75, as grand-nancy's and laxou's: the two cents
    # left go to the lowest codes among equal remainders, grand-nancy and laxou
    assert result["ludres"].amounts["payroll"] == 266666
    assert result["laxou"].amounts["payroll"] == 66667


def test_a_member_joining_takes_its_payroll_share() -> None:
    joining = {"kind": "member_join", "member_code": "heillecourt", "name": "Heillecourt",
               "workstations": 25}  # fmt: skip
    changed = apply_changes(worked_example(), changes(joining))
    result = {m.code: m for m in compute(changed).members}
    assert result["heillecourt"].amounts["payroll"] == 200000  # 10 000 € × 25 / 125
    assert result["heillecourt"].invoiced is True


def test_cost_lines_envelope_and_cap_changes() -> None:
    changed = apply_changes(
        worked_example(),
        changes(
            {"kind": "cap", "enabled": False},
            {"kind": "payroll_envelope", "amount": "20000.00"},
            {"kind": "cost_line_amount", "cost_line_id": "L1", "amount": "600.00"},
            {"kind": "cost_line_remove", "cost_line_id": "L2"},
            {
                "kind": "cost_line_add",
                "component_code": "visio",
                "label": "Visioconférence",
                "amount": "90.00",
                "allocation": [{"member_code": "nancy", "weight": "1"}],
            },
        ),  # fmt: skip
    )
    nancy = next(m for m in compute(changed).members if m.code == "nancy")
    assert nancy.amounts["payroll"] == 500000
    assert nancy.amounts["direct_operating"] == 40000 + 9000
    assert nancy.amounts["direct_investment"] == 0
    assert nancy.cap is None  # the cap is off
    assert any(line["label"] == "Visioconférence" for line in nancy.lines)


def test_changes_that_do_not_fit_are_refused_each_with_its_place() -> None:
    with pytest.raises(ChangeErrors) as refused:
        apply_changes(
            worked_example(),
            changes(
                {"kind": "workstations", "member_code": "old", "count": 3},  # left in 2023
                {"kind": "usage", "driver_code": "nope", "member_code": "ludres", "quantity": 1},
                {"kind": "cost_line_remove", "cost_line_id": "L9"},
                {"kind": "member_leave", "member_code": "grand-nancy"},
            ),
        )
    fields = [e["field"] for e in refused.value.errors]
    assert fields == [
        "changes.0.member_code",
        "changes.1.driver_code",
        "changes.2.cost_line_id",
        "changes.3.member_code",
    ]
    assert "ne peut pas se retirer" in refused.value.errors[3]["message_fr"]


def test_changes_are_described_in_french() -> None:
    assert describe({"kind": "workstations", "member_code": "ludres", "count": 6}) == (
        "Nombre de postes de travail de « ludres » : 6"
    )
    assert describe({"kind": "payroll_envelope", "amount": "12000.50"}) == (
        "Enveloppe de masse salariale : 12\u202f000,50 €"
    )
    assert describe({"kind": "cap", "enabled": False}) == "Plafonnement : désactivé"
