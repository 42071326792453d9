"""Every query of the settlements on the attribution de compensation."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.billing.models import CompensationSettlement


def get(session: Session, settlement_id: int) -> CompensationSettlement | None:
    return session.get(CompensationSettlement, settlement_id)


def of_member(
    session: Session, fiscal_year: int, member_code: str
) -> CompensationSettlement | None:
    return session.scalars(
        select(CompensationSettlement).where(
            CompensationSettlement.fiscal_year == fiscal_year,
            CompensationSettlement.member_code == member_code,
        )
    ).one_or_none()


def listed(
    session: Session, *, fiscal_year: int | None, member_code: str | None
) -> Sequence[CompensationSettlement]:
    query = select(CompensationSettlement).order_by(
        CompensationSettlement.fiscal_year.desc(), CompensationSettlement.member_code
    )
    if fiscal_year is not None:
        query = query.where(CompensationSettlement.fiscal_year == fiscal_year)
    if member_code is not None:
        query = query.where(CompensationSettlement.member_code == member_code)
    return session.scalars(query).all()


def of_year(session: Session, fiscal_year: int) -> dict[str, CompensationSettlement]:
    return {s.member_code: s for s in listed(session, fiscal_year=fiscal_year, member_code=None)}
