"""Queries of notifications, deliveries, attachments and opt-outs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.registry.models import (
    Contact,
    Delivery,
    Member,
    Notification,
    NotificationAttachment,
    NotificationOptOut,
)


def find(session: Session, kind: str, reference: str, member_code: str) -> Notification | None:
    query = select(Notification).where(
        Notification.kind == kind,
        Notification.reference == reference,
        Notification.member_code == member_code,
    )
    return session.scalars(query).one_or_none()


def get(session: Session, notification_id: int) -> Notification | None:
    return session.get(Notification, notification_id)


def list_notifications(
    session: Session,
    *,
    limit: int,
    after: int | None = None,
    member_code: str | None = None,
    kind: str | None = None,
    reference: str | None = None,
) -> Sequence[Notification]:
    """Newest first (ids descending), ``limit + 1`` rows for the pagination."""
    query = select(Notification).order_by(Notification.id.desc())
    if after is not None:
        query = query.where(Notification.id < after)
    if member_code is not None:
        query = query.where(Notification.member_code == member_code)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    if reference is not None:
        query = query.where(Notification.reference == reference)
    return session.scalars(query.limit(limit + 1)).all()


def deliveries_of(session: Session, ids: Sequence[int]) -> dict[int, list[Delivery]]:
    out: dict[int, list[Delivery]] = {i: [] for i in ids}
    query = select(Delivery).where(Delivery.notification_id.in_(ids)).order_by(Delivery.id)
    for delivery in session.scalars(query):
        out[delivery.notification_id].append(delivery)
    return out


def attachments_of(session: Session, ids: Sequence[int]) -> dict[int, list[NotificationAttachment]]:
    out: dict[int, list[NotificationAttachment]] = {i: [] for i in ids}
    query = (
        select(NotificationAttachment)
        .where(NotificationAttachment.notification_id.in_(ids))
        .order_by(NotificationAttachment.id)
    )
    for attachment in session.scalars(query):
        out[attachment.notification_id].append(attachment)
    return out


def recipients(session: Session, member: Member, role: str, kind: str) -> list[Contact]:
    """The member's contacts holding ``role``, not erased, that did not opt out of ``kind``."""
    opted_out = select(NotificationOptOut.contact_id).where(NotificationOptOut.kind == kind)
    query = (
        select(Contact)
        .where(
            Contact.member_id == member.id,
            Contact.erased.is_(False),
            Contact.id.not_in(opted_out),
        )
        .order_by(Contact.id)
    )
    return [c for c in session.scalars(query) if role in (c.roles or [])]


def role_held(session: Session, member: Member, role: str) -> bool:
    """Some contact of the member (not erased) holds ``role``, opted out or not."""
    query = select(Contact).where(Contact.member_id == member.id, Contact.erased.is_(False))
    return any(role in (c.roles or []) for c in session.scalars(query))


def delivery(session: Session, delivery_id: int) -> Delivery | None:
    return session.get(Delivery, delivery_id)


def opt_outs(session: Session, contact_id: int) -> list[NotificationOptOut]:
    query = select(NotificationOptOut).where(NotificationOptOut.contact_id == contact_id)
    return list(session.scalars(query.order_by(NotificationOptOut.kind)))


def due_ids(session: Session, now: dt.datetime, limit: int = 50) -> list[int]:
    query = (
        select(Delivery.id)
        .where(Delivery.status == "queued")
        .where((Delivery.next_attempt_at.is_(None)) | (Delivery.next_attempt_at <= now))
        .order_by(Delivery.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def claim(session: Session, delivery_id: int) -> bool:
    """``queued → sending``, atomically: with several registry replicas one sends it."""
    result = session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == "queued")
        .values(status="sending")
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def requeue_sending(session: Session) -> None:
    session.execute(update(Delivery).where(Delivery.status == "sending").values(status="queued"))
