"""Queries of runs, their snapshots and their per-member results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.orm import Session

from kit.db import utcnow
from kit.pagination import count_matching
from services.billing.models import Run, RunMember, RunSnapshot

ACTIVE = ("queued", "running")


def get(session: Session, run_id: int) -> Run | None:
    return session.get(Run, run_id)


def list_page(
    session: Session,
    *,
    limit: int,
    before_id: int | None,
    fiscal_year: int | None,
    kind: str | None,
    status: str | None,
) -> Sequence[Run]:
    """Newest first (id descending), keyset on the id."""
    query = _filtered(fiscal_year=fiscal_year, kind=kind, status=status).limit(limit + 1)
    if before_id is not None:
        query = query.where(Run.id < before_id)
    return session.scalars(query).all()


def count(
    session: Session, *, fiscal_year: int | None, kind: str | None, status: str | None
) -> int:
    query = _filtered(fiscal_year=fiscal_year, kind=kind, status=status)
    return count_matching(session, query, Run.id)


def _filtered(*, fiscal_year: int | None, kind: str | None, status: str | None) -> Any:
    query = select(Run).order_by(Run.id.desc())
    if fiscal_year is not None:
        query = query.where(Run.fiscal_year == fiscal_year)
    if kind is not None:
        query = query.where(Run.kind == kind)
    if status is not None:
        query = query.where(Run.status == status)
    return query


def current_final(session: Session, fiscal_year: int) -> Run | None:
    return session.scalars(
        select(Run).where(Run.fiscal_year == fiscal_year, Run.kind == "final", Run.is_current)
    ).first()


def active_final(session: Session, fiscal_year: int) -> Run | None:
    return session.scalars(
        select(Run).where(
            Run.fiscal_year == fiscal_year, Run.kind == "final", Run.status.in_(ACTIVE)
        )
    ).first()


def queued_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Run.id).where(Run.status == "queued").order_by(Run.id)))


def claim(session: Session, run_id: int, worker: str, *, lease_seconds: float) -> bool:
    """Atomically move a queued run to running with a lease: only one process (replica) wins."""
    now = utcnow()
    result = session.execute(
        update(Run)
        .where(Run.id == run_id, Run.status == "queued")
        .values(
            status="running",
            claimed_by=worker[:100],
            started_at=now,
            lease_expires_at=now + dt.timedelta(seconds=lease_seconds),
            progress=5,
            phase="claimed",
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def renew_lease(session: Session, run_id: int, worker: str, *, lease_seconds: float) -> bool:
    """Extend the lease of a run this worker computes; False when it is no longer its own."""
    result = session.execute(
        update(Run)
        .where(Run.id == run_id, Run.status == "running", Run.claimed_by == worker[:100])
        .values(lease_expires_at=utcnow() + dt.timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def expired_running(session: Session, now: dt.datetime) -> Sequence[Run]:
    """Running runs whose lease has expired; a run claimed before leases existed (no lease)
    counts as expired ten minutes after it started."""
    query = select(Run).where(
        Run.status == "running",
        or_(
            Run.lease_expires_at < now,
            and_(
                Run.lease_expires_at.is_(None),
                Run.started_at < now - dt.timedelta(minutes=10),
            ),
        ),
    )
    return session.scalars(query.order_by(Run.id).with_for_update(skip_locked=True)).all()


def set_progress(session: Session, run_id: int, progress: int, phase: str) -> None:
    session.execute(
        update(Run)
        .where(Run.id == run_id)
        .values(progress=progress, phase=phase[:80])
        .execution_options(synchronize_session=False)
    )


def final_totals(session: Session, years: list[int]) -> Sequence[Any]:
    """(fiscal_year, member_code, operating_invoiced_cents, run_id) of current final runs."""
    return session.execute(
        select(Run.fiscal_year, RunMember.member_code, RunMember.operating_invoiced_cents, Run.id)
        .join(RunMember, RunMember.run_id == Run.id)
        .where(Run.fiscal_year.in_(years), Run.kind == "final", Run.is_current)
    ).all()


def add_snapshot(session: Session, run_id: int, digest: str, data: bytes, size: int) -> None:
    session.add(RunSnapshot(run_id=run_id, content_hash=digest, data=data, size_bytes=size))


def snapshot(session: Session, run_id: int) -> RunSnapshot | None:
    return session.get(RunSnapshot, run_id)


def add_members(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(RunMember), rows)


def members_page(
    session: Session, run_id: int, *, limit: int, after: str | None, member_code: str | None
) -> Sequence[RunMember]:
    query = select(RunMember).where(RunMember.run_id == run_id).order_by(RunMember.member_code)
    if after is not None:
        query = query.where(RunMember.member_code > after)
    if member_code is not None:
        query = query.where(RunMember.member_code == member_code)
    return session.scalars(query.limit(limit + 1)).all()


def member(session: Session, run_id: int, member_code: str) -> RunMember | None:
    return session.scalars(
        select(RunMember).where(RunMember.run_id == run_id, RunMember.member_code == member_code)
    ).one_or_none()


def current_final_member(session: Session, fiscal_year: int, member_code: str) -> RunMember | None:
    return session.scalars(
        select(RunMember)
        .join(Run, RunMember.run_id == Run.id)
        .where(
            Run.fiscal_year == fiscal_year,
            Run.kind == "final",
            Run.is_current,
            RunMember.member_code == member_code,
        )
    ).first()
