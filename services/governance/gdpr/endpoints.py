"""HTTP endpoints of the GDPR registers, one set per register (same shape for each).

``/gdpr/processing`` (art. 30.2 processor register), ``/gdpr/records`` (art. 30.1 records of the
members' processings hosted by the DSIT), ``/gdpr/sub-processors`` (art. 28 terms),
``/gdpr/breaches`` (art. 33.5 with the 72-hour clock), ``/gdpr/requests`` (one-month deadline).
A member's contact (``gdpr:read``) reads only the entries where its member is the controller.
"""

# no ``from __future__ import annotations``: the routes are built in a loop and FastAPI reads
# their annotations at definition time

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from kit.clock import Now
from kit.db import DbSession
from kit.errors import NotFound
from kit.http import resource_response
from kit.openapi import file_responses
from kit.pagination import PageParams, build_page, page_params
from services.governance import documents
from services.governance.deps import GdprReader, GdprWriter, after_id
from services.governance.gdpr import exports, repository, schemas, service

router = APIRouter(prefix="/gdpr", tags=["gdpr"])

REGISTERS: dict[str, tuple[type[BaseModel], type[BaseModel], str]] = {
    "processing": (
        schemas.ProcessorEntryWrite,
        schemas.ProcessorEntryPatch,
        "Registre des activités de traitement du sous-traitant (art. 30.2)",
    ),
    "records": (
        schemas.RecordWrite,
        schemas.RecordPatch,
        "Traitements des adhérents hébergés par la DSIT (art. 30.1)",
    ),
    "sub-processors": (
        schemas.SubProcessorWrite,
        schemas.SubProcessorPatch,
        "Sous-traitants ultérieurs (art. 28)",
    ),
    "breaches": (
        schemas.BreachWrite,
        schemas.BreachPatch,
        "Registre des violations de données (art. 33.5)",
    ),
    "requests": (schemas.RequestWrite, schemas.RequestPatch, "Demandes d'exercice des droits"),
}


def _all_rows(
    session: DbSession, kind: str, member: str | None, controller: str | None, now: Any
) -> list[dict[str, Any]]:
    model = service.KINDS[kind][0]
    rows = repository.list_page(
        session, model, limit=None, after=None, member=member, controller=controller
    )
    return [service.to_read(r, now=now) for r in rows]


def _register(kind: str) -> None:
    write_schema, patch_schema, title = REGISTERS[kind]
    model, resource_type = service.KINDS[kind]
    base = f"/{kind}"

    def get_or_404(
        session: DbSession, principal: GdprReader, item_id: Annotated[int, Path(ge=1)]
    ) -> Any:
        row = repository.get(session, model, item_id, member=principal.member)
        if row is None:
            raise NotFound(
                f"No {resource_type} {item_id}.",
                detail_fr=f"{service.ENTRIES_FR[resource_type][0]} n° {item_id} n'existe pas.",
                slug=f"{resource_type}-not-found",
            )
        return row

    Item = Annotated[Any, Depends(get_or_404)]

    @router.get(
        f"{base}/export.csv",
        name=f"export_{kind}_csv",
        response_class=Response,
        responses=file_responses("text/csv", "The register, CSV"),
        summary=f"{title} — CSV",
    )
    def export_csv(
        session: DbSession,
        principal: GdprReader,
        now: Now,
        controller: Annotated[str | None, Query(max_length=80)] = None,
    ) -> Response:
        headers, cells = exports.table(
            kind, _all_rows(session, kind, principal.member, controller, now)
        )
        data = documents.csv_bytes(headers, cells)
        return Response(
            data,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="rgpd-{kind}.csv"'},
        )

    @router.get(
        f"{base}/export.pdf",
        name=f"export_{kind}_pdf",
        response_class=Response,
        responses=file_responses("application/pdf", "The register, PDF"),
        summary=f"{title} — PDF",
    )
    def export_pdf(
        session: DbSession,
        principal: GdprReader,
        now: Now,
        controller: Annotated[str | None, Query(max_length=80)] = None,
    ) -> Response:
        rows = _all_rows(session, kind, principal.member, controller, now)
        data = documents.table_pdf(title, *exports.table(kind, rows))
        return Response(
            data,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="rgpd-{kind}.pdf"'},
        )

    @router.get(base, name=f"list_{kind}", response_model=schemas.GdprPage, summary=title)
    def list_items(
        request: Request,
        response: Response,
        session: DbSession,
        principal: GdprReader,
        now: Now,
        page: Annotated[PageParams, Depends(page_params)],
        controller: Annotated[str | None, Query(max_length=80)] = None,
    ) -> schemas.GdprPage:
        rows = repository.list_page(
            session,
            model,
            limit=page.limit,
            after=after_id(page.after),
            member=principal.member,
            controller=controller,
        )
        items, next_cursor = build_page(
            request, response, rows, limit=page.limit, key=lambda r: [r.id]
        )
        return schemas.GdprPage(
            items=[service.to_read(r, now=now) for r in items],
            next_cursor=next_cursor,
            total=repository.count(session, model, member=principal.member, controller=controller),
        )

    @router.post(base, name=f"create_{kind}", status_code=201, response_model=dict[str, Any])
    def create_item(
        session: DbSession,
        principal: GdprWriter,
        now: Now,
        body: write_schema,  # type: ignore[valid-type]
    ) -> JSONResponse:
        row = service.create(session, principal=principal, kind=kind, data=body)
        payload = resource_payload(service.to_read(row, now=now))
        return JSONResponse(
            payload, status_code=201, headers={"Location": f"/gdpr/{kind}/{row.id}"}
        )

    @router.get(f"{base}/{{item_id}}", name=f"read_{kind}", response_model=dict[str, Any])
    def read_item(request: Request, row: Item, now: Now) -> Response:
        return resource_response(request, service.to_read(row, now=now))

    @router.patch(f"{base}/{{item_id}}", name=f"update_{kind}", response_model=dict[str, Any])
    def update_item(
        session: DbSession,
        principal: GdprWriter,
        now: Now,
        row: Item,
        body: patch_schema,  # type: ignore[valid-type]
    ) -> JSONResponse:
        updated = service.update(session, principal=principal, kind=kind, row=row, data=body)
        return JSONResponse(resource_payload(service.to_read(updated, now=now)))


def resource_payload(data: dict[str, Any]) -> Any:
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(data)


for _kind in REGISTERS:
    _register(_kind)
