"""Queries of axes and actions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, exists, not_, or_, select
from sqlalchemy.orm import Session

from kit.pagination import count_matching
from services.governance.models import Action, ActionMember, Axis


def visible_action_clause(member: str) -> Any:
    """Actions a member sees: those concerning every member, or it."""
    any_member = exists().where(ActionMember.action_id == Action.id)
    this_member = exists().where(
        and_(ActionMember.action_id == Action.id, ActionMember.member_code == member)
    )
    return or_(not_(any_member), this_member)


def axes(session: Session) -> Sequence[Axis]:
    return session.scalars(select(Axis).order_by(Axis.position)).all()


def axis_by_code(session: Session, code: str) -> Axis | None:
    return session.scalars(select(Axis).where(Axis.code == code)).one_or_none()


def action_by_code(session: Session, code: str, *, member: str | None = None) -> Action | None:
    query = select(Action).where(Action.code == code)
    if member:
        query = query.where(visible_action_clause(member))
    return session.scalars(query).unique().one_or_none()


def actions(
    session: Session,
    *,
    member: str | None,
    axis_id: int | None = None,
    status: str | None = None,
    after: int | None = None,
    limit: int | None = None,
) -> Sequence[Action]:
    query = _filtered_actions(member=member, axis_id=axis_id, status=status)
    if after is not None:
        query = query.where(Action.id > after)
    if limit is not None:
        query = query.limit(limit + 1)
    return session.scalars(query).unique().all()


def count_actions(
    session: Session, *, member: str | None, axis_id: int | None = None, status: str | None = None
) -> int:
    query = _filtered_actions(member=member, axis_id=axis_id, status=status)
    return count_matching(session, query, Action.id)


def _filtered_actions(*, member: str | None, axis_id: int | None, status: str | None) -> Any:
    query = select(Action).order_by(Action.id)
    if axis_id is not None:
        query = query.where(Action.axis_id == axis_id)
    if status:
        query = query.where(Action.status == status)
    if member:
        query = query.where(visible_action_clause(member))
    return query
