"""HTTP endpoints of usage: ``/usage/{year}`` and ``/usage/{year}/{driver_code}``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from kit.db import DbSession
from kit.http import RawBody
from kit.identity import Principal, require
from kit.openapi import file_responses
from kit.pagination import Page, PageParams, build_page, bulk_page_params
from kit.params import FiscalYearPath as Year
from services.catalogue.bulk import BulkResult
from services.catalogue.common import Code
from services.catalogue.cost_lines.endpoints import (
    FILE_BODY,
    FileFormat,
    ImportOptions,
    file_answer,
)
from services.catalogue.drivers.endpoints import DriverDep
from services.catalogue.idempotency.service import fingerprint, run_once
from services.catalogue.usage import imports, repository, service
from services.catalogue.usage.schemas import MeasurementsLoad, UsageRead

router = APIRouter(tags=["usage"])
Reader = Annotated[Principal, Depends(require("catalogue:read"))]
UsageWriter = Annotated[Principal, Depends(require("usage:write"))]
BulkPaging = Annotated[PageParams, Depends(bulk_page_params)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


def _page(
    request: Request,
    response: Response,
    session: DbSession,
    principal: Principal,
    paging: PageParams,
    *,
    year: int,
    driver_id: int | None,
) -> Page[UsageRead]:
    rows = repository.list_usage(
        session,
        year=year,
        limit=paging.limit,
        after=paging.after,
        driver_id=driver_id,
        member_code=principal.member,
    )
    items, cursor = build_page(
        request, response, rows, limit=paging.limit, key=lambda r: [r[1], r[0].member_code]
    )
    return Page(items=[service.to_read(m, code) for m, code in items], next_cursor=cursor)


@router.get("/usage/{year}", response_model=Page[UsageRead])
def list_usage(
    year: Year,
    request: Request,
    response: Response,
    session: DbSession,
    principal: Reader,
    paging: BulkPaging,
) -> Page[UsageRead]:
    """Every measurement of the year, ordered by (driver_code, member_code); a member-scoped
    reader sees only its own."""
    return _page(request, response, session, principal, paging, year=year, driver_id=None)


@router.get("/usage/{year}/{driver_code}", response_model=Page[UsageRead])
def list_driver_usage(
    year: Year,
    driver: DriverDep,
    request: Request,
    response: Response,
    session: DbSession,
    principal: Reader,
    paging: BulkPaging,
) -> Page[UsageRead]:
    return _page(request, response, session, principal, paging, year=year, driver_id=driver.id)


def _ingest(
    method: str,
    year: int,
    driver: DriverDep,
    load: MeasurementsLoad,
    session: DbSession,
    principal: Principal,
    key: str | None,
) -> BulkResult:
    return run_once(
        session,
        principal=principal,
        key=key,
        endpoint=f"{method} /usage/{year}/{driver.code}",
        payload=load,
        store=not load.dry_run,
        compute=lambda: service.ingest_usage(
            session,
            principal=principal,
            year=year,
            driver=driver,
            load=load,
            replace=method == "PUT",
        ),
    )


@router.post("/usage/{year}/{driver_code}", response_model=BulkResult)
def upsert_usage(
    year: Year,
    driver: DriverDep,
    load: MeasurementsLoad,
    session: DbSession,
    principal: UsageWriter,
    idempotency_key: IdempotencyKey = None,
) -> BulkResult:
    """Add or update measurements (up to 10,000); members not in the call are left as they are."""
    return _ingest("POST", year, driver, load, session, principal, idempotency_key)


@router.put("/usage/{year}/{driver_code}", response_model=BulkResult)
def replace_usage(
    year: Year,
    driver: DriverDep,
    load: MeasurementsLoad,
    session: DbSession,
    principal: UsageWriter,
    idempotency_key: IdempotencyKey = None,
) -> BulkResult:
    """Replace the driver's measurements for the year: members not in the call are deleted."""
    return _ingest("PUT", year, driver, load, session, principal, idempotency_key)


@router.get(
    "/usage-imports/template",
    response_class=Response,
    responses=file_responses("text/csv", "The template (CSV, or XLSX with format=xlsx)"),
)
def usage_import_template(_principal: UsageWriter, file_format: FileFormat = "csv") -> Response:
    """The columns of a usage import (exercice, inducteur, adherent, quantite, date)."""
    content, media_type = imports.template(file_format)
    return file_answer(content, media_type, f"usages-modele.{file_format}")


@router.post("/usage-imports", response_model=BulkResult, openapi_extra=FILE_BODY)
def import_usage(
    content: RawBody,
    session: DbSession,
    principal: UsageWriter,
    options: ImportOptions,
    source: Annotated[Code, Query(description="Tool or person that measured it")] = "import",
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Usage per driver and year from a table (CSV or XLSX body, decimal commas and French
    dates accepted): each (year, driver) is added and updated like ``POST /usage/{year}/
    {driver_code}``. The report lists every error of every rejected row."""
    return run_once(
        session,
        principal=principal,
        key=idempotency_key,
        endpoint=f"POST /usage-imports?source={source}",
        payload={"sha256": fingerprint(content.hex()), "options": options},
        store=not options.dry_run,
        compute=lambda: imports.import_usage(
            session, principal=principal, content=content, source=source, options=options
        ),
    )
