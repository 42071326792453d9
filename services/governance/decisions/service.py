"""Rules of decisions: numbered per meeting, followed until closed, shaping actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from kit.errors import ValidationFailed
from kit.identity import Principal
from services.governance.decisions import repository
from services.governance.decisions.schemas import DecisionCreate, DecisionUpdate
from services.governance.deps import record
from services.governance.models import Action, Decision, Meeting
from services.governance.plans import repository as plans
from services.governance.plans import service as plan_service

CLOSED = {"done", "cancelled"}


def is_overdue(decision: Decision, today: dt.date) -> bool:
    return decision.status not in CLOSED and decision.due_on is not None and decision.due_on < today


def to_read(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.id,
        "meeting_id": decision.meeting_id,
        "body_code": decision.meeting.body.code,
        "held_on": decision.meeting.held_on,
        "number": decision.number,
        "title": decision.title,
        "details": decision.details,
        "owner": decision.owner,
        "due_on": decision.due_on,
        "status": decision.status,
        "closed_on": decision.closed_on,
        "overdue": is_overdue(decision, dt.date.today()),
        "member_code": decision.member_code,
        "action_code": decision.action.code if decision.action else None,
    }


def _action(session: Session, code: str) -> Action:
    action = plans.action_by_code(session, code)
    if action is None:
        raise ValidationFailed(
            f"No action '{code}'.",
            detail_fr=f"L'action « {code} » n'existe pas.",
            errors=[
                {
                    "field": "action_code",
                    "message": "unknown action",
                    "type": "unknown",
                    "message_fr": "Action inconnue.",
                }
            ],
        )
    return action


def _close(decision: Decision, closed_on: dt.date | None) -> None:
    """A closed decision carries its closing date; reopening it clears the date."""
    if decision.status in CLOSED:
        decision.closed_on = closed_on or decision.closed_on or dt.date.today()
    else:
        decision.closed_on = None


def create_decision(
    session: Session, *, principal: Principal, meeting: Meeting, data: DecisionCreate
) -> Decision:
    """Add a decision; it may create an action or change an existing one (both audited)."""
    action = None
    if data.new_action is not None:
        action = plan_service.create_action(
            session, principal=principal, data=data.new_action, field_prefix="new_action."
        )
    elif data.action_code is not None:
        action = _action(session, data.action_code)
        if data.action_changes is not None:
            plan_service.update_action(
                session,
                principal=principal,
                action=action,
                data=data.action_changes,
                field_prefix="action_changes.",
            )
    decision = Decision(
        meeting=meeting,
        number=repository.next_number(session, meeting.id),
        title=data.title,
        details=data.details,
        owner=data.owner,
        due_on=data.due_on,
        status=data.status,
        member_code=data.member_code,
        action=action,
    )
    _close(decision, None)
    session.add(decision)
    session.flush()
    record(
        session,
        principal,
        action="create",
        resource_type="decision",
        resource_id=decision.id,
        after=to_read(decision),
    )
    return decision


def update_decision(
    session: Session, *, principal: Principal, decision: Decision, data: DecisionUpdate
) -> Decision:
    before = to_read(decision)
    changes = data.model_dump(exclude_unset=True)
    for field in ("title", "owner", "status"):
        if changes.get(field) is not None:
            setattr(decision, field, changes[field])
    for field in ("details", "due_on"):
        if field in changes:
            setattr(decision, field, changes[field])
    if "action_code" in changes:
        code = changes["action_code"]
        decision.action = _action(session, code) if code else None
    if changes.get("closed_on") and decision.status not in CLOSED:
        raise ValidationFailed(
            "closed_on is for a done or cancelled decision.",
            detail_fr="La date de clôture est pour une décision réalisée ou abandonnée.",
            errors=[
                {
                    "field": "closed_on",
                    "message": "decision not closed",
                    "type": "value_error",
                    "message_fr": "La décision n'est pas close.",
                }
            ],
        )
    _close(decision, changes.get("closed_on"))
    session.flush()
    record(
        session,
        principal,
        action="update",
        resource_type="decision",
        resource_id=decision.id,
        before=before,
        after=to_read(decision),
    )
    return decision
