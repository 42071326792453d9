"""HTTP endpoints of fiscal-year parameters (payroll envelope, cap)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from kit.db import DbSession
from kit.errors import NotFound
from kit.http import resource_response
from kit.openapi import created_or_replaced
from kit.pagination import PageParams, build_page, page_params
from kit.params import FiscalYearPath as Year
from services.billing.deps import ReadPrincipal, WritePrincipal, cursor_key
from services.billing.fiscal_years import repository, service
from services.billing.fiscal_years.schemas import FiscalYearPage, FiscalYearRead, FiscalYearWrite
from services.billing.models import FiscalYear

router = APIRouter(tags=["fiscal years"])


def get_fiscal_year_or_404(session: DbSession, year: Year) -> FiscalYear:
    found = repository.get(session, year)
    if found is None:
        raise NotFound(
            f"No parameters for the fiscal year {year}: PUT /fiscal-years/{year} first.",
            detail_fr=f"L'exercice {year} n'est pas encore paramétré.",
            slug="fiscal-year-not-found",
        )
    return found


FiscalYearDep = Annotated[FiscalYear, Depends(get_fiscal_year_or_404)]


@router.get("/fiscal-years", response_model=FiscalYearPage)
def list_fiscal_years(
    request: Request,
    response: Response,
    session: DbSession,
    _principal: ReadPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
) -> FiscalYearPage:
    after = cursor_key(page.after, int)
    rows = repository.list_after(
        session, limit=page.limit, after=int(str(after[0])) if after else None
    )
    items, next_cursor = build_page(
        request, response, rows, limit=page.limit, key=lambda f: [f.year]
    )
    return FiscalYearPage(items=[service.to_read(f) for f in items], next_cursor=next_cursor)


@router.get("/fiscal-years/{year}", response_model=FiscalYearRead)
def read_fiscal_year(
    request: Request, _principal: ReadPrincipal, fiscal_year: FiscalYearDep
) -> Response:
    return resource_response(request, service.to_read(fiscal_year))


@router.put(
    "/fiscal-years/{year}",
    response_model=FiscalYearRead,
    responses=created_or_replaced(FiscalYearRead),
)
def put_fiscal_year(
    request: Request,
    session: DbSession,
    principal: WritePrincipal,
    year: Year,
    body: FiscalYearWrite,
) -> Response:
    fiscal_year, created = service.put_fiscal_year(
        session, principal=principal, year=year, data=body
    )
    return resource_response(
        request, service.to_read(fiscal_year), status_code=201 if created else 200
    )
