"""Queries of comparisons: the run a year's comparison stands on."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.billing.models import Run


def run_of_year(session: Session, fiscal_year: int) -> Run | None:
    """The current final run of the year, else its latest succeeded forecast run."""
    final = session.scalars(
        select(Run).where(
            Run.fiscal_year == fiscal_year,
            Run.kind == "final",
            Run.is_current,
            Run.status == "succeeded",
        )
    ).first()
    if final is not None:
        return final
    return session.scalars(
        select(Run)
        .where(Run.fiscal_year == fiscal_year, Run.kind == "forecast", Run.status == "succeeded")
        .order_by(Run.id.desc())
        .limit(1)
    ).first()
