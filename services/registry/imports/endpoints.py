"""HTTP endpoints of the registry's bulk imports: a template, a simulation, a per-row report."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from kit.db import DbSession
from kit.http import RawBody
from kit.openapi import file_responses
from services.registry.deps import WritePrincipal
from services.registry.imports import service
from services.registry.imports.formats import FORMATS, ImportKind
from services.registry.imports.reading import template_csv, template_xlsx
from services.registry.imports.schemas import ImportReport

router = APIRouter(tags=["imports"])
Kind = Annotated[ImportKind, Path(description="workstations, budget-calendars or contacts")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/imports/{kind}/template",
    response_class=Response,
    responses=file_responses("text/csv", "The template (CSV, or XLSX with format=xlsx)"),
)
def import_template(
    _principal: WritePrincipal,
    kind: Kind,
    file_format: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "csv",
) -> Response:
    """The file to fill in: French headers and an example row."""
    fmt = FORMATS[kind]
    headers = [c.header for c in fmt.columns]
    example = [c.example for c in fmt.columns]
    name = f"{fmt.title}-modele.{file_format}"
    if file_format == "xlsx":
        content, media = template_xlsx(fmt.title, headers, [example]), XLSX
    else:
        content, media = template_csv(headers, [example]), "text/csv; charset=utf-8"
    return Response(
        content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.post(
    "/imports/{kind}",
    response_model=ImportReport,
    openapi_extra={
        "requestBody": {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
def run_import(
    session: DbSession,
    principal: WritePrincipal,
    kind: Kind,
    content: RawBody,
    dry_run: Annotated[bool, Query(description="Simulate: report what would happen")] = False,
) -> ImportReport:
    """Import a CSV (``;`` or ``,``, UTF-8 with or without BOM) or XLSX file; dates as
    25/09/2023 or 2023-09-25. Each row is reported with every one of its errors; a rejected row
    never stops the others."""
    return service.run_import(
        session, principal=principal, kind=kind, content=content, dry_run=dry_run
    )
