"""HTTP endpoints of inventory ingestion: ``/inventory`` (JSON), ``/inventory/csv``,
``/inventory/csv-template`` and ``/inventory/glpi/{itemtype}``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Query, Request
from fastapi.responses import Response

from kit.db import DbSession
from kit.http import RawBody
from kit.identity import Principal, require
from kit.openapi import file_responses
from services.catalogue.bulk import MAX_ITEMS, BulkOptions, BulkResult
from services.catalogue.common import Code
from services.catalogue.idempotency.service import fingerprint, run_once
from services.catalogue.inventory import csv_format, glpi, mappings, service
from services.catalogue.inventory.schemas import InventoryLoad, LoadMode

router = APIRouter(tags=["inventory"])
InventoryWriter = Annotated[Principal, Depends(require("inventory:write"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


def load_options(
    dry_run: Annotated[bool, Query(description="Report what would change; write nothing")] = False,
    all_or_nothing: Annotated[
        bool, Query(description="Store nothing if an item is rejected")
    ] = False,
) -> BulkOptions:
    return BulkOptions(dry_run=dry_run, all_or_nothing=all_or_nothing)


Options = Annotated[BulkOptions, Depends(load_options)]
Mode = Annotated[LoadMode, Query(description="'full' retires the source's missing components")]


@router.post("/inventory", response_model=BulkResult)
def ingest_inventory(
    load: InventoryLoad,
    session: DbSession,
    principal: InventoryWriter,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Idempotent upsert of components keyed by (source, external_id), up to 10,000 a call."""
    items = [service.RawItem(index=i, raw=raw) for i, raw in enumerate(load.items)]
    return run_once(
        session,
        principal=principal,
        key=idempotency_key,
        endpoint="POST /inventory",
        payload=load,
        store=not load.dry_run,
        compute=lambda: service.ingest(
            session,
            principal=principal,
            source=load.source,
            mode=load.mode,
            items=items,
            options=load,
        ),
    )


@router.get(
    "/inventory/csv-template",
    response_class=Response,
    responses=file_responses("text/csv", "The CSV template"),
)
def csv_template(_principal: InventoryWriter) -> Response:
    """An empty CSV load with its header and one example line."""
    return Response(
        csv_format.template(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="inventaire-modele.csv"'},
    )


@router.post(
    "/inventory/csv",
    response_model=BulkResult,
    openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def ingest_inventory_csv(
    content: RawBody,
    source: Annotated[Code, Query()],
    session: DbSession,
    principal: InventoryWriter,
    options: Options,
    mode: Mode = "upsert",
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """The same load as a CSV file (body ``text/csv``; see ``/inventory/csv-template``)."""
    items = csv_format.parse(content)
    return run_once(
        session,
        principal=principal,
        key=idempotency_key,
        endpoint=f"POST /inventory/csv?source={source}&mode={mode}",
        payload={
            "sha256": fingerprint(content.decode("utf-8", "replace")),
            "options": options,
            "mode": mode,
        },
        store=not options.dry_run,
        compute=lambda: service.ingest(
            session, principal=principal, source=source, mode=mode, items=items, options=options
        ),
    )


@router.post("/inventory/glpi/{itemtype}", response_model=BulkResult)
def ingest_glpi(
    itemtype: glpi.GlpiItemType,
    request: Request,
    objects: Annotated[list[Any], Body(max_length=MAX_ITEMS)],
    session: DbSession,
    principal: InventoryWriter,
    options: Options,
    mode: Mode = "upsert",
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """The list GLPI answers to ``GET /apirest.php/Computer?expand_dropdowns=true`` (or
    ``/Software``), posted as is; source ``glpi-computer`` or ``glpi-software``."""
    settings = request.app.state.settings
    items = glpi.to_items(
        objects,
        itemtype=itemtype,
        members=mappings.load(session),
        retired_states=settings.glpi_retired_states,
    )
    source = glpi.SOURCES[itemtype]
    return run_once(
        session,
        principal=principal,
        key=idempotency_key,
        endpoint=f"POST /inventory/glpi/{itemtype}?mode={mode}",
        payload={"objects": objects, "options": options},
        store=not options.dry_run,
        compute=lambda: service.ingest(
            session, principal=principal, source=source, mode=mode, items=items, options=options
        ),
    )
