"""Queries of simulations (the runs they are based on are read through the runs repository)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.pagination import count_matching
from services.billing.models import Simulation


def get(session: Session, simulation_id: int) -> Simulation | None:
    return session.get(Simulation, simulation_id)


def _filtered(*, fiscal_year: int | None, member_code: str | None, staff: bool) -> Any:
    query = select(Simulation).order_by(Simulation.id.desc())
    if fiscal_year is not None:
        query = query.where(Simulation.fiscal_year == fiscal_year)
    if not staff:  # a member's contact sees its member's simulations only
        query = query.where(Simulation.member_code == member_code)
    elif member_code is not None:
        query = query.where(Simulation.member_code == member_code)
    return query


def list_page(
    session: Session,
    *,
    limit: int,
    before_id: int | None,
    fiscal_year: int | None,
    member_code: str | None,
    staff: bool,
) -> Sequence[Simulation]:
    """Newest first (id descending), keyset on the id."""
    query = _filtered(fiscal_year=fiscal_year, member_code=member_code, staff=staff)
    if before_id is not None:
        query = query.where(Simulation.id < before_id)
    return session.scalars(query.limit(limit + 1)).all()


def count(
    session: Session, *, fiscal_year: int | None, member_code: str | None, staff: bool
) -> int:
    query = _filtered(fiscal_year=fiscal_year, member_code=member_code, staff=staff)
    return count_matching(session, query, Simulation.id)
