"""Linear spreading of an investment to the cent (pure function)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.catalogue.cost_lines.spreading import share_for_year, spread_cents


def test_the_last_year_takes_the_rounding_remainder() -> None:
    assert spread_cents(100_000, 3) == [33_333, 33_333, 33_334]


def test_a_year_outside_the_depreciation_counts_nothing() -> None:
    assert share_for_year(1000, 2024, 2, 2026) == 0
    assert share_for_year(1000, 2024, None, 2024) == 1000


@given(st.integers(min_value=0, max_value=10**13), st.integers(min_value=1, max_value=50))
def test_the_years_always_add_up_to_the_amount(amount: int, years: int) -> None:
    shares = spread_cents(amount, years)
    assert sum(shares) == amount
    assert len(shares) == years
    assert max(shares) - min(shares) < years
