"""Queries of the staffing references."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.catalogue.models import Offering, StaffingNeed, StaffingProfile


def profile_by_code(session: Session, code: str) -> StaffingProfile | None:
    query = select(StaffingProfile).where(StaffingProfile.code == code)
    return session.scalars(query).one_or_none()


def list_profiles(
    session: Session, *, limit: int, after: list[Any] | None
) -> Sequence[StaffingProfile]:
    query = select(StaffingProfile).order_by(StaffingProfile.code).limit(limit + 1)
    if after:
        query = query.where(StaffingProfile.code > str(after[0]))
    return session.scalars(query).all()


def needs_of_profile(session: Session, profile_id: int) -> int:
    query = select(func.count()).where(StaffingNeed.profile_id == profile_id)
    return int(session.scalar(query) or 0)


def need(session: Session, need_id: int) -> StaffingNeed | None:
    return session.get(StaffingNeed, need_id)


def same_band(
    session: Session, *, offering_id: int, profile_id: int, min_workstations: int
) -> StaffingNeed | None:
    query = select(StaffingNeed).where(
        StaffingNeed.offering_id == offering_id,
        StaffingNeed.profile_id == profile_id,
        StaffingNeed.min_workstations == min_workstations,
    )
    return session.scalars(query).first()


def list_needs(
    session: Session,
    *,
    limit: int,
    after: int | None,
    service_code: str | None = None,
    profile_code: str | None = None,
) -> Sequence[StaffingNeed]:
    query = select(StaffingNeed).order_by(StaffingNeed.id).limit(limit + 1)
    if after is not None:
        query = query.where(StaffingNeed.id > after)
    if service_code is not None:
        query = query.join(Offering, StaffingNeed.offering_id == Offering.id).where(
            Offering.code == service_code
        )
    if profile_code is not None:
        query = query.join(StaffingProfile, StaffingNeed.profile_id == StaffingProfile.id).where(
            StaffingProfile.code == profile_code
        )
    return session.scalars(query).unique().all()
