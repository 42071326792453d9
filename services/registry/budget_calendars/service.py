"""Rules on budget calendars: the steps of a fiscal year come in order (BP, then BS and DMs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from kit import audit
from kit.errors import NotFound, ValidationFailed
from kit.french import fr_date
from kit.identity import Principal
from services.registry.budget_calendars import repository
from services.registry.budget_calendars.schemas import BudgetCalendarRead, BudgetCalendarWrite
from services.registry.models import AuditEntry, BudgetCalendar, Member


def calendar_errors(fiscal_year: int, data: BudgetCalendarWrite) -> list[dict[str, Any]]:
    """What is wrong with a calendar (pure): the BP of year Y is voted from October of Y-1 to
    the end of Y; BS and DMs come after the BP and no later than January of Y+1."""
    errors: list[dict[str, Any]] = []
    earliest, latest = dt.date(fiscal_year - 1, 10, 1), dt.date(fiscal_year + 1, 1, 31)
    bp = data.bp_voted_on
    if bp is not None and not earliest <= bp <= dt.date(fiscal_year, 12, 31):
        errors.append(
            {
                "field": "bp_voted_on",
                "message": f"the BP of {fiscal_year} is voted between {earliest} and the end "
                f"of {fiscal_year}",
                "type": "range",
                "message_fr": f"Le BP de {fiscal_year} se vote entre le {fr_date(earliest)} et "
                f"le 31/12/{fiscal_year}.",
            }
        )
    later = [("bs_voted_on", data.bs_voted_on)] + [
        (f"dm_dates.{i}", d) for i, d in enumerate(data.dm_dates)
    ]
    for field, day in later:
        if day is None:
            continue
        if bp is not None and day < bp:
            errors.append(
                {
                    "field": field,
                    "message": "before the BP vote",
                    "type": "date_order",
                    "message_fr": f"Ce vote précède celui du BP ({fr_date(bp)}).",
                }
            )
        elif not earliest <= day <= latest:
            errors.append(
                {
                    "field": field,
                    "message": f"outside {earliest}..{latest}",
                    "type": "range",
                    "message_fr": f"Hors de la période de l'exercice {fiscal_year} : entre le "
                    f"{fr_date(earliest)} et le {fr_date(latest)}.",
                }
            )
    if len(set(data.dm_dates)) != len(data.dm_dates):
        errors.append(
            {
                "field": "dm_dates",
                "message": "a date is repeated",
                "type": "unique",
                "message_fr": "Une date de DM est répétée.",
            }
        )
    return errors


def to_read(calendar: BudgetCalendar, member_code: str) -> BudgetCalendarRead:
    return BudgetCalendarRead(
        member_code=member_code,
        fiscal_year=calendar.fiscal_year,
        bp_voted_on=calendar.bp_voted_on,
        bs_voted_on=calendar.bs_voted_on,
        dm_dates=sorted(dt.date.fromisoformat(d) for d in calendar.dm_dates or []),
    )


def read_calendar(session: Session, *, member: Member, fiscal_year: int) -> BudgetCalendarRead:
    calendar = repository.get(session, member.id, fiscal_year)
    if calendar is None:
        raise NotFound(
            f"No budget calendar for member '{member.code}' and {fiscal_year}.",
            detail_fr=f"Aucun calendrier budgétaire pour l'adhérent « {member.name} » et "
            f"l'exercice {fiscal_year}.",
            slug="budget-calendar-not-found",
        )
    return to_read(calendar, member.code)


def save_calendar(
    session: Session,
    *,
    principal: Principal,
    member: Member,
    fiscal_year: int,
    data: BudgetCalendarWrite,
) -> tuple[BudgetCalendarRead, bool]:
    """Create or replace the calendar of a year; says whether it was created."""
    errors = calendar_errors(fiscal_year, data)
    if errors:
        fields = ", ".join(sorted({e["field"] for e in errors}))
        raise ValidationFailed(
            f"Invalid value for: {fields}",
            detail_fr=" ".join(dict.fromkeys(e["message_fr"] for e in errors)),
            errors=errors,
        )

    calendar = repository.get(session, member.id, fiscal_year)
    created = calendar is None
    before = None if calendar is None else to_read(calendar, member.code)
    if calendar is None:
        calendar = BudgetCalendar(member_id=member.id, fiscal_year=fiscal_year)
        session.add(calendar)
    calendar.bp_voted_on = data.bp_voted_on
    calendar.bs_voted_on = data.bs_voted_on
    calendar.dm_dates = [d.isoformat() for d in sorted(data.dm_dates)]
    session.flush()
    after = to_read(calendar, member.code)
    if after != before:
        audit.record(
            session,
            AuditEntry,
            principal=principal,
            action="create" if created else "update",
            resource_type="budget_calendar",
            resource_id=f"{member.code}/{fiscal_year}",
            before=before,
            after=after,
        )
    return after, created
