"""Gapless numbering at issue: titles (and their corrections) in one series per (exercice,
budget) whatever the section, bordereaux per (exercice, budget, type), the change feed. Every
value comes from a counter row incremented inside the issuing transaction (see
``repository.next_value``); a number is never reused nor deleted. A series starts at the first
number configured for its exercice (``ExerciceBudget``), the range agreed with the comptable.

Lock order, to never deadlock: the feed counter first (every write to titles takes it, which
also makes the feed order the commit order), then title and bordereau counters.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.billing.invoices import repository
from services.billing.invoices.exercice import Budget

FEED = "feed"


def title_series(budget: Budget) -> str:
    return f"title:{budget.exercice}:{budget.code}"


def mandate_series(budget: Budget) -> str:
    """Proposals of mandate: numbered to be referred to, the mandate's own number is the
    expense software's."""
    return f"mandate-proposal:{budget.exercice}:{budget.code}"


def bordereau_series(budget: Budget, bordereau_type: str) -> str:
    return f"bordereau:{budget.exercice}:{budget.code}:{bordereau_type}"


def reference(budget: Budget, number: int, *, mandate: bool = False) -> str:
    """``2026-01-000012`` (title 12 of budget 01 on exercice 2026); ``2026-01-PM0001`` (the
    first proposal of mandate handed to the expense software, which numbers the mandate)."""
    if mandate:
        return f"{budget.exercice}-{budget.code}-PM{number:04d}"
    return f"{budget.exercice}-{budget.code}-{number:06d}"


def lock_feed(session: Session) -> None:
    """First statement of every write to titles: serialises them in commit order."""
    repository.lock(session, FEED)


def next_feed_seq(session: Session) -> int:
    return repository.next_value(session, FEED)


def next_title_number(session: Session, budget: Budget) -> int:
    return budget.first_title_number - 1 + repository.next_value(session, title_series(budget))


def next_mandate_number(session: Session, budget: Budget) -> int:
    return repository.next_value(session, mandate_series(budget))


def next_bordereau_number(session: Session, budget: Budget, bordereau_type: str) -> int:
    first = budget.first_bordereau_number
    return first - 1 + repository.next_value(session, bordereau_series(budget, bordereau_type))


def next_liquidation_batch(session: Session, budget: Budget) -> str:
    """``2026-01-L0003``: the third batch of liquidations handed over on that exercice."""
    number = repository.next_value(session, f"liquidation:{budget.exercice}:{budget.code}")
    return f"{budget.exercice}-{budget.code}-L{number:04d}"
