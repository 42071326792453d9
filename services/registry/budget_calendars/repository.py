"""Queries on budget calendars."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.registry.models import BudgetCalendar, Member


def get(session: Session, member_id: int, fiscal_year: int) -> BudgetCalendar | None:
    return session.scalar(
        select(BudgetCalendar).where(
            BudgetCalendar.member_id == member_id, BudgetCalendar.fiscal_year == fiscal_year
        )
    )


def list_for_year(
    session: Session,
    fiscal_year: int,
    *,
    limit: int,
    after: str | None = None,
    member_code: str | None = None,
) -> Sequence[tuple[BudgetCalendar, str]]:
    """(calendar, member code) of every member for a year, ordered by member code."""
    query = (
        select(BudgetCalendar, Member.code)
        .join(Member, Member.id == BudgetCalendar.member_id)
        .where(BudgetCalendar.fiscal_year == fiscal_year)
        .order_by(Member.code)
        .limit(limit + 1)
    )
    if after is not None:
        query = query.where(Member.code > after)
    if member_code is not None:
        query = query.where(Member.code == member_code)
    return [(row[0], row[1]) for row in session.execute(query)]
