"""Queries of indicators and measurements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.governance.models import Action, ActionIndicator, Indicator, Measurement
from services.governance.models.plans import ALL_MEMBERS


def by_code(session: Session, code: str) -> Indicator | None:
    return session.scalars(select(Indicator).where(Indicator.code == code)).unique().one_or_none()


def by_codes(session: Session, codes: Sequence[str]) -> Sequence[Indicator]:
    if not codes:
        return []
    return session.scalars(select(Indicator).where(Indicator.code.in_(codes))).unique().all()


def list_page(
    session: Session,
    *,
    limit: int | None,
    after: int | None,
    category: str | None = None,
    axis_id: int | None = None,
) -> Sequence[Indicator]:
    query = select(Indicator).order_by(Indicator.id)
    if after is not None:
        query = query.where(Indicator.id > after)
    if category:
        query = query.where(Indicator.category == category)
    if axis_id is not None:
        query = query.where(Indicator.axis_id == axis_id)
    if limit is not None:
        query = query.limit(limit + 1)
    return session.scalars(query).unique().all()


def action_codes(session: Session, indicator_id: int) -> list[str]:
    query = (
        select(Action.code)
        .join(ActionIndicator, ActionIndicator.action_id == Action.id)
        .where(ActionIndicator.indicator_id == indicator_id)
        .order_by(Action.code)
    )
    return list(session.scalars(query).all())


def measurements_for(
    session: Session, indicator_id: int, periods: Sequence[dt.date]
) -> dict[tuple[dt.date, str], Measurement]:
    if not periods:
        return {}
    rows = session.scalars(
        select(Measurement).where(
            Measurement.indicator_id == indicator_id, Measurement.period.in_(set(periods))
        )
    ).all()
    return {(m.period, m.scope): m for m in rows}


def measurements(
    session: Session,
    indicator_id: int,
    *,
    member: str | None,
    only_scope: str | None = None,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    after: int | None = None,
    limit: int | None = None,
) -> Sequence[Measurement]:
    """Measurements by id; ``member`` limits to that member's and the all-member ones."""
    query = select(Measurement).where(Measurement.indicator_id == indicator_id)
    query = query.order_by(Measurement.id)
    if member:
        query = query.where(or_(Measurement.scope == member, Measurement.scope == ALL_MEMBERS))
    if only_scope:
        query = query.where(Measurement.scope == only_scope)
    if period_from:
        query = query.where(Measurement.period >= period_from)
    if period_to:
        query = query.where(Measurement.period <= period_to)
    if after is not None:
        query = query.where(Measurement.id > after)
    if limit is not None:
        query = query.limit(limit + 1)
    return session.scalars(query).all()
