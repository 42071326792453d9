"""Rules of fiscal-year parameters."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kit import audit
from kit.identity import Principal
from services.billing.engine.cap import window_years
from services.billing.engine.money import fmt, to_cents
from services.billing.fiscal_years import repository
from services.billing.fiscal_years.schemas import CapRead, FiscalYearRead, FiscalYearWrite
from services.billing.models import AuditEntry, FiscalYear


def to_read(fiscal_year: FiscalYear) -> FiscalYearRead:
    return FiscalYearRead.model_validate(
        {
            "fiscal_year": fiscal_year.year,
            "payroll_envelope": fmt(fiscal_year.payroll_envelope_cents),
            "cap": CapRead(
                enabled=fiscal_year.cap_enabled,
                window=fiscal_year.cap_window,
                years=window_years(fiscal_year.year, fiscal_year.cap_window),
            ),
        }
    )


def put_fiscal_year(
    session: Session, *, principal: Principal, year: int, data: FiscalYearWrite
) -> tuple[FiscalYear, bool]:
    """Create or replace the parameters of ``year``; says whether it was created."""
    found = repository.get(session, year)
    before = to_read(found).model_dump(mode="json") if found else None
    fiscal_year = found or FiscalYear(year=year)
    fiscal_year.payroll_envelope_cents = to_cents(data.payroll_envelope)
    fiscal_year.cap_enabled = data.cap.enabled
    fiscal_year.cap_window = data.cap.window
    if found is None:
        session.add(fiscal_year)
    session.flush()
    audit.record(
        session,
        AuditEntry,
        principal=principal,
        action="create" if found is None else "update",
        resource_type="fiscal_year",
        resource_id=str(year),
        before=before,
        after=to_read(fiscal_year).model_dump(mode="json"),
    )
    return fiscal_year, found is None
