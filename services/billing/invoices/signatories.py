"""The register of signatories: who validates titles for the ordonnateur, under which delegation
and when (CGCT L2122-18 / L5211-9 for the delegations of an EPCI's president).

Issuing is two steps. A finance user *prepares* the titles (``POST /runs/{id}/issue``, a
correction, a regularisation): every rule is checked and the titles wait as ``prepared``. A
signatory then *validates* them (``POST /validations``) through its own staff account (role
``signatory``) while its entry of the register is valid on that day; only then are they
numbered, put on a bordereau and their documents made — which print the validator, as the
register named them on the day. Nobody validates what they prepared themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy.orm import Session

from kit import audit
from kit.db import DbSession
from kit.errors import Forbidden, NotFound
from kit.http import resource_response
from kit.i18n import Refusal
from kit.identity import Principal, require
from services.billing.invoices import repository
from services.billing.invoices.deps import InvoiceReader, Today
from services.billing.models import AuditEntry, Signatory

router = APIRouter(tags=["invoices"])

RegisterWriter = Annotated[Principal, Depends(require("signatories:write"))]


class SignatoryWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    first_name: str = Field(min_length=1, max_length=100, examples=["Claire"])
    last_name: str = Field(min_length=1, max_length=100, examples=["Martin"])
    qualite: str = Field(
        min_length=2, max_length=200, examples=["Vice-présidente déléguée aux finances"]
    )
    delegation_reference: str = Field(
        min_length=2,
        max_length=300,
        description="The decree (arrêté) of delegation, as it is printed on the titles",
        examples=["arrêté n° 2026-014 du 5 janvier 2026"],
    )
    valid_from: dt.date
    valid_to: dt.date | None = Field(None, description="Last day of the delegation, if known")
    account_id: int = Field(
        ge=1, le=2**31, description="The staff account (role signatory) it validates with"
    )

    @model_validator(mode="after")
    def _period(self) -> SignatoryWrite:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise Refusal(
                "valid_to is before valid_from",
                "La fin de la délégation précède son début.",
            )
        return self


class SignatoryRead(SignatoryWrite):
    id: int
    name: str = Field(description="First and last name, as printed")


def signatory_read(row: Signatory) -> dict[str, Any]:
    return {
        "id": row.id,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "name": full_name(row),
        "qualite": row.qualite,
        "delegation_reference": row.delegation_reference,
        "valid_from": row.valid_from,
        "valid_to": row.valid_to,
        "account_id": row.account_id,
    }


def full_name(row: Signatory) -> str:
    return f"{row.first_name} {row.last_name}"


def valid_on(row: Signatory, day: dt.date) -> bool:
    return row.valid_from <= day and (row.valid_to is None or day <= row.valid_to)


@dataclass(frozen=True)
class Validator:
    """The signatory validating today, as the register names them."""

    id: int
    name: str
    function: str
    delegation: str
    first_name: str = ""
    last_name: str = ""


def account_of(principal: Principal) -> int | None:
    kind, _, number = principal.subject.partition(":")
    return int(number) if kind == "account" and number.isdigit() else None


def validator_for(session: Session, principal: Principal, day: dt.date) -> Validator:
    """The register's entry valid on ``day`` for the principal's account; 403 otherwise."""
    account = account_of(principal)
    rows = [] if account is None else repository.signatories(session, account_id=account)
    valid = [r for r in rows if valid_on(r, day)]
    if not valid:
        why = (
            "its delegation is not valid on that day"
            if rows
            else "the account is not in the register of signatories"
        )
        why_fr = (
            "sa délégation n'est pas valable ce jour-là"
            if rows
            else "son compte n'est pas au registre des signataires"
        )
        raise Forbidden(
            f"{principal.name} cannot validate titles on {day.isoformat()}: {why}.",
            detail_fr=f"{principal.name} ne peut pas valider de titres le "
            f"{day.strftime('%d/%m/%Y')} : {why_fr}.",
            slug="not-a-signatory",
        )
    row = max(valid, key=lambda r: r.valid_from)
    return Validator(
        row.id, full_name(row), row.qualite, row.delegation_reference, row.first_name,
        row.last_name,
    )  # fmt: skip


@router.get("/signatories", response_model=list[SignatoryRead])
def list_signatories(
    request: Request,
    session: DbSession,
    _: InvoiceReader,
    today: Today,
    valid_on_day: Annotated[
        dt.date | None, Query(alias="valid_on", description="Only those valid on that day")
    ] = None,
) -> Response:
    """The register, by last name; ``valid_on`` keeps the delegations valid on a day."""
    rows = repository.signatories(session)
    if valid_on_day is not None:
        rows = [r for r in rows if valid_on(r, valid_on_day)]
    return resource_response(request, [signatory_read(r) for r in rows])


def _get(session: Session, signatory_id: int) -> Signatory:
    row = session.get(Signatory, signatory_id)
    if row is None:
        raise NotFound(
            f"No signatory {signatory_id}.",
            detail_fr=f"Le signataire n° {signatory_id} n'existe pas.",
            slug="signatory-not-found",
        )
    return row


SignatoryId = Annotated[int, Path(ge=1, le=2**31)]


@router.get("/signatories/{signatory_id}", response_model=SignatoryRead)
def read_signatory(
    request: Request, session: DbSession, _: InvoiceReader, signatory_id: SignatoryId
) -> Response:
    return resource_response(request, signatory_read(_get(session, signatory_id)))


@router.post("/signatories", response_model=SignatoryRead, status_code=201)
def create_signatory(
    request: Request, session: DbSession, principal: RegisterWriter, body: SignatoryWrite
) -> Response:
    """Record a delegation of signature. An entry is never deleted (the titles it validated
    name it): end it with ``valid_to``."""
    row = Signatory(**body.model_dump())
    session.add(row)
    session.flush()
    after = signatory_read(row)
    audit.record(session, AuditEntry, principal=principal, action="create",
                 resource_type="signatory", resource_id=str(row.id), after=after)  # fmt: skip
    out = resource_response(request, after, status_code=201)
    out.headers["Location"] = f"/signatories/{row.id}"
    return out


@router.put("/signatories/{signatory_id}", response_model=SignatoryRead)
def replace_signatory(
    request: Request,
    session: DbSession,
    principal: RegisterWriter,
    signatory_id: SignatoryId,
    body: SignatoryWrite,
) -> Response:
    """Correct or end a delegation. What titles already printed stays as it was printed (they
    keep the name, qualité and delegation of their day)."""
    row = _get(session, signatory_id)
    before = signatory_read(row)
    for name, value in body.model_dump().items():
        setattr(row, name, value)
    session.flush()
    after = signatory_read(row)
    audit.record(session, AuditEntry, principal=principal, action="update",
                 resource_type="signatory", resource_id=str(row.id),
                 before=before, after=after)  # fmt: skip
    return resource_response(request, after)
