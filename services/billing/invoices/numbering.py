"""Gapless numbering at issue: titles per (fiscal year, section), bordereaux per (fiscal year,
type), the change feed. Every value comes from a counter row incremented inside the issuing
transaction (see ``repository.next_value``); a number is never reused nor deleted.

Lock order, to never deadlock: the feed counter first (every write to titles takes it, which
also makes the feed order the commit order), then title and bordereau counters.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.billing.invoices import repository

FEED = "feed"
SECTION_LETTER = {"operating": "F", "investment": "I"}


def title_series(fiscal_year: int, section: str) -> str:
    return f"title:{fiscal_year}:{section}"


def mandate_series(fiscal_year: int, section: str) -> str:
    return f"mandate:{fiscal_year}:{section}"


def bordereau_series(fiscal_year: int, bordereau_type: str) -> str:
    return f"bordereau:{fiscal_year}:{bordereau_type}"


def reference(fiscal_year: int, section: str, number: int, *, mandate: bool = False) -> str:
    """``2024-F-000012`` (title of the operating section), ``2026-MF-000001`` (a mandate)."""
    prefix = "M" if mandate else ""
    return f"{fiscal_year}-{prefix}{SECTION_LETTER[section]}-{number:06d}"


def lock_feed(session: Session) -> None:
    """First statement of every write to titles: serialises them in commit order."""
    repository.lock(session, FEED)


def next_feed_seq(session: Session) -> int:
    return repository.next_value(session, FEED)


def next_title_number(session: Session, fiscal_year: int, section: str) -> int:
    return repository.next_value(session, title_series(fiscal_year, section))


def next_mandate_number(session: Session, fiscal_year: int, section: str) -> int:
    return repository.next_value(session, mandate_series(fiscal_year, section))


def next_bordereau_number(session: Session, fiscal_year: int, bordereau_type: str) -> int:
    return repository.next_value(session, bordereau_series(fiscal_year, bordereau_type))
