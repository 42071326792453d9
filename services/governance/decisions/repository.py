"""Queries of decisions (scoped like their meetings, plus their own member)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kit.pagination import count_matching
from services.governance.meetings.repository import visible_meeting_clause
from services.governance.models import Decision, Meeting

OPEN = ("open", "in_progress")


def _scoped(query: Any, member: str | None) -> Any:
    if member:
        query = query.join(Meeting, Meeting.id == Decision.meeting_id).where(
            visible_meeting_clause(member),
            or_(Decision.member_code.is_(None), Decision.member_code == member),
        )
    return query


def get(session: Session, decision_id: int, *, member: str | None) -> Decision | None:
    query = _scoped(select(Decision).where(Decision.id == decision_id), member)
    return session.scalars(query).unique().one_or_none()


def next_number(session: Session, meeting_id: int) -> int:
    current = session.scalar(
        select(func.max(Decision.number)).where(Decision.meeting_id == meeting_id)
    )
    return int(current or 0) + 1


def of_meeting(session: Session, meeting_id: int, *, member: str | None) -> Sequence[Decision]:
    query = select(Decision).where(Decision.meeting_id == meeting_id).order_by(Decision.number)
    return session.scalars(_scoped(query, member)).unique().all()


def of_action(session: Session, action_id: int, *, member: str | None) -> Sequence[Decision]:
    query = select(Decision).where(Decision.action_id == action_id).order_by(Decision.id)
    return session.scalars(_scoped(query, member)).unique().all()


def list_page(
    session: Session,
    *,
    limit: int | None,
    after: int | None,
    member: str | None,
    status: str | None = None,
    still_open: bool | None = None,
    overdue_on: dt.date | None = None,
) -> Sequence[Decision]:
    query = _filtered(member, status=status, still_open=still_open, overdue_on=overdue_on)
    if after is not None:
        query = query.where(Decision.id > after)
    if limit is not None:
        query = query.limit(limit + 1)
    return session.scalars(query).unique().all()


def count(
    session: Session,
    *,
    member: str | None,
    status: str | None = None,
    still_open: bool | None = None,
    overdue_on: dt.date | None = None,
) -> int:
    query = _filtered(member, status=status, still_open=still_open, overdue_on=overdue_on)
    return count_matching(session, query, Decision.id)


def _filtered(
    member: str | None,
    *,
    status: str | None,
    still_open: bool | None,
    overdue_on: dt.date | None,
) -> Any:
    query = select(Decision).order_by(Decision.id)
    if status:
        query = query.where(Decision.status == status)
    if still_open is True:
        query = query.where(Decision.status.in_(OPEN))
    if still_open is False:
        query = query.where(Decision.status.not_in(OPEN))
    if overdue_on is not None:
        query = query.where(Decision.status.in_(OPEN), Decision.due_on < overdue_on)
    return _scoped(query, member)
