"""Queries of drivers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.catalogue.models import Driver


def get_by_code(session: Session, code: str) -> Driver | None:
    return session.scalars(select(Driver).where(Driver.code == code)).one_or_none()


def list_drivers(session: Session, *, limit: int, after: list[Any] | None) -> Sequence[Driver]:
    query = select(Driver).order_by(Driver.code).limit(limit + 1)
    if after:
        query = query.where(Driver.code > after[0])
    return session.scalars(query).all()
