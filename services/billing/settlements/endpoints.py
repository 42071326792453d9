"""HTTP endpoints of the settlements on the attribution de compensation (CGCT L5211-4-2): the
choices per member and year (DSIT finance writes them), the AC statement with its CLECT document
(HTML, PDF), the year-end balancing, the reimbursements as mandate proposals."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.responses import HTMLResponse

from kit.db import DbSession, utcnow
from kit.errors import NotFound, ValidationFailed
from kit.openapi import file_responses
from kit.params import FiscalYearPath
from kit.spreadsheet import safe_row
from services.billing.deps import ReadPrincipal
from services.billing.invoices import service as invoices_service
from services.billing.invoices.deps import Issuer, IssuerConfig, Registry, Today
from services.billing.invoices.mandate_proposals import COLUMNS
from services.billing.invoices.views import invoice_read
from services.billing.models import CompensationSettlement
from services.billing.settlements import balancing, document, repository, service
from services.billing.settlements.schemas import (
    BalanceRequest,
    SettlementCreate,
    SettlementRead,
    SettlementUpdate,
    Statement,
)

router = APIRouter(tags=["settlements"])


def get_settlement_or_404(
    session: DbSession,
    principal: ReadPrincipal,
    settlement_id: Annotated[int, Path(ge=1, le=2**31)],
) -> CompensationSettlement:
    found = repository.get(session, settlement_id)
    if found is None or not principal.can_access_member(found.member_code):
        raise NotFound(
            f"No settlement {settlement_id}.",
            detail_fr=f"Aucune imputation sur l'attribution de compensation n° {settlement_id}.",
            slug="settlement-not-found",
        )
    return found


SettlementDep = Annotated[CompensationSettlement, Depends(get_settlement_or_404)]


def payer(settings: IssuerConfig) -> str:
    """The host EPCI, the only body paying attributions de compensation (the issuer)."""
    return settings.name


@router.get("/settlements", response_model=list[SettlementRead])
def list_settlements(
    session: DbSession,
    principal: ReadPrincipal,
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    member_code: Annotated[str | None, Query(max_length=80)] = None,
) -> list[dict[str, Any]]:
    """The choices, newest year first then by member (at most one per member and year)."""
    if principal.member is not None:
        member_code = principal.member
    found = repository.listed(session, fiscal_year=fiscal_year, member_code=member_code)
    return [service.read(s) for s in found]


@router.post("/settlements", response_model=SettlementRead, status_code=201)
def create_settlement(
    session: DbSession,
    principal: Issuer,
    body: SettlementCreate,
    registry: Registry,
    response: Response,
) -> dict[str, Any]:
    """Record a commune's choice for a year, with its deliberation: 422
    ``settlement-not-a-commune`` for any other body, 409 ``settlement-exists`` for a second
    choice of the same year, 409 ``settlement-already-titled`` once its title is validated."""
    facts = registry.facts(body.fiscal_year, {body.member_code})
    member = service.ensure_commune(facts.members.get(body.member_code), body.member_code)
    made = service.create(session, data=body, member=member, principal=principal)
    response.headers["Location"] = f"/settlements/{made.id}"
    return service.read(made)


@router.get("/settlements/{settlement_id}", response_model=SettlementRead)
def read_settlement(settlement: SettlementDep) -> dict[str, Any]:
    return service.read(settlement)


@router.put("/settlements/{settlement_id}", response_model=SettlementRead)
def update_settlement(
    session: DbSession, principal: Issuer, settlement: SettlementDep, body: SettlementUpdate
) -> dict[str, Any]:
    """Change the deliberation or the deduction's basis (409 once the year is balanced)."""
    return service.read(
        service.update(session, settlement=settlement, data=body, principal=principal)
    )


@router.delete("/settlements/{settlement_id}", status_code=204)
def delete_settlement(session: DbSession, principal: Issuer, settlement: SettlementDep) -> Response:
    """Withdraw the choice before the balancing: the year's title is issued as usual."""
    service.delete(session, settlement=settlement, principal=principal)
    return Response(status_code=204)


@router.get(
    "/settlements/{settlement_id}/attachment",
    response_class=Response,
    responses=file_responses("application/octet-stream", "The deliberation's file"),
)
def attachment(settlement: SettlementDep) -> Response:
    if settlement.attachment is None:
        raise NotFound(
            "No file attached.",
            detail_fr="Aucun fichier n'est joint à cette délibération.",
            slug="settlement-no-attachment",
        )
    name = (settlement.attachment_name or "deliberation").replace('"', "")
    return Response(
        settlement.attachment,
        media_type=settlement.attachment_media_type or "application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/settlements/{settlement_id}/statement", response_model=Statement)
def statement(
    session: DbSession, settlement: SettlementDep, settings: IssuerConfig
) -> dict[str, Any]:
    """What is deducted from the AC, what the final run says, and the year-end balance."""
    return service.statement(session, settlement, payer(settings))


@router.get("/settlements/{settlement_id}/statement.html", response_class=HTMLResponse)
def statement_html(
    session: DbSession, settlement: SettlementDep, settings: IssuerConfig
) -> HTMLResponse:
    return HTMLResponse(
        document.render_html(service.statement(session, settlement, payer(settings)))
    )


@router.get(
    "/settlements/{settlement_id}/statement.pdf",
    response_class=Response,
    responses=file_responses("application/pdf", "The CLECT document, PDF in French"),
)
def statement_pdf(
    session: DbSession, settlement: SettlementDep, settings: IssuerConfig
) -> Response:
    data = document.render_pdf(service.statement(session, settlement, payer(settings)))
    name = f"imputation-ac-{settlement.fiscal_year}-{settlement.member_code}.pdf"
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/settlements/{settlement_id}/balance", response_model=dict[str, Any])
def balance(
    session: DbSession,
    principal: Issuer,
    settlement: SettlementDep,
    body: BalanceRequest,
    registry: Registry,
    settings: IssuerConfig,
    today: Today,
) -> dict[str, Any]:
    """The year-end balancing, once, after confirmation: a balancing title prepared for a
    signatory (the final run says more than deducted) or a reimbursement recorded (less)."""
    if not body.confirm:
        raise ValidationFailed(
            "Confirm the balancing (confirm: true): it cannot be undone.",
            detail_fr="Confirmez le solde de l'exercice : il ne se défait pas.",
            slug="confirmation-required",
            errors=[{"field": "confirm", "message": "must be true", "type": "confirm",
                     "message_fr": "Confirmation requise."}],
        )  # fmt: skip
    facts = registry.facts(settlement.fiscal_year, {settlement.member_code})
    ctx = invoices_service.IssueContext(principal, settings, today, utcnow())
    invoices_service.numbering.lock_feed(session)
    made = balancing.balance(session, settlement=settlement, facts=facts, ctx=ctx)
    return {
        "settlement": SettlementRead.model_validate(service.read(settlement)).model_dump(
            mode="json"
        ),
        "invoice": invoice_read(session, made) if made else None,
    }


@router.get(
    "/settlements-reimbursements/{year}.csv",
    response_class=Response,
    responses=file_responses("text/csv", "The AC reimbursements of a year, as mandate proposals"),
)
def reimbursements(
    session: DbSession, _principal: Issuer, year: FiscalYearPath, registry: Registry
) -> Response:
    """The reimbursements of the settlements of ``year``, in the columns of the mandate
    proposals, for the expense software."""
    found = [
        s
        for s in repository.listed(session, fiscal_year=year, member_code=None)
        if s.balance_kind == "reimbursement"
    ]
    facts = registry.facts(year, {s.member_code for s in found}) if found else None
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for s in found:
        payee = facts.members.get(s.member_code, {}) if facts else {}
        writer.writerow(safe_row(balancing.reimbursement_row(s, payee)))
    return Response(
        ("\ufeff" + out.getvalue()).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="remboursements-ac-{year}.csv"'},
    )
