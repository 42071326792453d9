"""Queries of meetings, with the member-scope filter shared with decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from services.governance.models import Body, Meeting, MeetingMember


def visible_meeting_clause(member: str) -> Any:
    """Meetings a member sees: of a body shared or its own, open to all or inviting it."""
    invited_any = exists().where(MeetingMember.meeting_id == Meeting.id)
    invited_member = exists().where(
        and_(MeetingMember.meeting_id == Meeting.id, MeetingMember.member_code == member)
    )
    body_visible = exists().where(
        and_(
            Body.id == Meeting.body_id, or_(Body.member_code.is_(None), Body.member_code == member)
        )
    )
    return and_(body_visible, or_(not_(invited_any), invited_member))


def get(session: Session, meeting_id: int, *, member: str | None = None) -> Meeting | None:
    query = select(Meeting).where(Meeting.id == meeting_id)
    if member:
        query = query.where(visible_meeting_clause(member))
    return session.scalars(query).unique().one_or_none()


def _filtered(
    query: Any,
    *,
    body_id: int | None,
    held_from: dt.date | None,
    held_to: dt.date | None,
    member: str | None,
) -> Any:
    if body_id is not None:
        query = query.where(Meeting.body_id == body_id)
    if held_from is not None:
        query = query.where(Meeting.held_on >= held_from)
    if held_to is not None:
        query = query.where(Meeting.held_on <= held_to)
    if member:
        query = query.where(visible_meeting_clause(member))
    return query


def list_page(
    session: Session,
    *,
    limit: int,
    after: int | None,
    body_id: int | None,
    held_from: dt.date | None,
    held_to: dt.date | None,
    member: str | None,
) -> Sequence[Meeting]:
    query = select(Meeting).order_by(Meeting.id).limit(limit + 1)
    if after is not None:
        query = query.where(Meeting.id > after)
    query = _filtered(query, body_id=body_id, held_from=held_from, held_to=held_to, member=member)
    return session.scalars(query).unique().all()


def list_newest(
    session: Session,
    *,
    limit: int,
    after: tuple[dt.date, int] | None,
    body_id: int | None,
    held_from: dt.date | None,
    held_to: dt.date | None,
    member: str | None,
) -> Sequence[Meeting]:
    """Newest first: by date held, then creation, both descending (keyset on both)."""
    query = select(Meeting).order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(limit + 1)
    if after is not None:
        held_on, meeting_id = after
        query = query.where(
            or_(
                Meeting.held_on < held_on,
                and_(Meeting.held_on == held_on, Meeting.id < meeting_id),
            )
        )
    query = _filtered(query, body_id=body_id, held_from=held_from, held_to=held_to, member=member)
    return session.scalars(query).unique().all()


def count(
    session: Session,
    *,
    body_id: int | None,
    held_from: dt.date | None,
    held_to: dt.date | None,
    member: str | None,
) -> int:
    query = _filtered(
        select(func.count(Meeting.id)),
        body_id=body_id,
        held_from=held_from,
        held_to=held_to,
        member=member,
    )
    return int(session.scalar(query) or 0)


def in_year(session: Session, year: int, *, member: str | None) -> Sequence[Meeting]:
    query = (
        select(Meeting)
        .where(Meeting.held_on >= dt.date(year, 1, 1), Meeting.held_on <= dt.date(year, 12, 31))
        .order_by(Meeting.held_on, Meeting.id)
    )
    if member:
        query = query.where(visible_meeting_clause(member))
    return session.scalars(query).unique().all()
