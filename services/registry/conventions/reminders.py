"""The registry's deadline sweeper: each convention's notice, renewal and expiry dates told to
its adhering members before they fall, once each.

A periodic job of the registry process (``PeriodicJob``, started with the mail worker), never a
request: each due date within ``convention_reminder_days`` of today (Paris) gets one
``convention_deadline`` notification per member adhering to the convention on that date, with
the reference ``convention:<code>:<kind>:<date>`` — the registry keeps one notification per
(kind, reference, member), so a second sweep, or a second replica, mails nothing more; a date
moved (an amendment, a denunciation) is a new reference, told anew.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kit.clock import SYSTEM_CLOCK, Clock
from kit.identity import Principal
from services.registry.conventions import service, terms
from services.registry.models import Adhesion, Member
from services.registry.notifications.schemas import NotificationCreate

logger = logging.getLogger("mutualis.registry.reminders")
PARIS = ZoneInfo("Europe/Paris")
SWEEPER = Principal(subject="service:registry", name="registry deadline sweeper", kind="service")


def today_of(app: FastAPI) -> dt.date:
    clock: Clock = getattr(app.state, "clock", SYSTEM_CLOCK)
    return clock.now().astimezone(PARIS).date()


def _adhering(session: Session, convention_id: int, on: dt.date) -> list[Member]:
    """The members adhering to the convention on ``on`` (not left before, member not gone)."""
    query = (
        select(Member, Adhesion.left_on)
        .join(Adhesion, Adhesion.member_id == Member.id)
        .where(Adhesion.convention_id == convention_id)
        .order_by(Member.code)
    )
    return [
        member
        for member, left_on in session.execute(query)
        if (left_on is None or left_on >= on) and (member.left_on is None or member.left_on >= on)
    ]


def due_notifications(session: Session, *, today: dt.date, days: int) -> list[NotificationCreate]:
    """What falls due within ``days`` from ``today`` (included), one per adhering member."""
    out = []
    for convention, convention_terms in service.all_terms(session):
        for due in terms.due_dates(convention_terms):
            if not today <= due.due_on <= today + dt.timedelta(days=days):
                continue
            for member in _adhering(session, convention.id, due.due_on):
                out.append(
                    NotificationCreate(
                        kind="convention_deadline",
                        member_code=member.code,
                        reference=f"convention:{convention.code}:{due.kind}:{due.due_on}"[:120],
                        context={
                            "convention_title": convention.title,
                            "deadline_kind": due.kind,
                            "deadline_on": due.due_on.isoformat(),
                        },
                    )
                )
    return out


def sweep(app: FastAPI, today: dt.date | None = None) -> int:
    """Queue the convention deadlines falling due; how many notifications were new."""
    from services.registry.notifications import service as notifications
    from services.registry.notifications.worker import session_scope

    settings = app.state.settings
    day = today or today_of(app)
    created = 0
    with session_scope(app) as session:
        for data in due_notifications(session, today=day, days=settings.convention_reminder_days):
            try:
                with session.begin_nested():
                    _, new = notifications.create_notification(
                        session, principal=SWEEPER, data=data,
                        public_url=settings.back_office_address,
                    )  # fmt: skip
            except IntegrityError:  # another replica queued it at the same moment
                continue
            created += int(new)
    if created:
        logger.info("%s convention deadline notification(s) queued", created)
    return created
