"""Sending bordereaux to Hélios and what comes back: a bordereau whose PES was downloaded is
marked as sent (after a confirmation), an acknowledgement (``PES_ACQUIT``) is uploaded, a
rejected bordereau's titles go again on a new bordereau.

Re-sending keeps the numbering rules (docs/billing.md, "The way back from Hélios"): the titles
keep their numbers — Hélios took none of them, a rejected bordereau is not integrated — and
go on a *new* bordereau, the next number of the series of its exercice, budget and type; the
rejected bordereau keeps its number, its file and the list of what it carried, for good.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from kit import audit
from kit.db import DbSession, utcnow
from kit.errors import Conflict, NotFound
from kit.http import RawBody, resource_response
from services.billing import notifications
from services.billing.invoices import acquits, helios_repository, numbering, repository, service
from services.billing.invoices.deps import Issuer, IssuerConfig, SigningConfig, Today
from services.billing.invoices.documents import BordereauDep
from services.billing.invoices.exercice import budget_of
from services.billing.invoices.schemas import BordereauRead
from services.billing.invoices.signatories import validator_for
from services.billing.invoices.validation import SignatoryAccount, numbers_here, signing_key
from services.billing.invoices.views import bordereau_read
from services.billing.models import Acknowledgement, AuditEntry, Bordereau, Invoice

router = APIRouter(tags=["invoices"])
XML = "application/xml"


class Confirmation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    confirm: Literal[True] = Field(description="The person saw what the step does")


class AcquitRead(BaseModel):
    id: int
    file_name: str | None
    sha256: str
    received_at: Any
    received_by: str
    duplicate: bool = Field(
        False, description="This file had already been received: nothing was changed"
    )
    report: dict[str, Any] = Field(
        description="Per element: kind (bordereau | attachment), outcome (accepted | rejected "
        "| unchanged | unknown | ambiguous | conflict), message, message_fr, errors"
    )


def read_bordereau(session: DbSession, bordereau: Bordereau) -> dict[str, Any]:
    ids = [i.id for i in helios_repository.bordereau_invoices(session, bordereau.id)]
    return bordereau_read(bordereau, ids)


def acquit_read(ack: Acknowledgement, duplicate: bool = False) -> dict[str, Any]:
    return {
        "id": ack.id,
        "file_name": ack.file_name,
        "sha256": ack.sha256,
        "received_at": ack.received_at,
        "received_by": ack.received_by,
        "duplicate": duplicate,
        "report": ack.report,
    }


@router.post("/bordereaux/{bordereau_id}/sent", response_model=BordereauRead)
def mark_sent(
    session: DbSession, principal: Issuer, bordereau: BordereauDep, body: Confirmation
) -> dict[str, Any]:
    """Mark the bordereau as sent to Hélios (its PES was downloaded and deposited): its titles
    become ``sent`` — 409 ``bordereau-already-sent`` when it was."""
    principal.ensure_writes_only_its_member([None])  # the DSIT's own accounting, every member's
    if bordereau.sent_at is not None or bordereau.ack_status is not None:
        raise Conflict(
            f"Bordereau {bordereau.number} was already sent on {bordereau.sent_at:%Y-%m-%d}.",
            detail_fr=f"Le bordereau {bordereau.number} est déjà marqué comme transmis "
            f"(le {bordereau.sent_at:%d/%m/%Y}).",
            slug="bordereau-already-sent",
        )
    numbering.lock_feed(session)
    bordereau.sent_at, bordereau.sent_by = utcnow(), principal.audit_name[:200]
    audit.record(
        session,
        AuditEntry,
        principal=principal,
        action="send",
        resource_type="bordereau",
        resource_id=str(bordereau.id),
        after={"file_name": bordereau.file_name, "sha256": bordereau.pes_sha256},
    )
    session.flush()
    return read_bordereau(session, bordereau)


@router.post("/bordereaux/{bordereau_id}/resend", response_model=BordereauRead, status_code=201)
def resend(
    request: Request,
    session: DbSession,
    principal: SignatoryAccount,
    bordereau: BordereauDep,
    body: Confirmation,
    settings: IssuerConfig,
    signing: SigningConfig,
    today: Today,
) -> Response:
    """Put a rejected bordereau's titles on a new bordereau (the next number of its series;
    the titles keep theirs), signed by the signatory who re-sends it (a new file is a new
    signature: only a signatory of the register may, with a delegation valid today and its
    own certificate) — the new one, to send; 409 ``bordereau-not-rejected`` unless the
    acknowledgement rejected it and it was not re-sent yet."""
    principal.ensure_writes_only_its_member([None])  # the DSIT's own accounting, every member's
    if bordereau.ack_status != "rejected" or bordereau.resent_as_id is not None:
        why = "was already re-sent" if bordereau.resent_as_id else "is not rejected"
        pourquoi = "a déjà été renvoyé" if bordereau.resent_as_id else "n'est pas rejeté"
        raise Conflict(
            f"Bordereau {bordereau.number} {why}: nothing to re-send.",
            detail_fr=f"Le bordereau {bordereau.number} {pourquoi} : rien à renvoyer.",
            slug="bordereau-not-rejected",
        )
    numbering.lock_feed(session)
    titles = [i for i in helios_repository.bordereau_invoices(session, bordereau.id)
              if i.status == "issued"]  # fmt: skip
    if not titles:
        raise Conflict(
            f"Bordereau {bordereau.number} carries no title to re-send (all cancelled).",
            detail_fr=f"Le bordereau {bordereau.number} ne porte plus aucun titre à renvoyer "
            "(tous annulés).",
            slug="bordereau-nothing-to-resend",
        )
    originals: dict[int, Invoice] = {}
    for title in titles:
        if title.original_id is not None:
            original = repository.get(session, title.original_id)
            assert original is not None
            originals[original.id] = original
    validator = validator_for(session, principal, today)
    now = utcnow()
    key = signing_key(request, signing, validator, now) if numbers_here(settings) else None
    ctx = service.IssueContext(principal, settings, today, now, validator, key)
    budget = budget_of(session, bordereau.exercice, settings)
    made = service.make_bordereau(session, budget, bordereau.type, titles, originals, ctx)
    bordereau.carried_invoice_ids = [t.id for t in titles]
    bordereau.resent_as_id, made.resent_from_id = made.id, bordereau.id
    audit.record(
        session,
        AuditEntry,
        principal=principal,
        action="resend",
        resource_type="bordereau",
        resource_id=str(bordereau.id),
        after={"new_bordereau": made.number, "titles": [t.id for t in titles]},
    )
    session.flush()
    return JSONResponse(
        jsonable_encoder(read_bordereau(session, made)),
        status_code=201,
        headers={"Location": f"/bordereaux/{made.id}"},
    )


@router.post(
    "/acquits",
    response_model=AcquitRead,
    status_code=201,
    openapi_extra={"requestBody": {"content": {XML: {"schema": {"type": "string"}}}}},
)
def post_acquit(
    request: Request,
    content: RawBody,
    session: DbSession,
    principal: Issuer,
    settings: IssuerConfig,
) -> Response:
    """Upload a ``PES_ACQUIT`` V2 (the XML as the body): each bordereau it names becomes
    ``accepted`` or ``rejected`` with its errors; what it names that Mutualis does not know is
    in ``report.unknown``. 201 when applied, 200 ``duplicate`` when this file was already
    received (nothing changes); 422 ``acquit-invalid`` when it is not a valid PES_ACQUIT V2."""
    principal.ensure_writes_only_its_member([None])  # the DSIT's own accounting, every member's
    ack, duplicate = acquits.receive(session, xml=content, principal=principal, settings=settings)
    if not duplicate:  # the members whose titles it rejected are told, once committed
        notifications.rejections_once_committed(session, request.app, ack.id)
    payload = AcquitRead.model_validate(acquit_read(ack, duplicate))
    return JSONResponse(jsonable_encoder(payload), status_code=200 if duplicate else 201)


@router.get("/acquits", response_model=list[AcquitRead])
def list_acquits(session: DbSession, principal: Issuer) -> list[dict[str, Any]]:
    """The acknowledgements received, newest first (the last 50)."""
    return [acquit_read(a) for a in helios_repository.acknowledgements(session)]


@router.get("/acquits/{acquit_id}", response_model=AcquitRead)
def read_acquit(
    request: Request,
    session: DbSession,
    principal: Issuer,
    acquit_id: Annotated[int, Path(ge=1, le=2**62)],
) -> Response:
    ack = helios_repository.acknowledgement(session, acquit_id)
    if ack is None:
        raise NotFound(
            f"No acknowledgement {acquit_id}.",
            detail_fr=f"Aucun accusé de réception n° {acquit_id}.",
            slug="acquit-not-found",
        )
    return resource_response(request, acquit_read(ack))
