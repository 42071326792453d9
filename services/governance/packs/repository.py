"""Queries of the pack: the archived pack of a meeting, the previous meeting of its body."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from services.governance.models import Meeting, StrategicPack


def of_meeting(session: Session, meeting_id: int) -> StrategicPack | None:
    return session.scalars(
        select(StrategicPack).where(StrategicPack.meeting_id == meeting_id)
    ).one_or_none()


def previous_meeting(session: Session, meeting: Meeting) -> Meeting | None:
    """The body's last meeting before this one (by date, then creation), cancelled ones aside."""
    query = (
        select(Meeting)
        .where(
            Meeting.body_id == meeting.body_id,
            Meeting.id != meeting.id,
            Meeting.status != "cancelled",
            or_(
                Meeting.held_on < meeting.held_on,
                and_(Meeting.held_on == meeting.held_on, Meeting.id < meeting.id),
            ),
        )
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .limit(1)
    )
    return session.scalars(query).unique().one_or_none()
