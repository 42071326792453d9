"""Queries of cost lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.catalogue.models import Component, CostLine


def get(session: Session, cost_line_id: int) -> CostLine | None:
    return session.get(CostLine, cost_line_id)


def list_cost_lines(
    session: Session,
    *,
    limit: int,
    after: list[Any] | None,
    fiscal_year: int | None = None,
    component_code: str | None = None,
    section: str | None = None,
    mode: str | None = None,
) -> Sequence[CostLine]:
    query = select(CostLine).order_by(CostLine.id).limit(limit + 1)
    if after:
        query = query.where(CostLine.id > int(after[0]))
    if fiscal_year is not None:
        query = query.where(CostLine.fiscal_year == fiscal_year)
    if component_code:
        query = query.join(Component, Component.id == CostLine.component_id).where(
            Component.code == component_code
        )
    if section:
        query = query.where(CostLine.section == section)
    if mode:
        query = query.where(CostLine.mode == mode)
    return session.scalars(query).unique().all()


def counting_in_year(
    session: Session, *, year: int, limit: int, after: list[Any] | None
) -> Sequence[CostLine]:
    """Lines that count in ``year``: of that year, or investments spread over it."""
    query = (
        select(CostLine)
        .where(CostLine.fiscal_year <= year, CostLine.last_fiscal_year >= year)
        .order_by(CostLine.id)
        .limit(limit + 1)
    )
    if after:
        query = query.where(CostLine.id > int(after[0]))
    return session.scalars(query).unique().all()


def by_external_ids(session: Session, source: str, external_ids: list[str]) -> dict[str, CostLine]:
    """The lines an earlier import of ``source`` stored, by their reference there."""
    found: dict[str, CostLine] = {}
    for start in range(0, len(external_ids), 500):
        query = select(CostLine).where(
            CostLine.source == source,
            CostLine.external_id.in_(external_ids[start : start + 500]),
        )
        found.update({c.external_id or "": c for c in session.scalars(query).unique()})
    return found
