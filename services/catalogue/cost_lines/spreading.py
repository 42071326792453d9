"""Linear spreading of an investment over its depreciation years, exact to the cent."""

from __future__ import annotations


def spread_cents(amount_cents: int, years: int) -> list[int]:
    """Each year gets the amount divided by ``years`` floored to the cent; the last year takes
    the remainder, so the years add up to the amount exactly."""
    if years < 1:
        raise ValueError("years must be at least 1")
    share = amount_cents // years
    return [share] * (years - 1) + [amount_cents - share * (years - 1)]


def share_for_year(amount_cents: int, first_year: int, years: int | None, year: int) -> int:
    """What a line of ``first_year`` counts for in ``year`` (0 outside its years)."""
    shares = spread_cents(amount_cents, years or 1)
    index = year - first_year
    return shares[index] if 0 <= index < len(shares) else 0
