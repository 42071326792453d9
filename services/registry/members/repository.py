"""Queries on members."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from services.registry.models import (
    Adhesion,
    BudgetCalendar,
    Contact,
    Member,
    WorkstationCount,
)


def get_by_code(session: Session, code: str) -> Member | None:
    return session.scalar(select(Member).where(Member.code == code))


def get_by_siret(session: Session, siret: str) -> Member | None:
    return session.scalar(select(Member).where(Member.siret == siret))


def get_host(session: Session) -> Member | None:
    return session.scalar(select(Member).where(Member.is_host.is_(True)))


def codes_by_id(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Member.id, Member.code).where(Member.id.in_(ids)))
    return {row.id: row.code for row in rows}


def list_members(
    session: Session,
    *,
    limit: int,
    after: str | None = None,
    only_code: str | None = None,
    kind: str | None = None,
    invoiced: bool | None = None,
    is_host: bool | None = None,
    covered_on: dt.date | None = None,
    covering_convention_ids: Sequence[int] = (),
) -> Sequence[Member]:
    """Members ordered by code, ``limit + 1`` rows from after the cursor's code.

    ``covered_on`` keeps members that hold, on that date, an adhesion to one of
    ``covering_convention_ids`` (the conventions in force that day, computed by the service).
    """
    query = select(Member).order_by(Member.code).limit(limit + 1)
    if after is not None:
        query = query.where(Member.code > after)
    if only_code is not None:
        query = query.where(Member.code == only_code)
    if kind is not None:
        query = query.where(Member.kind == kind)
    if invoiced is not None:
        query = query.where(Member.invoiced.is_(invoiced))
    if is_host is not None:
        query = query.where(Member.is_host.is_(is_host))
    if covered_on is not None:
        adhesion_in_force = exists().where(
            Adhesion.member_id == Member.id,
            Adhesion.convention_id.in_(list(covering_convention_ids) or [-1]),
            or_(Adhesion.signed_on.is_(None), Adhesion.signed_on <= covered_on),
            or_(Adhesion.left_on.is_(None), Adhesion.left_on >= covered_on),
        )
        query = query.where(
            Member.joined_on <= covered_on,
            or_(Member.left_on.is_(None), Member.left_on >= covered_on),
            adhesion_in_force,
        )
    return session.scalars(query).all()


def history_counts(session: Session, member_id: int) -> dict[str, int]:
    """How many records of each kind refer to the member (a member with any is never deleted)."""
    counted = {
        "adhesions": Adhesion.member_id,
        "contacts": Contact.member_id,
        "workstation_counts": WorkstationCount.member_id,
        "budget_calendars": BudgetCalendar.member_id,
    }
    out: dict[str, int] = {}
    for name, column in counted.items():
        n = session.scalar(select(func.count()).where(column == member_id))
        if n:
            out[name] = int(n)
    return out
