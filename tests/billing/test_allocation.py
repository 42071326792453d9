"""Largest-remainder allocation: hand-computed examples and properties (no database)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.billing.engine.allocation import ZeroWeights, allocate


def cents(shares: dict) -> dict[str, int]:  # type: ignore[type-arg]
    return {code: share.cents for code, share in shares.items()}


def test_a_remainder_tie_goes_to_the_lowest_member_code() -> None:
    # 1.00 over three equal weights: 0.33 each, the one cent left goes to "a" (code ascending)
    assert cents(allocate(100, {"c": 1, "a": 1, "b": 1})) == {"a": 34, "b": 33, "c": 33}


def test_the_largest_remainder_wins_before_the_code() -> None:
    # 10.00 over 2:1 → 6.666… and 3.333…: the larger remainder (b, 2/3 cent) gets the cent
    assert cents(allocate(1000, {"a": 1, "b": 2})) == {"a": 333, "b": 667}


def test_several_remainder_cents_go_to_the_largest_remainders() -> None:
    # 0.05 over 3/3/1/1 (Σ8): exact 1.875, 1.875, 0.625, 0.625 cents → floors 1,1,0,0; 3 left
    shares = allocate(5, {"d": 3, "c": 3, "b": 1, "a": 1})
    assert cents(shares) == {"c": 2, "d": 2, "a": 1, "b": 0}
    assert shares["a"].leftover_cents == 3
    assert shares["b"].rank == 4


def test_decimal_weights_are_exact() -> None:
    shares = allocate(10000, {"x": Decimal("0.5"), "y": Decimal("0.25"), "z": Decimal("0.250")})
    assert cents(shares) == {"x": 5000, "y": 2500, "z": 2500}
    assert shares["x"].exact() == "50.00000000"


def test_a_credit_rounds_like_a_charge() -> None:
    assert cents(allocate(-100, {"a": 1, "b": 1, "c": 1})) == {"a": -34, "b": -33, "c": -33}


def test_zero_weights_are_refused() -> None:
    with pytest.raises(ZeroWeights):
        allocate(100, {"a": 0, "b": Decimal("0.00")})


def test_the_rounding_is_explained() -> None:
    share = allocate(1000, {"a": 1, "b": 2})["a"]
    assert share.rounding() == {
        "exact": "3.33333333",
        "floored": "3.33",
        "remainder_cent": "0.00",
        "remainder_rank": 2,
        "remainder_cents_distributed": 1,
    }


codes = st.text(alphabet="abcdefghij-", min_size=1, max_size=6)
weights = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False)


@given(
    amount=st.integers(min_value=-(10**11), max_value=10**11),
    table=st.dictionaries(codes, weights, min_size=1, max_size=40).filter(
        lambda t: sum(t.values()) > 0
    ),
)
def test_shares_always_add_up_to_the_amount(amount: int, table: dict[str, Decimal]) -> None:
    shares = allocate(amount, table)
    assert sum(s.cents for s in shares.values()) == amount
    total = sum(table.values())
    for code, share in shares.items():
        exact = Decimal(amount) * table[code] / total
        assert abs(Decimal(share.cents) - exact) < 1  # never a full cent away from exact


@given(
    amount=st.integers(min_value=0, max_value=10**9),
    table=st.dictionaries(codes, weights, min_size=1, max_size=30).filter(
        lambda t: sum(t.values()) > 0
    ),
    data=st.data(),
)
def test_the_order_of_members_changes_nothing(
    amount: int, table: dict[str, Decimal], data: st.DataObject
) -> None:
    order = data.draw(st.permutations(list(table)))
    assert cents(allocate(amount, {c: table[c] for c in order})) == cents(allocate(amount, table))


@given(
    amount=st.integers(min_value=-(10**11), max_value=10**11),
    table=st.dictionaries(codes, weights, min_size=1, max_size=10).filter(
        lambda t: sum(t.values()) > 0
    ),
)
def test_the_exact_share_shown_is_the_decimal_quotient_rounded_half_up(
    amount: int, table: dict[str, Decimal]
) -> None:
    total = sum(table.values())
    for code, share in allocate(amount, table).items():
        exact = (abs(amount) * table[code] / total / 100).quantize(
            Decimal("0.00000001"), rounding=ROUND_HALF_UP
        )
        expected = f"-{exact:f}" if amount < 0 and exact else f"{exact:f}"
        assert share.exact() == expected
