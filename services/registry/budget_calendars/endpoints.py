"""HTTP endpoints of budget calendars: per member and year, and in bulk for billing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from kit.db import DbSession
from kit.http import resource_response
from kit.openapi import created_or_replaced
from kit.pagination import PageParams, build_page, bulk_page_params
from kit.params import FiscalYearPath as FiscalYear
from services.registry.budget_calendars import repository, service
from services.registry.budget_calendars.schemas import (
    BudgetCalendarPage,
    BudgetCalendarRead,
    BudgetCalendarWrite,
)
from services.registry.deps import MemberDep, ReadPrincipal, WritePrincipal

router = APIRouter(tags=["budget calendars"])


@router.get("/budget-calendars/{year}", response_model=BudgetCalendarPage)
def list_calendars(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    year: FiscalYear,
    page: Annotated[PageParams, Depends(bulk_page_params)],
) -> BudgetCalendarPage:
    """Every member's calendar for a year, ordered by member code (billing's input)."""
    after = page.after
    rows = repository.list_for_year(
        session,
        year,
        limit=page.limit,
        after=str(after[0]) if after else None,
        member_code=principal.member,
    )
    items, next_cursor = build_page(request, response, rows, limit=page.limit, key=lambda r: [r[1]])
    return BudgetCalendarPage(
        items=[service.to_read(c, code) for c, code in items], next_cursor=next_cursor
    )


@router.get("/members/{code}/budget-calendar/{year}", response_model=BudgetCalendarRead)
def read_calendar(
    request: Request, session: DbSession, member: MemberDep, year: FiscalYear
) -> Response:
    return resource_response(
        request, service.read_calendar(session, member=member, fiscal_year=year)
    )


@router.put(
    "/members/{code}/budget-calendar/{year}",
    response_model=BudgetCalendarRead,
    responses=created_or_replaced(BudgetCalendarRead),
)
def save_calendar(
    request: Request,
    session: DbSession,
    principal: WritePrincipal,
    member: MemberDep,
    year: FiscalYear,
    body: BudgetCalendarWrite,
) -> Response:
    read, created = service.save_calendar(
        session, principal=principal, member=member, fiscal_year=year, data=body
    )
    return resource_response(request, read, status_code=201 if created else 200)
