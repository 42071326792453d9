"""HTTP endpoints of inventory ingestion: ``/inventory`` (JSON), ``/inventory/csv``,
``/inventory/csv-template``, ``/inventory/glpi/{itemtype}`` and ``/inventory/glpi/infocoms``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Query, Request
from fastapi.responses import Response

from kit.db import DbSession
from kit.errors import Conflict, ValidationFailed
from kit.http import RawBody
from kit.identity import Principal, require
from kit.openapi import file_responses
from services.catalogue.bulk import MAX_ITEMS, BulkOptions, BulkResult
from services.catalogue.common import Code
from services.catalogue.idempotency.service import fingerprint, run_once
from services.catalogue.inventory import (
    csv_format,
    glpi,
    glpi_infocom,
    glpi_pages,
    mappings,
    service,
)
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


def glpi_page(
    content_range_header: Annotated[
        str | None,
        Header(
            alias="Content-Range",
            max_length=100,
            description="GLPI's Content-Range of the list posted (e.g. '0-49/200')",
        ),
    ] = None,
    content_range: Annotated[
        str | None,
        Query(max_length=100, description="The same, as a query parameter"),
    ] = None,
) -> glpi_pages.Page | None:
    value = content_range_header or content_range
    try:
        return glpi_pages.parse_content_range(value)
    except ValueError:
        message = f"Content-Range '{value}' is not GLPI's '<first>-<last>/<total>'"
        french = (
            f"Content-Range « {value} » n'est pas de la forme de GLPI « <début>-<fin>/<total> »."
        )
        raise ValidationFailed(
            message,
            detail_fr=french,
            errors=[
                {
                    "field": "content_range",
                    "message": message,
                    "message_fr": french,
                    "type": "content_range",
                }
            ],
        ) from None


GlpiPage = Annotated[glpi_pages.Page | None, Depends(glpi_page)]
ConfirmPartial = Annotated[
    bool,
    Query(description="Run a full load even though the list looks like one page of GLPI's"),
]


@router.post("/inventory/glpi/infocoms", response_model=BulkResult)
def ingest_glpi_infocoms(
    infocoms: Annotated[list[Any], Body(max_length=MAX_ITEMS)],
    session: DbSession,
    principal: InventoryWriter,
    options: Options,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """GLPI's financial information (legacy ``glpi_infocoms`` rows or API v2 ``Infocom``
    objects, each naming its asset by ``itemtype`` and ``items_id``): sets the end of support
    of the components already imported from GLPI."""
    return run_once(
        session,
        principal=principal,
        key=idempotency_key,
        endpoint="POST /inventory/glpi/infocoms",
        payload={"infocoms": infocoms, "options": options},
        store=not options.dry_run,
        compute=lambda: glpi_infocom.apply(
            session,
            principal=principal,
            infocoms=infocoms,
            sources=glpi.SOURCE_OF_ITEMTYPE,
            options=options,
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
    page: GlpiPage,
    mode: Mode = "upsert",
    confirm_partial: ConfirmPartial = False,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """The list GLPI answers to ``GET /apirest.php/<Itemtype>?expand_dropdowns=true`` or
    ``GET /api.php/v2/Assets/<Itemtype>`` (``Computer``, ``NetworkEquipment``, ``Printer``,
    ``Phone``, ``SoftwareLicense``), posted as is. A full load that looks like one page of a
    longer list is refused (409) unless ``confirm_partial=true``; its dry run is not."""
    if itemtype == "software":
        raise ValidationFailed(
            "GLPI's Software list is the software installed on the computers, not licences to "
            "bill: post GLPI's SoftwareLicense list to /inventory/glpi/licences instead.",
            detail_fr="La liste Software de GLPI est celle des logiciels installés sur les postes, "
            "pas des licences à refacturer : envoyez plutôt la liste SoftwareLicense à "
            "/inventory/glpi/licences.",
            slug="glpi-software-not-licences",
        )
    settings = request.app.state.settings
    items = glpi.to_items(
        objects,
        itemtype=itemtype,
        members=mappings.load(session),
        retired_states=settings.glpi_retired_states,
    )
    source = glpi.ASSET_TYPES[itemtype].source

    def load(opts: BulkOptions) -> BulkResult:
        return service.ingest(
            session, principal=principal, source=source, mode=mode, items=items, options=opts
        )

    reason = glpi_pages.partial_reason(len(objects), page) if mode == "full" else None
    if reason and not confirm_partial and not options.dry_run:
        simulated = load(BulkOptions(dry_run=True))
        retiring = [r.key for r in simulated.items if r.status == "retired"]
        raise Conflict(
            f"{reason}: a full load would retire {len(retiring)} component(s) of '{source}' "
            "that are only missing from this page. Post the whole list (every page), simulate "
            "with dry_run=true to see what it retires, or confirm with confirm_partial=true.",
            detail_fr=f"Cette liste ressemble à une seule page de GLPI : un chargement complet "
            f"retirerait {len(retiring)} composant(s) de « {source} » absents de cette page "
            "seulement. Envoyez la liste entière (toutes les pages), simulez avec dry_run=true "
            "pour voir ce qu'il retire, ou confirmez avec confirm_partial=true.",
            slug="glpi-partial-list",
            would_retire=retiring,
        )
    return run_once(
        session,
        principal=principal,
        key=idempotency_key,
        endpoint=f"POST /inventory/glpi/{itemtype}?mode={mode}",
        payload={"objects": objects, "options": options, "confirm_partial": confirm_partial},
        store=not options.dry_run,
        compute=lambda: load(options),
    )
