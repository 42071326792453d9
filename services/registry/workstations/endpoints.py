"""HTTP endpoints of workstation counts: per member and year (with history), and in bulk."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from kit.db import DbSession
from kit.http import resource_response
from kit.openapi import created_or_replaced
from kit.pagination import PageParams, build_page, bulk_page_params
from kit.params import FiscalYearPath as FiscalYear
from services.registry.deps import MemberDep, ReadPrincipal, WritePrincipal
from services.registry.workstations import repository, service
from services.registry.workstations.schemas import (
    WorkstationCountPage,
    WorkstationCountRead,
    WorkstationCountWrite,
)

router = APIRouter(tags=["workstations"])


@router.get("/workstations/{year}", response_model=WorkstationCountPage)
def list_counts(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    year: FiscalYear,
    page: Annotated[PageParams, Depends(bulk_page_params)],
) -> WorkstationCountPage:
    """Every member's current count for a year, ordered by member code (billing's input)."""
    after = page.after
    rows = repository.current_for_year(
        session,
        year,
        limit=page.limit,
        after=str(after[0]) if after else None,
        member_code=principal.member,
    )
    items, next_cursor = build_page(request, response, rows, limit=page.limit, key=lambda r: [r[1]])
    return WorkstationCountPage(
        items=[service.to_read(v, code, n) for v, code, n in items], next_cursor=next_cursor
    )


@router.get("/members/{code}/workstations", response_model=WorkstationCountPage)
def member_counts(session: DbSession, member: MemberDep) -> WorkstationCountPage:
    """Every version of the member's counts, every year: newest year first, then oldest
    version first (one page: a handful per year)."""
    return WorkstationCountPage(items=service.member_history(session, member=member))


@router.get("/members/{code}/workstations/{year}", response_model=WorkstationCountRead)
def read_count(
    request: Request,
    session: DbSession,
    member: MemberDep,
    year: FiscalYear,
    as_of: Annotated[
        str | None,
        Query(max_length=40, description="Date or datetime: the count as it stood then"),
    ] = None,
) -> Response:
    moment = service.parse_as_of(as_of) if as_of is not None else None
    found = service.read_count(session, member=member, fiscal_year=year, as_of=moment)
    return resource_response(request, found)


@router.put(
    "/members/{code}/workstations/{year}",
    response_model=WorkstationCountRead,
    responses=created_or_replaced(WorkstationCountRead),
)
def record_count(
    request: Request,
    session: DbSession,
    principal: WritePrincipal,
    member: MemberDep,
    year: FiscalYear,
    body: WorkstationCountWrite,
) -> Response:
    """Record the count: a new version when it changed, the current one otherwise."""
    read, added = service.record_count(
        session, principal=principal, member=member, fiscal_year=year, data=body
    )
    created = added and read.version == 1
    return resource_response(request, read, status_code=201 if created else 200)


@router.get("/members/{code}/workstations/{year}/history", response_model=WorkstationCountPage)
def count_history(session: DbSession, member: MemberDep, year: FiscalYear) -> WorkstationCountPage:
    """Every version of the count for that year, oldest first (a handful: one page)."""
    return WorkstationCountPage(items=service.history(session, member=member, fiscal_year=year))
