"""What falls due in governance and whom to tell: decisions and master-plan actions (the
members' IT referents), a breach's 72-hour clock at 24 h and 6 h left and data-subject
requests (the members' DPO). Each item is a registry notification body whose reference names
the deadline or threshold, so that the registry mails it once.

Who is concerned: a decision's own member, else its body's member, else the members invited to
its meeting, else (a meeting open to all) every member; an action's members, else (an action
shared by all) every member; a breach's or request's controller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.governance.gdpr.rules import BREACH_HOURS, request_deadline
from services.governance.models import Action, Breach, Decision, SubjectRequest

OPEN_DECISIONS = ("open", "in_progress")
OPEN_ACTIONS = ("planned", "in_progress")
BREACH_THRESHOLDS = (24, 6)  # hours left of the 72 when the DPO is told
MASTER_PLAN = "Schéma directeur"

Body = dict[str, Any]


def _body(kind: str, member: str, reference: str, context: dict[str, Any]) -> Body:
    return {"kind": kind, "member_code": member, "reference": reference[:120], "context": context}


def decision_members(decision: Decision, everyone: Callable[[], list[str]]) -> list[str]:
    if decision.member_code:
        return [decision.member_code]
    if decision.meeting.body.member_code:
        return [decision.meeting.body.member_code]
    invited = [m.member_code for m in decision.meeting.members]
    return invited or everyone()


def decisions_due(
    session: Session, today: dt.date, days: int, everyone: Callable[[], list[str]]
) -> list[Body]:
    """Open decisions due within ``days`` of ``today`` (included)."""
    query = select(Decision).where(
        Decision.status.in_(OPEN_DECISIONS),
        Decision.due_on.is_not(None),
        Decision.due_on >= today,
        Decision.due_on <= today + dt.timedelta(days=days),
    )
    out = []
    for d in session.scalars(query.order_by(Decision.id)).unique():
        assert d.due_on is not None
        context = {"title": d.title, "due_on": d.due_on.isoformat(), "body": d.meeting.body.name}
        for code in decision_members(d, everyone):
            out.append(_body("decision_due", code, f"decision:{d.id}:{d.due_on}", context))
    return out


def actions_due(
    session: Session, today: dt.date, days: int, everyone: Callable[[], list[str]]
) -> list[Body]:
    """Master-plan actions not done whose end falls within ``days`` of ``today``."""
    query = select(Action).where(
        Action.status.in_(OPEN_ACTIONS),
        Action.ends_on.is_not(None),
        Action.ends_on >= today,
        Action.ends_on <= today + dt.timedelta(days=days),
    )
    out = []
    for a in session.scalars(query.order_by(Action.id)).unique():
        assert a.ends_on is not None
        context = {"title": a.title, "due_on": a.ends_on.isoformat(), "body": MASTER_PLAN}
        for code in [m.member_code for m in a.members] or everyone():
            out.append(_body("decision_due", code, f"action:{a.id}:{a.ends_on}", context))
    return out


def breach_threshold(hours_left: float) -> int | None:
    """The smallest threshold the clock has passed (24 → then 6), None outside them."""
    passed = [t for t in BREACH_THRESHOLDS if 0 < hours_left <= t]
    return min(passed) if passed else None


def breaches_due(session: Session, now: dt.datetime) -> list[Body]:
    """Breaches to notify to the CNIL whose clock has 24 h, then 6 h, left."""
    query = select(Breach).where(
        Breach.risk != "none",
        Breach.authority_notified_at.is_(None),
        Breach.closed_at.is_(None),
    )
    out = []
    for b in session.scalars(query.order_by(Breach.id)):
        deadline = b.aware_at + dt.timedelta(hours=BREACH_HOURS)
        threshold = breach_threshold((deadline - now).total_seconds() / 3600)
        if threshold is None:
            continue
        context = {"breach_title": b.title, "hours_left": threshold,
                   "deadline_at": deadline.isoformat()}  # fmt: skip
        out.append(_body("breach_clock", b.controller_code, f"breach:{b.id}:{threshold}h", context))
    return out


def requests_due(session: Session, today: dt.date, days: int) -> list[Body]:
    """Data-subject requests not answered whose deadline falls within ``days`` of today."""
    query = select(SubjectRequest).where(SubjectRequest.answered_on.is_(None))
    out = []
    for r in session.scalars(query.order_by(SubjectRequest.id)):
        due_on = request_deadline(
            received_on=r.received_on, extended=r.extended, answered_on=None, today=today
        )["due_on"]
        if not today <= due_on <= today + dt.timedelta(days=days):
            continue
        context = {"request_kind": r.kind, "due_on": due_on.isoformat()}
        out.append(
            _body("gdpr_request_due", r.controller_code, f"gdpr-request:{r.id}:{due_on}", context)
        )
    return out
