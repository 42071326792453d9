"""``POST /glpi-agent``: the GLPI agent pushes its inventories straight to Mutualis.

The agent's server URL is ``https://<gateway>/api/catalogue/glpi-agent``; it speaks GLPI's JSON
protocol (glpi-project/json-protocol): one POSTed JSON document per exchange, its ``action``
saying what it is. ``contact`` (first exchange of each run) is answered with the tasks this
server takes (``inventory``) and those it does not (``disabled``); ``inventory`` and
``netinventory`` carry a document of the native inventory format (``native``), checked against
its JSON schema, which becomes or updates one component of source ``glpi-agent`` keyed by its
``deviceid``.

Bodies come compressed as the ``Content-Type`` says (``application/x-compress-zlib``,
``-gzip``, ``-deflate``, their ``application/x-zlib``/``x-gzip``/``x-deflate`` spellings) or as
plain JSON; the answer is compressed the same way, under the same ``Content-Type``. The agent's
``GLPI-Agent-ID`` (a UUID) is required and sent back, its ``GLPI-Request-ID`` echoed. Errors are
the protocol's ``{"status": "error", "message": …}`` with a 4xx/5xx code, never problem+json:
the agent logs the message, and the integrator reads it there (English, saying what to do).

Authentication is the gateway's (HTTP Basic with a machine token as the password, see
``gateway.agent``); the principal must hold ``inventory:write``. Which member a device
serves: the member its agent's ``tag`` is mapped to (``mappings``); for an untagged device, the
member the token is restricted to, else the member already stored for it, else the member of
GLPI's root entity (``0``) when it is mapped; otherwise the push is refused, saying what to map.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
import zlib
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kit.db import DbSession, utcnow
from kit.errors import AppError
from kit.http import RawBody
from kit.identity import Principal, require
from kit.openapi import OWN_CONTENT
from services.catalogue.bulk import BulkOptions, ItemResult
from services.catalogue.components import repository as components
from services.catalogue.inventory import mappings, native, service
from services.catalogue.models import Component

router = APIRouter(tags=["inventory"])
# the gateway refuses a principal without it in the agent's protocol; a peer service calling
# without it gets the usual problem+json 403
InventoryWriter = Annotated[Principal, Depends(require("inventory:write"))]
logger = logging.getLogger("mutualis.catalogue.glpi_agent")

AGENT_ID_HEADER = "GLPI-Agent-ID"
REQUEST_ID_HEADER = "GLPI-Request-ID"
# the GLPI version announced to the agent: it turns on what the agent does for GLPI >= 10
# (partial inventories), all of which this endpoint takes
GLPI_VERSION = "10.0.0"
SUPPORTED_TASKS = ("inventory",)
INVENTORY_ACTIONS = ("inventory", "netinventory")
MESSAGE_SIZE = 250  # as GLPI: longer messages are cut
MAPPING_PAGE = "Catalogue > Correspondances GLPI"
ROOT_ENTITY = "0"  # GLPI's root entity, where GLPI puts an untagged inventory

# Content-Type → zlib's wbits (15: zlib stream, 31: gzip, -15: raw deflate); None: plain JSON
ENCODINGS: dict[str, int] = {
    "application/x-compress-zlib": 15,
    "application/x-zlib": 15,
    "application/x-compress-gzip": 31,
    "application/x-gzip": 31,
    "application/x-compress-deflate": -15,
    "application/x-deflate": -15,
}
UNSUPPORTED = {
    "application/x-compress-br": "brotli-compressed bodies are not supported: use zlib or gzip",
    "application/x-br": "brotli-compressed bodies are not supported: use zlib or gzip",
    "application/xml": "XML (the legacy FusionInventory protocol) is not supported: "
    "use a GLPI agent (JSON protocol)",
}


class AgentError(Exception):
    """An answer ``{"status": "error", "message": …}`` with this HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Exchange:
    """How the agent sent its request, hence how to answer it."""

    content_type: str  # the request's, without parameters, lower case
    wbits: int | None  # its compression
    agent_id: str | None
    request_id: str | None

    @classmethod
    def of(cls, request: Request) -> Exchange:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        return cls(
            content_type=content_type,
            wbits=ENCODINGS.get(content_type),
            agent_id=request.headers.get(AGENT_ID_HEADER),
            request_id=request.headers.get(REQUEST_ID_HEADER),
        )

    def answer(self, status: int, body: dict[str, Any], *, compress: bool = True) -> Response:
        data = json.dumps(body, ensure_ascii=False).encode()
        media_type = "application/json"
        if compress and self.wbits is not None:
            packer = zlib.compressobj(wbits=self.wbits)
            data = packer.compress(data) + packer.flush()
            media_type = self.content_type
        headers = {}
        if self.agent_id:
            headers[AGENT_ID_HEADER] = self.agent_id
        if self.request_id:
            headers[REQUEST_ID_HEADER] = self.request_id
        return Response(data, status_code=status, media_type=media_type, headers=headers)


def decompress(body: bytes, wbits: int | None, *, limit: int) -> bytes:
    """The body as the agent wrote it, at most ``limit`` bytes once decompressed (a small
    compressed body may inflate to gigabytes: it is refused as soon as it passes the limit)."""
    if wbits is None:
        data = body
    else:
        unpacker = zlib.decompressobj(wbits=wbits)
        try:
            data = unpacker.decompress(body, limit + 1)
        except zlib.error as exc:
            raise AgentError(400, f"the body is not a valid compressed stream ({exc})") from exc
        if len(data) <= limit and not unpacker.eof:
            raise AgentError(400, "the compressed body is truncated")
    if len(data) > limit:
        raise AgentError(
            413, f"the inventory is larger than {limit} bytes once decompressed: refused"
        )
    return data


def parse(data: bytes) -> dict[str, Any]:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:  # bytes that are not UTF-8, absurd nesting
        raise AgentError(400, "JSON not well formed!") from exc
    if not isinstance(document, dict):
        raise AgentError(400, "JSON not well formed! A JSON object is expected")
    return document


def check_agent_id(value: str | None) -> None:
    if not value:
        raise AgentError(400, f"the {AGENT_ID_HEADER} header (the agent's UUID) is required")
    try:
        uuid.UUID(value)
    except ValueError as exc:
        raise AgentError(400, f"the {AGENT_ID_HEADER} header must be a UUID") from exc


def contact(
    document: dict[str, Any], *, expiration: int, members: mappings.MemberMap
) -> dict[str, Any]:
    """The CONTACT answer: this server takes inventories; every other task the agent has is
    disabled, as GLPI without its inventory plugin does. An agent whose tag is not mapped is
    told at once (its inventories would be refused)."""
    tasks: list[str] = []
    for key in ("installed-tasks", "enabled-tasks"):
        listed = document.get(key)
        if isinstance(listed, list):
            tasks.extend(str(t) for t in listed if str(t) not in tasks)
    disabled = [t for t in tasks if t not in SUPPORTED_TASKS]
    answer: dict[str, Any] = {
        "status": "ok",
        "expiration": expiration,
        "tasks": {"inventory": {"server": "glpi", "version": GLPI_VERSION}},
        "disabled": disabled,
    }
    notes = [f"{', '.join(disabled)}: not supported by Mutualis"] if disabled else []
    tag = document.get("tag")
    if isinstance(tag, str) and tag.strip() and members.for_tag(tag) is None:
        notes.append(_not_mapped(tag.strip()).message)
    if notes:
        answer["message"] = _cut("; ".join(notes))
    return answer


def _not_mapped(tag: str) -> AgentError:
    return AgentError(
        422,
        f"tag '{tag}' is not mapped to a member: map it in Mutualis ({MAPPING_PAGE})",
    )


def member_of(
    document: dict[str, Any],
    *,
    members: mappings.MemberMap,
    principal: Principal,
    stored: Component | None,
) -> list[str]:
    """The device's member: its tag's mapping; for an untagged device, the token's member,
    else the one already stored, else the member of GLPI's root entity (id ``0``: GLPI puts an
    untagged inventory there)."""
    tag = document.get("tag")
    tag = tag.strip() if isinstance(tag, str) else ""
    if tag:
        member = members.resolve(tag=tag, entity=None)
        if member is None:
            raise _not_mapped(tag)
        return [member]
    if principal.member is not None:
        return [principal.member]
    if stored is not None and stored.member_codes:
        return sorted(stored.member_codes)
    root = members.for_entity(ROOT_ENTITY)
    if root is not None:
        return [root]
    raise AgentError(
        422,
        f"device '{document.get('deviceid')}' carries no tag, so its member is unknown: set the "
        f"agent's tag option and map the tag in Mutualis ({MAPPING_PAGE}), push with a token "
        f"restricted to the member, or map GLPI's root entity '{ROOT_ENTITY}' there",
    )


def item_of(
    document: dict[str, Any], *, stored: Component | None, member_codes: list[str]
) -> dict[str, Any]:
    """The inventory item of ``document``: what it carries, the stored values for the rest
    (a partial inventory keeps the kind too: it may not carry the sections saying it)."""
    external_id = str(document["deviceid"])
    fields = native.component_fields(document)
    partial = document.get("partial") is True
    item: dict[str, Any] = {
        "external_id": external_id,
        "name": fields.get("name") or (stored.name if stored else external_id[:300]),
        "kind": stored.kind if partial and stored else native.kind_of(document),
        "member_codes": member_codes,
    }
    for name in ("serial", "manufacturer", "model", "location"):
        item[name] = fields[name] if name in fields else getattr(stored, name, None)
    if stored is not None:  # what the agent never says stays as the DSIT set it
        item["service_code"] = stored.offering.code if stored.offering else None
        item["in_service_on"] = stored.in_service_on
        item["end_of_support_on"] = stored.end_of_support_on
        item["retired_on"] = stored.retired_on
    return item


def push(
    session: Session, document: dict[str, Any], *, principal: Principal, today: dt.date
) -> str:
    """Store the device of an inventory document; its status: created, updated or unchanged.
    An unchanged device is only marked seen (no audit entry: nothing changed)."""
    errors = native.schema_errors(document)
    if errors:
        raise AgentError(400, "JSON does not validate: " + "; ".join(errors))
    external_id = str(document["deviceid"])
    stored = components.get_by_external_ids(session, native.SOURCE, [external_id]).get(external_id)
    member_codes = member_of(
        document, members=mappings.load(session), principal=principal, stored=stored
    )
    raw = item_of(document, stored=stored, member_codes=member_codes)
    items = [service.RawItem(index=0, raw=raw)]

    def ingest(dry_run: bool) -> ItemResult:
        result = service.ingest(
            session,
            principal=principal,
            source=native.SOURCE,
            mode="upsert",
            items=items,
            options=BulkOptions(dry_run=dry_run),
            today=today,
        )
        return result.items[0]

    try:
        planned = ingest(dry_run=True)
        if planned.status == "rejected":
            reasons = "; ".join(f"{e.field}: {e.message}" for e in planned.errors)
            raise AgentError(422, f"device '{external_id}' refused: {reasons}")
        if planned.status == "unchanged":
            components.mark_seen(session, native.SOURCE, [external_id], at=utcnow())
            return "unchanged"
        return ingest(dry_run=False).status
    except AppError as exc:  # a token restricted to another member, mostly
        raise AgentError(exc.status, exc.detail) from exc


def _cut(message: str) -> str:
    return message if len(message) <= MESSAGE_SIZE else message[: MESSAGE_SIZE - 1] + "…"


ANSWER_SCHEMA = {
    "type": "object",
    "required": ["status"],
    "properties": {
        "status": {"type": "string", "enum": ["ok", "error"]},
        "message": {"type": "string"},
        "expiration": {"type": ["integer", "string"]},
        "tasks": {"type": "object"},
        "disabled": {"type": "array", "items": {"type": "string"}},
    },
}


def _answers(description: str) -> dict[str, Any]:
    """A response of the protocol: JSON, or compressed as the request was."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "description": description,
        "content": {
            "application/json": {"schema": ANSWER_SCHEMA},
            **dict.fromkeys(ENCODINGS, binary),
        },
        OWN_CONTENT: True,
    }


@router.post(
    "/glpi-agent",
    summary="The GLPI agent's server URL (JSON protocol: contact, inventory, netinventory)",
    response_class=Response,
    responses={
        200: _answers('`{"status": "ok", "expiration": 24, …}`, compressed as sent'),
        400: _answers("not well-formed JSON, a corrupt body, a body failing the inventory schema"),
        401: _answers("no credential, or a wrong one (the gateway's Basic challenge)"),
        403: _answers("a token without inventory:write, or restricted to another member"),
        413: _answers("the decompressed body is too large"),
        415: _answers("an unsupported Content-Type (brotli, XML)"),
        422: _answers("the device's member is unknown (tag not mapped)"),
        501: _answers("an action other than contact, inventory and netinventory"),
    },
    openapi_extra={
        "requestBody": {
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}}
                for media in ("application/json", *ENCODINGS)
            }
        }
    },
)
def glpi_agent(
    request: Request, content: RawBody, session: DbSession, principal: InventoryWriter
) -> Response:
    """One exchange of the GLPI agent; errors as ``{"status": "error", "message": …}``."""
    exchange = Exchange.of(request)
    settings = request.app.state.settings
    expiration = settings.glpi_agent_expiration_hours
    try:
        if exchange.content_type in UNSUPPORTED:
            raise AgentError(415, UNSUPPORTED[exchange.content_type])
        check_agent_id(exchange.agent_id)
        document = parse(
            decompress(content, exchange.wbits, limit=settings.glpi_agent_max_inventory_bytes)
        )
        action = document.get("action") or "inventory"
        if action == "contact":
            answer = contact(document, expiration=expiration, members=mappings.load(session))
            logger.info("GLPI agent %s: contact (%s)", exchange.agent_id, exchange.request_id)
            return exchange.answer(200, answer)
        if action not in INVENTORY_ACTIONS:
            raise AgentError(501, f"Query '{action}' is not supported.")
        status = push(session, document, principal=principal, today=dt.date.today())
        logger.info(
            "GLPI agent %s %s of %s: %s (request %s)",
            exchange.agent_id,
            action,
            document.get("deviceid"),
            status,
            exchange.request_id,
        )
        return exchange.answer(200, {"status": "ok", "expiration": expiration})
    except AgentError as exc:
        logger.warning(
            "GLPI agent %s refused (request %s): %s",
            exchange.agent_id,
            exchange.request_id,
            exc.message,
        )
        body = {"status": "error", "message": _cut(exc.message), "expiration": expiration}
        # compressed as the request was, unless its Content-Type is one this server cannot write
        return exchange.answer(exc.status, body, compress=exc.status != 415)
