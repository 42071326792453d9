"""Queries of offerings, their changes and subscriptions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.catalogue.models import Offering, OfferingChange, Subscription


def get_by_code(session: Session, code: str) -> Offering | None:
    return session.scalars(select(Offering).where(Offering.code == code)).one_or_none()


def get_by_codes(session: Session, codes: set[str]) -> dict[str, Offering]:
    if not codes:
        return {}
    rows = session.scalars(select(Offering).where(Offering.code.in_(codes)))
    return {o.code: o for o in rows}


def list_offerings(
    session: Session,
    *,
    limit: int,
    after: list[Any] | None,
    domain: str | None,
    statuses: Sequence[str] | None,
) -> Sequence[Offering]:
    query = select(Offering).order_by(Offering.code).limit(limit + 1)
    if after:
        query = query.where(Offering.code > after[0])
    if domain:
        query = query.where(Offering.domain == domain)
    if statuses:
        query = query.where(Offering.status.in_(statuses))
    return session.scalars(query).all()


def list_changes(
    session: Session,
    *,
    limit: int,
    after: list[Any] | None,
    offering_id: int | None,
    statuses: Sequence[str] | None,
) -> Sequence[tuple[OfferingChange, str]]:
    query = (
        select(OfferingChange, Offering.code)
        .join(Offering, Offering.id == OfferingChange.offering_id)
        .order_by(OfferingChange.id)
        .limit(limit + 1)
    )
    if after:
        query = query.where(OfferingChange.id > int(after[0]))
    if offering_id is not None:
        query = query.where(OfferingChange.offering_id == offering_id)
    if statuses:
        query = query.where(Offering.status.in_(statuses))
    return [(row[0], row[1]) for row in session.execute(query).all()]


def get_subscription(session: Session, offering_id: int, member_code: str) -> Subscription | None:
    return session.scalars(
        select(Subscription).where(
            Subscription.offering_id == offering_id, Subscription.member_code == member_code
        )
    ).one_or_none()


def member_subscriptions(
    session: Session,
    *,
    member_code: str,
    statuses: list[str] | None,
    limit: int,
    after: list[Any] | None,
) -> Sequence[tuple[Subscription, str]]:
    """A member's subscriptions with their offering's code, by that code."""
    query = (
        select(Subscription, Offering.code)
        .join(Offering, Offering.id == Subscription.offering_id)
        .where(Subscription.member_code == member_code)
        .order_by(Offering.code)
        .limit(limit + 1)
    )
    if statuses is not None:
        query = query.where(Offering.status.in_(statuses))
    if after:
        query = query.where(Offering.code > str(after[0]))
    return [(s, code) for s, code in session.execute(query).all()]


def list_subscriptions(
    session: Session,
    *,
    offering_id: int,
    limit: int,
    after: list[Any] | None,
    member_code: str | None,
) -> Sequence[Subscription]:
    query = (
        select(Subscription)
        .where(Subscription.offering_id == offering_id)
        .order_by(Subscription.member_code)
        .limit(limit + 1)
    )
    if after:
        query = query.where(Subscription.member_code > after[0])
    if member_code:
        query = query.where(Subscription.member_code == member_code)
    return session.scalars(query).all()
