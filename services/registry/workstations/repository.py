"""Queries on workstation counts (append-only versions per member and fiscal year)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.registry.models import Member, WorkstationCount


def versions(session: Session, member_id: int, fiscal_year: int) -> Sequence[WorkstationCount]:
    """Every version of one member's count for a year, oldest first."""
    return session.scalars(
        select(WorkstationCount)
        .where(WorkstationCount.member_id == member_id, WorkstationCount.fiscal_year == fiscal_year)
        .order_by(WorkstationCount.id)
    ).all()


def member_versions(session: Session, member_id: int) -> Sequence[WorkstationCount]:
    """Every version of one member's counts, all years, by year then oldest first."""
    return session.scalars(
        select(WorkstationCount)
        .where(WorkstationCount.member_id == member_id)
        .order_by(WorkstationCount.fiscal_year, WorkstationCount.id)
    ).all()


def current_for_year(
    session: Session,
    fiscal_year: int,
    *,
    limit: int,
    after: str | None = None,
    member_code: str | None = None,
) -> Sequence[tuple[WorkstationCount, str, int]]:
    """(latest version, member code, version number) of every member for a year, by code."""
    latest = (
        select(
            WorkstationCount.member_id,
            func.max(WorkstationCount.id).label("last_id"),
            func.count().label("n"),
        )
        .where(WorkstationCount.fiscal_year == fiscal_year)
        .group_by(WorkstationCount.member_id)
        .subquery()
    )
    query = (
        select(WorkstationCount, Member.code, latest.c.n)
        .join(latest, latest.c.last_id == WorkstationCount.id)
        .join(Member, Member.id == WorkstationCount.member_id)
        .order_by(Member.code)
        .limit(limit + 1)
    )
    if after is not None:
        query = query.where(Member.code > after)
    if member_code is not None:
        query = query.where(Member.code == member_code)
    return [(row[0], row[1], int(row[2])) for row in session.execute(query)]
