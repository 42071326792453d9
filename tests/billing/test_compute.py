"""A whole computation by hand (payroll, direct, indirect, cap) and its failures."""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.billing.engine.compute import compute
from services.billing.engine.money import MoneyError, fmt, to_cents
from services.billing.engine.problems import InputProblems
from services.billing.engine.snapshot import Member, Parameters, Snapshot
from tests.billing.factories import YEAR, direct, indirect, worked_example


def totals_of(snapshot: Snapshot) -> dict[str, dict[str, str]]:
    return {m.code: {k: fmt(v) for k, v in m.totals().items()} for m in compute(snapshot).members}


def test_payroll_share_is_by_workstations_with_the_host_included() -> None:
    result = compute(worked_example())
    payroll = {m.code: fmt(m.amounts["payroll"]) for m in result.members}
    assert payroll == {
        "grand-nancy": "5000.00",
        "laxou": "500.00",
        "ludres": "2000.00",
        "nancy": "2500.00",
    }
    assert result.payroll["rate_per_workstation"] == "100.00000000"


def test_direct_lines_are_allocated_one_by_one_with_the_tie_cent_to_the_lowest_code() -> None:
    totals = totals_of(worked_example())
    assert totals["ludres"]["direct_operating"] == "100.00"
    assert totals["nancy"]["direct_operating"] == "200.00"
    # 1000.00 / 3: the remainder cent goes to laxou (code ascending among equal remainders)
    assert [totals[c]["direct_investment"] for c in ("laxou", "ludres", "nancy")] == [
        "333.34",
        "333.33",
        "333.33",
    ]


def test_a_host_that_uses_a_pool_takes_its_share_of_it() -> None:
    result = compute(worked_example())
    totals = {m.code: m.amounts["indirect_operating"] for m in result.members}
    assert totals == {"grand-nancy": 50000, "ludres": 25000, "nancy": 25000, "laxou": 0}
    assert result.pools[0]["unit_price"] == "5.00000000"
    assert result.pools[0]["total_usage"] == "200"


def test_cap_cuts_to_the_three_year_mean_with_its_own_line() -> None:
    ludres = next(m for m in compute(worked_example()).members if m.code == "ludres")
    assert fmt(ludres.operating) == "2350.00"
    assert ludres.cap is not None
    assert ludres.cap["ceiling"] == "2100.00"
    assert fmt(ludres.amounts["cap_reduction"]) == "-250.00"
    assert fmt(ludres.operating_invoiced) == "2100.00"
    assert ludres.lines[-1]["kind"] == "cap"
    assert ludres.lines[-1]["amount"] == "-250.00"


def test_a_member_that_joined_this_year_has_no_cap() -> None:
    laxou = next(m for m in compute(worked_example()).members if m.code == "laxou")
    assert laxou.cap is not None
    assert laxou.cap["ceiling"] is None
    assert fmt(laxou.operating_invoiced) == "500.00"


def test_the_host_is_never_capped_and_a_left_member_is_not_billed() -> None:
    result = compute(worked_example())
    host = next(m for m in result.members if m.is_host)
    assert host.cap is None
    assert not host.invoiced
    assert "old" not in {m.code for m in result.members}


def test_the_engine_never_invoices_the_host_even_when_told_to() -> None:
    """The registry may mark the host as invoiced by mistake: the engine's own guard holds."""
    example = worked_example()
    members = tuple(
        dataclasses.replace(m, invoiced=True) if m.is_host else m for m in example.members
    )
    result = compute(dataclasses.replace(example, members=members))
    host = next(m for m in result.members if m.is_host)
    assert not host.invoiced
    totals = {k: fmt(v) for k, v in result.totals.items()}
    assert totals["invoiced_total"] == "6550.00"
    assert totals["host_absorbs"] == "5750.00"


def test_run_totals_add_up_and_say_what_the_host_absorbs() -> None:
    totals = {k: fmt(v) for k, v in compute(worked_example()).totals.items()}
    assert totals["operating"] == "11300.00"
    assert totals["cap_reduction"] == "-250.00"
    assert totals["host_share"] == "5500.00"
    assert totals["host_absorbs"] == "5750.00"
    assert totals["invoiced_total"] == "6550.00"
    # every euro of cost is either invoiced or absorbed
    assert to_cents(totals["invoiced_total"]) + to_cents(totals["host_absorbs"]) == 1_230_000


def test_lines_add_up_to_each_member_total() -> None:
    for member in compute(worked_example()).members:
        lines = sum(to_cents(line["amount"]) for line in member.lines)
        assert lines == member.operating_invoiced + member.investment


def test_bad_inputs_give_the_full_list_of_problems() -> None:
    snapshot = dataclasses.replace(
        worked_example(),
        workstations=(("grand-nancy", 50), ("ludres", 20), ("laxou", 5)),  # nancy missing
        cost_lines=(
            direct("L1", "300.00", {"ludres": "1", "ghost": "2"}),
            indirect("L9", "10.00", "accounts"),
        ),
        drivers=(("storage_gb", "Go"), ("accounts", "compte")),
    )
    with pytest.raises(InputProblems) as caught:
        compute(snapshot)
    codes = sorted(p.code for p in caught.value.problems)
    assert codes == ["missing-workstations", "pool-without-usage", "unknown-member"]
    assert all(p.fix for p in caught.value.problems)


def test_a_cost_line_finer_than_a_cent_is_a_problem_not_a_rounding() -> None:
    """The catalogue keeps cents; a line of 10.001 € must be corrected, never rounded away."""
    snapshot = dataclasses.replace(
        worked_example(), cost_lines=(direct("L1", "10.001", {"ludres": "1"}),)
    )
    with pytest.raises(InputProblems) as caught:
        compute(snapshot)
    assert [p.code for p in caught.value.problems] == ["bad-amount"]
    assert "more than two decimals" in caught.value.problems[0].message


@pytest.mark.parametrize("value", ["10.001", "1e-3", "NaN", "Infinity", "abc"])
def test_to_cents_refuses_what_is_not_an_amount_to_the_cent(value: str) -> None:
    with pytest.raises(MoneyError):
        to_cents(value)


member_codes = st.lists(
    st.text(alphabet="abcdefgh", min_size=1, max_size=4), min_size=1, max_size=8, unique=True
)


@settings(max_examples=40, deadline=None)
@given(
    codes=member_codes,
    data=st.data(),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_permuting_members_and_lines_changes_nothing_but_order(
    codes: list[str], data: st.DataObject, seed: int
) -> None:
    counts = data.draw(st.lists(st.integers(1, 500), min_size=len(codes), max_size=len(codes)))
    amounts = data.draw(st.lists(st.integers(0, 10**8), min_size=1, max_size=5))
    usage = data.draw(st.lists(st.integers(1, 10**4), min_size=len(codes), max_size=len(codes)))
    snapshot = Snapshot(
        fiscal_year=YEAR,
        parameters=Parameters(payroll_envelope="123456.78", cap_enabled=False),
        members=tuple(Member(c, c, i == 0, i != 0) for i, c in enumerate(codes)),
        workstations=tuple(zip(codes, counts, strict=True)),
        drivers=(("gb", "Go"),),
        cost_lines=tuple(
            direct(f"D{i}", fmt(a), {c: str(n) for c, n in zip(codes, counts, strict=True)})
            for i, a in enumerate(amounts)
        )
        + (indirect("I0", fmt(sum(amounts)), "gb"),),
        usage=tuple(("gb", c, str(u)) for c, u in zip(codes, usage, strict=True)),
    )
    rng = random.Random(seed)
    shuffled = dataclasses.replace(
        snapshot,
        members=tuple(rng.sample(snapshot.members, len(snapshot.members))),
        workstations=tuple(rng.sample(snapshot.workstations, len(snapshot.workstations))),
        cost_lines=tuple(rng.sample(snapshot.cost_lines, len(snapshot.cost_lines))),
        usage=tuple(rng.sample(snapshot.usage, len(snapshot.usage))),
    )
    assert totals_of(shuffled) == totals_of(snapshot)
    result = compute(snapshot)
    expected = 12345678 + 2 * sum(amounts)
    assert sum(m.operating_invoiced + m.investment for m in result.members) == expected
