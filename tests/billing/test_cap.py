"""The cap (écrêtement): mean of the available window years, half-up to the cent."""

from __future__ import annotations

from services.billing.engine.cap import apply_cap, window_years


def test_the_default_window_is_the_three_previous_years() -> None:
    assert window_years(2026) == [2023, 2024, 2025]
    assert window_years(2026, 2) == [2024, 2025]


def test_cap_with_one_year_of_history() -> None:
    outcome = apply_cap(operating_cents=120_000, history={2023: 100_000}, years=[2021, 2022, 2023])
    assert outcome.ceiling_cents == 100_000
    assert outcome.reduction_cents == -20_000
    assert outcome.years_used == [2023]


def test_cap_with_two_years_rounds_the_mean_half_up() -> None:
    # (1000.00 + 1000.01) / 2 = 1000.005 → 1000.01
    outcome = apply_cap(
        operating_cents=110_000, history={2022: 100_000, 2023: 100_001}, years=[2021, 2022, 2023]
    )
    assert outcome.ceiling_cents == 100_001
    assert outcome.reduction_cents == -9_999


def test_cap_with_three_years_does_nothing_below_the_mean() -> None:
    # (1.00 + 2.00 + 2.01) / 3 = 1.67
    outcome = apply_cap(
        operating_cents=150, history={2021: 100, 2022: 200, 2023: 201}, years=[2021, 2022, 2023]
    )
    assert outcome.ceiling_cents == 167
    assert outcome.reduction_cents == 0


def test_years_outside_the_window_are_ignored() -> None:
    outcome = apply_cap(operating_cents=500, history={2020: 1, 2023: 300}, years=[2021, 2022, 2023])
    assert outcome.years_used == [2023]
    assert outcome.reduction_cents == -200


def test_no_history_means_no_cap() -> None:
    outcome = apply_cap(operating_cents=10**9, history={}, years=[2021, 2022, 2023])
    assert outcome.ceiling_cents is None
    assert outcome.reduction_cents == 0
