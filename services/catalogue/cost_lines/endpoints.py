"""HTTP endpoints of cost lines (``/cost-lines``) and of the yearly amounts billing reads
(``/yearly-cost-lines/{year}``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status

from kit.db import DbSession
from kit.errors import NotFound
from kit.http import RawBody, resource_response
from kit.identity import Principal, require
from kit.openapi import file_responses
from kit.pagination import Page, PageParams, build_page, bulk_page_params, page_params
from kit.params import FiscalYearPath as Year
from kit.tabular import XLSX_TYPE
from services.catalogue.bulk import BulkOptions
from services.catalogue.common import Code, Mode, Section
from services.catalogue.cost_lines import imports, repository, service
from services.catalogue.cost_lines.schemas import (
    CostLineCreate,
    CostLineRead,
    CostLineUpdate,
    YearlyCostLineRead,
)
from services.catalogue.idempotency.service import fingerprint, run_once
from services.catalogue.models import CostLine

router = APIRouter(tags=["cost lines"])
Reader = Annotated[Principal, Depends(require("catalogue:read"))]
Writer = Annotated[Principal, Depends(require("catalogue:write"))]


def get_cost_line_or_404(cost_line_id: int, session: DbSession) -> CostLine:
    line = repository.get(session, cost_line_id)
    if line is None:
        raise NotFound(
            f"No cost line {cost_line_id}",
            detail_fr=f"Aucune ligne de coût n° {cost_line_id}.",
            slug="cost-line-not-found",
        )

    return line


CostLineDep = Annotated[CostLine, Depends(get_cost_line_or_404)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


FileFormat = Annotated[Literal["csv", "xlsx"], Query(alias="format")]
FILE_BODY = {
    "requestBody": {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
        }
    }
}


def file_answer(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def import_options(
    dry_run: Annotated[bool, Query(description="Simulation: report, store nothing")] = False,
    all_or_nothing: Annotated[
        bool, Query(description="Store nothing if a row is rejected")
    ] = False,
) -> BulkOptions:
    return BulkOptions(dry_run=dry_run, all_or_nothing=all_or_nothing)


ImportOptions = Annotated[BulkOptions, Depends(import_options)]


@router.get("/cost-lines", response_model=Page[CostLineRead])
def list_cost_lines(
    request: Request,
    response: Response,
    session: DbSession,
    principal: Reader,
    paging: Annotated[PageParams, Depends(page_params)],
    fiscal_year: int | None = None,
    component_code: str | None = None,
    section: Section | None = None,
    mode: Mode | None = None,
) -> Page[CostLineRead]:
    """Cost lines as entered; a member-scoped reader sees only its own weights."""
    rows = repository.list_cost_lines(
        session,
        limit=paging.limit,
        after=paging.after,
        fiscal_year=fiscal_year,
        component_code=component_code,
        section=section,
        mode=mode,
    )
    items, cursor = build_page(request, response, rows, limit=paging.limit, key=lambda c: [c.id])
    return Page(
        items=[service.to_read(c, member=principal.member) for c in items], next_cursor=cursor
    )


@router.post("/cost-lines", status_code=status.HTTP_201_CREATED, response_model=CostLineRead)
def create_cost_line(data: CostLineCreate, session: DbSession, principal: Writer) -> CostLineRead:
    return service.create_cost_line(session, principal=principal, data=data)


@router.get("/cost-lines/{cost_line_id}")
def get_cost_line(request: Request, line: CostLineDep, principal: Reader) -> Response:
    return resource_response(request, service.to_read(line, member=principal.member))


@router.patch("/cost-lines/{cost_line_id}", response_model=CostLineRead)
def update_cost_line(
    data: CostLineUpdate, line: CostLineDep, session: DbSession, principal: Writer
) -> CostLineRead:
    return service.update_cost_line(session, principal=principal, line=line, data=data)


@router.delete("/cost-lines/{cost_line_id}", status_code=204)
def delete_cost_line(line: CostLineDep, session: DbSession, principal: Writer) -> Response:
    service.delete_cost_line(session, principal=principal, line=line)
    return Response(status_code=204)


@router.get("/yearly-cost-lines/{year}", response_model=Page[YearlyCostLineRead])
def yearly_cost_lines(
    year: Year,
    request: Request,
    response: Response,
    session: DbSession,
    principal: Reader,
    paging: Annotated[PageParams, Depends(bulk_page_params)],
) -> Page[YearlyCostLineRead]:
    """The amounts billing uses for ``year``, spread investments resolved to their yearly share,
    ordered by ``cost_line_id``."""
    rows = repository.counting_in_year(session, year=year, limit=paging.limit, after=paging.after)
    items, cursor = build_page(request, response, rows, limit=paging.limit, key=lambda c: [c.id])
    return Page(
        items=[service.to_yearly(c, year, member=principal.member) for c in items],
        next_cursor=cursor,
    )


@router.get(
    "/cost-line-imports/template",
    response_class=Response,
    responses=file_responses("text/csv", "The template (CSV, or XLSX with format=xlsx)"),
)
def cost_line_import_template(_principal: Writer, file_format: FileFormat = "csv") -> Response:
    """The columns of a cost-line import, with two example lines (a direct, an indirect)."""
    content, media_type = imports.template(file_format)
    return file_answer(content, media_type, f"couts-modele.{file_format}")


@router.post("/cost-line-imports", response_model=imports.CostLineImport, openapi_extra=FILE_BODY)
def import_cost_lines(
    content: RawBody,
    session: DbSession,
    principal: Writer,
    options: ImportOptions,
    source: Annotated[Code, Query(description="The financial software the export comes from")],
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """The DSIT's expenses as cost lines from a financial-software export (CSV or XLSX body;
    French dates and decimal commas accepted), keyed by (source, reference): a new import of
    the same export updates. The report lists every error of every rejected row."""
    return run_once(
        session,
        principal=principal,
        key=idempotency_key,
        endpoint=f"POST /cost-line-imports?source={source}",
        payload={"sha256": fingerprint(content.hex()), "options": options},
        store=not options.dry_run,
        compute=lambda: imports.import_cost_lines(
            session, principal=principal, content=content, source=source, options=options
        ),
    )
