"""Queries of governance bodies."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.governance.models import Body


def get_by_code(session: Session, code: str) -> Body | None:
    return session.scalars(select(Body).where(Body.code == code)).one_or_none()


def list_page(
    session: Session,
    *,
    limit: int,
    after: int | None,
    level: str | None,
    member: str | None,
) -> Sequence[Body]:
    query = select(Body).order_by(Body.id).limit(limit + 1)
    if after is not None:
        query = query.where(Body.id > after)
    if level:
        query = query.where(Body.level == level)
    if member:
        query = query.where(or_(Body.member_code.is_(None), Body.member_code == member))
    return session.scalars(query).all()
