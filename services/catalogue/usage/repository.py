"""Queries of usage measurements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from services.catalogue.models import Driver, UsageMeasurement


def for_driver(session: Session, *, year: int, driver_id: int) -> dict[str, UsageMeasurement]:
    query = select(UsageMeasurement).where(
        UsageMeasurement.fiscal_year == year, UsageMeasurement.driver_id == driver_id
    )
    return {m.member_code: m for m in session.scalars(query)}


def insert_many(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(UsageMeasurement), rows)


def update_many(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(update(UsageMeasurement), rows)


def delete_ids(session: Session, ids: list[int]) -> None:
    for start in range(0, len(ids), 500):
        session.execute(
            delete(UsageMeasurement).where(
                UsageMeasurement.id.in_(
                    bindparam("ids", ids[start : start + 500], expanding=True, literal_execute=True)
                )
            )
        )


def list_usage(
    session: Session,
    *,
    year: int,
    limit: int,
    after: list[Any] | None,
    driver_id: int | None = None,
    member_code: str | None = None,
) -> Sequence[tuple[UsageMeasurement, str]]:
    query = (
        select(UsageMeasurement, Driver.code)
        .join(Driver, Driver.id == UsageMeasurement.driver_id)
        .where(UsageMeasurement.fiscal_year == year)
        .order_by(Driver.code, UsageMeasurement.member_code)
        .limit(limit + 1)
    )
    if after and len(after) == 2:
        query = query.where(
            (Driver.code > after[0])
            | ((Driver.code == after[0]) & (UsageMeasurement.member_code > after[1]))
        )
    if driver_id is not None:
        query = query.where(UsageMeasurement.driver_id == driver_id)
    if member_code is not None:
        query = query.where(UsageMeasurement.member_code == member_code)
    return [(row[0], row[1]) for row in session.execute(query)]
