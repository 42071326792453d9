"""Queries of fiscal years."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.billing.models import FiscalYear


def get(session: Session, year: int) -> FiscalYear | None:
    return session.get(FiscalYear, year)


def list_after(session: Session, *, limit: int, after: int | None) -> Sequence[FiscalYear]:
    query = select(FiscalYear).order_by(FiscalYear.year).limit(limit + 1)
    if after is not None:
        query = query.where(FiscalYear.year > after)
    return session.scalars(query).all()
