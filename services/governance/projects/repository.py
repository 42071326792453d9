"""Queries of projects, capacities and workload lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kit.pagination import count_matching
from services.governance.models import Project, TeamCapacity, WorkloadLine


def by_code(session: Session, code: str, *, member: str | None = None) -> Project | None:
    query = select(Project).where(Project.code == code)
    if member:
        query = query.where(or_(Project.member_code.is_(None), Project.member_code == member))
    return session.scalars(query).unique().one_or_none()


def list_page(
    session: Session,
    *,
    limit: int | None,
    after: int | None,
    member: str | None,
    status: str | None = None,
    for_member: str | None = None,
) -> Sequence[Project]:
    query = _filtered(member=member, status=status, for_member=for_member)
    if after is not None:
        query = query.where(Project.id > after)
    if limit is not None:
        query = query.limit(limit + 1)
    return session.scalars(query).unique().all()


def count(
    session: Session,
    *,
    member: str | None,
    status: str | None = None,
    for_member: str | None = None,
) -> int:
    query = _filtered(member=member, status=status, for_member=for_member)
    return count_matching(session, query, Project.id)


def _filtered(*, member: str | None, status: str | None, for_member: str | None) -> Any:
    query = select(Project).order_by(Project.id)
    if status:
        query = query.where(Project.status == status)
    if member:
        query = query.where(or_(Project.member_code.is_(None), Project.member_code == member))
    if for_member:
        query = query.where(Project.member_code == for_member)
    return query


def capacity(session: Session, team: str, quarter: str) -> TeamCapacity | None:
    return session.scalars(
        select(TeamCapacity).where(TeamCapacity.team == team, TeamCapacity.quarter == quarter)
    ).one_or_none()


def capacities(session: Session, year: int) -> Sequence[TeamCapacity]:
    return session.scalars(
        select(TeamCapacity).where(TeamCapacity.quarter.like(f"{year}-Q%"))
    ).all()


def lines_of_year(session: Session, year: int) -> Sequence[WorkloadLine]:
    return (
        session.scalars(select(WorkloadLine).where(WorkloadLine.quarter.like(f"{year}-Q%")))
        .unique()
        .all()
    )


def lines_of_project(session: Session, project_id: int) -> Sequence[WorkloadLine]:
    return (
        session.scalars(select(WorkloadLine).where(WorkloadLine.project_id == project_id))
        .unique()
        .all()
    )
