"""Queries of the GDPR registers (every list filtered by controller for a member)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.pagination import count_matching
from services.governance.models import SubProcessor


def get(session: Session, model: Any, item_id: int, *, member: str | None) -> Any:
    query = select(model).where(model.id == item_id)
    if member and hasattr(model, "controller_code"):
        query = query.where(model.controller_code == member)
    return session.scalars(query).one_or_none()


def find(session: Session, model: Any, **where: Any) -> Any:
    query = select(model)
    for field, value in where.items():
        query = query.where(getattr(model, field) == value)
    return session.scalars(query).first()


def _filtered(model: Any, *, member: str | None, controller: str | None) -> Any:
    query = select(model).order_by(model.id)
    if member and hasattr(model, "controller_code"):
        query = query.where(model.controller_code == member)
    if controller and hasattr(model, "controller_code"):
        query = query.where(model.controller_code == controller)
    return query


def count(session: Session, model: Any, *, member: str | None, controller: str | None) -> int:
    query = _filtered(model, member=member, controller=controller)
    return count_matching(session, query, model.id)


def list_page(
    session: Session,
    model: Any,
    *,
    limit: int | None,
    after: int | None,
    member: str | None,
    controller: str | None = None,
) -> Sequence[Any]:
    query = _filtered(model, member=member, controller=controller)
    if after is not None:
        query = query.where(model.id > after)
    if limit is not None:
        query = query.limit(limit + 1)
    return session.scalars(query).all()


def sub_processor_codes(session: Session, codes: Sequence[str]) -> set[str]:
    if not codes:
        return set()
    return set(session.scalars(select(SubProcessor.code).where(SubProcessor.code.in_(codes))))
