"""Queries of imported history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.pagination import count_matching
from services.billing.models import HistoryTotal


def get(session: Session, year: int, member_code: str) -> HistoryTotal | None:
    return session.scalars(
        select(HistoryTotal).where(
            HistoryTotal.fiscal_year == year, HistoryTotal.member_code == member_code
        )
    ).one_or_none()


def list_page(
    session: Session,
    *,
    limit: int,
    after: tuple[int, str] | None,
    fiscal_year: int | None = None,
    member_code: str | None = None,
) -> Sequence[HistoryTotal]:
    query = _filtered(fiscal_year=fiscal_year, member_code=member_code)
    if after is not None:
        year, code = after
        query = query.where(
            (HistoryTotal.fiscal_year > year)
            | ((HistoryTotal.fiscal_year == year) & (HistoryTotal.member_code > code))
        )
    return session.scalars(query.limit(limit + 1)).all()


def count(session: Session, *, fiscal_year: int | None, member_code: str | None) -> int:
    query = _filtered(fiscal_year=fiscal_year, member_code=member_code)
    return count_matching(session, query, HistoryTotal.id)


def _filtered(*, fiscal_year: int | None, member_code: str | None) -> Any:
    query = select(HistoryTotal).order_by(HistoryTotal.fiscal_year, HistoryTotal.member_code)
    if fiscal_year is not None:
        query = query.where(HistoryTotal.fiscal_year == fiscal_year)
    if member_code is not None:
        query = query.where(HistoryTotal.member_code == member_code)
    return query


def for_years(session: Session, years: list[int]) -> Sequence[HistoryTotal]:
    query = select(HistoryTotal).where(HistoryTotal.fiscal_year.in_(years))
    return session.scalars(query.order_by(HistoryTotal.fiscal_year, HistoryTotal.member_code)).all()
