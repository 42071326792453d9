"""Rules of meetings: a body must exist, present members were invited, audited writes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kit.errors import NotFound, ValidationFailed
from kit.i18n import Refusal
from kit.identity import Principal
from services.governance.bodies import repository as bodies
from services.governance.deps import record
from services.governance.meetings.schemas import MeetingCreate, MeetingUpdate, check_presence
from services.governance.models import Meeting, MeetingMember


def to_read(
    meeting: Meeting, decisions: list[dict[str, Any]] | None = None, *, member: str | None = None
) -> dict[str, Any]:
    """A member-scoped reader (``member``) sees its own member's invitation and presence only:
    which other members attended is the DSIT's to know (the minutes say what was decided)."""
    return {
        "id": meeting.id,
        "body_code": meeting.body.code,
        "body_name": meeting.body.name,
        "level": meeting.body.level,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "location": meeting.location,
        "status": meeting.status,
        "agenda": list(meeting.agenda or []),
        "minutes": meeting.minutes,
        "members": [
            {"member_code": m.member_code, "present": m.present}
            for m in meeting.members
            if member is None or m.member_code == member
        ],
        "people": list(meeting.people or []),
        "decisions": decisions,
    }


def _set_members(meeting: Meeting, invited: list[str], present: list[str]) -> None:
    """Update the rows in place (a replaced row would hit the unique key before its delete)."""
    wanted = set(invited) | set(present)
    existing = {m.member_code: m for m in meeting.members}
    for code, row in existing.items():
        if code not in wanted:
            meeting.members.remove(row)
        else:
            row.present = code in set(present)
    for code in sorted(wanted - set(existing)):
        meeting.members.append(MeetingMember(member_code=code, present=code in set(present)))


def create_meeting(session: Session, *, principal: Principal, data: MeetingCreate) -> Meeting:
    body = bodies.get_by_code(session, data.body_code)
    if body is None:
        raise NotFound(
            f"No body '{data.body_code}'.",
            detail_fr=f"L'instance « {data.body_code} » n'existe pas.",
            slug="body-not-found",
        )
    meeting = Meeting(
        body=body,
        title=data.title,
        held_on=data.held_on,
        location=data.location,
        status=data.status,
        agenda=list(data.agenda),
        minutes=data.minutes,
        people=[p.model_dump() for p in data.people],
    )
    _set_members(meeting, data.invited_members, data.present_members)
    session.add(meeting)
    session.flush()
    record(
        session,
        principal,
        action="create",
        resource_type="meeting",
        resource_id=meeting.id,
        after=to_read(meeting),
    )
    return meeting


def update_meeting(
    session: Session, *, principal: Principal, meeting: Meeting, data: MeetingUpdate
) -> Meeting:
    before = to_read(meeting)
    changes = data.model_dump(exclude_unset=True)
    for field in ("title", "held_on", "status"):
        if changes.get(field) is not None:
            setattr(meeting, field, changes[field])
    for field in ("location", "minutes"):
        if field in changes:
            setattr(meeting, field, changes[field])
    if changes.get("agenda") is not None:
        meeting.agenda = list(changes["agenda"])
    if changes.get("people") is not None:
        meeting.people = list(changes["people"])
    if changes.get("invited_members") is not None or changes.get("present_members") is not None:
        invited = changes.get("invited_members")
        if invited is None:
            invited = [m.member_code for m in meeting.members]
        present = changes.get("present_members")
        if present is None:
            present = [m.member_code for m in meeting.members if m.present]
        try:
            check_presence(invited, present)
        except Refusal as exc:
            raise ValidationFailed(
                str(exc),
                detail_fr=exc.french,
                errors=[
                    {
                        "field": "present_members",
                        "message": str(exc),
                        "type": "value_error",
                        "message_fr": exc.french,
                    }
                ],
            ) from exc
        _set_members(meeting, invited, present)
    session.flush()
    record(
        session,
        principal,
        action="update",
        resource_type="meeting",
        resource_id=meeting.id,
        before=before,
        after=to_read(meeting),
    )
    return meeting
