"""The cap ("plafonnement") and its reduction line ("écrêtement") (DESIGN.md, "Cap").

An invoiced member's operating total is capped at the mean of its billed operating totals over
the window years for which it has one, rounded half-up to the cent. No history: no cap.
Investment is never capped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.billing.engine.money import round_half_up_cents

DEFAULT_WINDOW = 3


def window_years(fiscal_year: int, window: int = DEFAULT_WINDOW) -> list[int]:
    """The ``window`` years before ``fiscal_year``, oldest first (Y-3, Y-2, Y-1 by default)."""
    return list(range(fiscal_year - window, fiscal_year))


@dataclass(frozen=True, slots=True)
class CapOutcome:
    years_used: list[int]  # window years for which the member has a billed total
    ceiling_cents: int | None  # None: no history, no cap
    reduction_cents: int  # zero or negative


def cap_ceiling(totals: list[int]) -> int | None:
    """Mean of the totals (cents), half-up to the cent; None without any total."""
    if not totals:
        return None
    return round_half_up_cents(sum(totals), len(totals))


def apply_cap(*, operating_cents: int, history: Mapping[int, int], years: list[int]) -> CapOutcome:
    """Cap ``operating_cents`` with the ``history`` (year → billed operating cents)."""
    used = [year for year in years if year in history]
    ceiling = cap_ceiling([history[year] for year in used])
    reduction = 0 if ceiling is None else min(0, ceiling - operating_cents)
    return CapOutcome(years_used=used, ceiling_cents=ceiling, reduction_cents=reduction)
