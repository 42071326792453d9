"""Pure computations on a convention's terms: end in force, tacit renewals, notice deadlines.

All dates are inclusive "last day" dates: a convention ending on 2023-12-31 covers that day, and
the next one, starting on 2024-01-01, takes over the day after.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

MAX_YEARS = 5  # "période de mutualisation de 5 années maximum"


@dataclass(frozen=True)
class Terms:
    code: str
    starts_on: dt.date
    ends_on: dt.date
    tacit_renewal: bool
    renewal_months: int
    max_ends_on: dt.date | None
    notice_months: int
    terminated_on: dt.date | None
    extensions: tuple[dt.date, ...] = ()  # extends_to of its amendments and prorogations


@dataclass(frozen=True)
class DueDate:
    convention_code: str
    kind: str  # notice | renewal | expiry
    due_on: dt.date
    description: str


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later (or earlier), clamped to the end of shorter months."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def default_max_ends_on(starts_on: dt.date) -> dt.date:
    return add_months(starts_on, 12 * MAX_YEARS) - dt.timedelta(days=1)


def renewal_limit(terms: Terms) -> dt.date:
    """Last day reachable by the convention's own terms (initial term, then tacit renewals)."""
    if terms.tacit_renewal:
        return terms.max_ends_on or default_max_ends_on(terms.starts_on)
    return terms.ends_on


def effective_end(terms: Terms) -> dt.date:
    """Last day in force: the terms, pushed by amendments and extensions, cut by denunciation."""
    end = max((renewal_limit(terms), *terms.extensions))
    if terms.terminated_on is not None:
        end = min(end, terms.terminated_on)
    return end


def in_force(terms: Terms, on: dt.date) -> bool:
    return terms.starts_on <= on <= effective_end(terms)


def term_ends(terms: Terms) -> list[dt.date]:
    """Last day of each term that renews tacitly (the term after it starts the next day)."""
    if not terms.tacit_renewal:
        return []
    limit = effective_end(terms)
    out: list[dt.date] = []
    end, step = terms.ends_on, 1
    while end < limit:
        out.append(end)
        end = add_months(terms.ends_on + dt.timedelta(days=1), terms.renewal_months * step)
        end -= dt.timedelta(days=1)
        step += 1
    return out


def due_dates(terms: Terms) -> list[DueDate]:
    """Every notice, renewal and expiry date of a convention."""
    out: list[DueDate] = []
    for end in term_ends(terms):
        renewal = end + dt.timedelta(days=1)
        if terms.notice_months:
            out.append(
                DueDate(
                    terms.code,
                    "notice",
                    add_months(renewal, -terms.notice_months),
                    f"Dernier jour pour dénoncer la convention avant sa reconduction du "
                    f"{renewal.isoformat()} (préavis de {terms.notice_months} mois).",
                )
            )
        out.append(
            DueDate(
                terms.code,
                "renewal",
                renewal,
                "Reconduction tacite de la convention pour une nouvelle période.",
            )
        )
    end = effective_end(terms)
    out.append(DueDate(terms.code, "expiry", end, "Dernier jour de validité de la convention."))
    return out


def due_between(all_terms: Iterable[Terms], start: dt.date, end: dt.date) -> list[DueDate]:
    """The due dates falling in [start, end], in date order."""
    found = [d for t in all_terms for d in due_dates(t) if start <= d.due_on <= end]
    return sorted(found, key=lambda d: (d.due_on, d.convention_code, d.kind))
