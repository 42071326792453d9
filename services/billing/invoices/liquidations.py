"""Numbering by the financial software: the liquidations handed over, the numbers coming back.

With ``MUTUALIS_BILLING_ISSUER_NUMBERING=financial_software`` Mutualis does not number titles:
issuing liquidates them (status ``liquidated``) in a batch — debtor, imputation, bases and
amount frozen, on the open exercice and its budget. The batch is exported (JSON, or CSV with
one row per accounting line) for the Métropole's financial software, which takes the titles in
its own series, makes the bordereaux and the PES for Hélios. The numbers it gave come back
(JSON or a CSV upload, ``invoice_id;number``): each title is then issued with that number, its
reference ``<exercice>-<budget>-<number>``. An import is all or nothing; a number already held
by a title of the same exercice and budget, or a title not in the batch, refuses it.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from kit import audit
from kit.db import DbSession, utcnow
from kit.errors import Conflict, NotFound, ValidationFailed
from kit.http import RawBody
from kit.openapi import file_responses
from kit.spreadsheet import safe_row
from services.billing.engine.money import fmt
from services.billing.invoices import numbering, repository, service
from services.billing.invoices.deps import Issuer, IssuerConfig, Today
from services.billing.invoices.exercice import Budget
from services.billing.invoices.exports import LINE_COLUMNS, line_rows
from services.billing.invoices.schemas import InvoiceRead
from services.billing.invoices.views import invoice_read
from services.billing.models import AuditEntry, Invoice

router = APIRouter(tags=["invoices"])
CSV_COLUMNS = LINE_COLUMNS  # the titles export's accounting lines


class NumberGiven(BaseModel):
    model_config = ConfigDict(extra="forbid")

    invoice_id: int = Field(ge=1, le=2**62)
    number: int = Field(
        ge=1, le=99_999_999, description="The title number in the financial software"
    )


class NumbersImport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    numbers: list[NumberGiven] = Field(min_length=1, max_length=10_000)


def batch_titles(session: Session, batch: str) -> list[Invoice]:
    found = repository.batch_invoices(session, batch)
    if not found:
        raise NotFound(
            f"No liquidation batch '{batch}'",
            detail_fr=f"Le lot de liquidation « {batch} » n'existe pas.",
            slug="liquidation-batch-not-found",
        )
    return found


def _item(invoice: Invoice) -> dict[str, Any]:
    debtor = invoice.content["debtor"]
    return {
        "invoice_id": invoice.id,
        "status": invoice.status,
        "exercice": invoice.exercice,
        "budget_code": invoice.budget_code,
        "fiscal_year": invoice.fiscal_year,
        "section": invoice.section,
        "member_code": invoice.member_code,
        "debtor": debtor,
        "object": invoice.object,
        "total": fmt(invoice.total_cents),
        "imputation": invoice.content["imputation"],
        "calculation_basis": invoice.content.get("calculation_basis"),
        "legal_basis": invoice.content.get("legal_basis"),
        "number": invoice.number,
        "reference": invoice.reference,
    }


@router.get(
    "/liquidations/{batch}.csv",
    response_class=Response,
    responses=file_responses("text/csv", "The batch, one row per accounting line"),
)
def export_batch_csv(session: DbSession, _principal: Issuer, batch: str) -> Response:
    titles = batch_titles(session, batch)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for t in titles:
        writer.writerows(safe_row(row) for row in line_rows(t))
    return Response(
        ("\ufeff" + out.getvalue()).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="liquidations-{batch}.csv"'},
    )


@router.get("/liquidations", response_model=list[dict[str, Any]])
def list_batches(
    session: DbSession,
    _principal: Issuer,
    exercice: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[dict[str, Any]]:
    """The liquidation batches, newest first: how many titles each holds, how many still
    await their number, and their total."""
    out = []
    for batch, titles in repository.liquidation_batches(session, exercice):
        out.append(
            {
                "batch": batch,
                "exercice": titles[0].exercice,
                "budget_code": titles[0].budget_code,
                "titles": len(titles),
                "awaiting_number": sum(1 for t in titles if t.status == "liquidated"),
                "total": fmt(sum(t.total_cents for t in titles)),
            }
        )
    return out


@router.get("/liquidations/{batch}", response_model=dict[str, Any])
def read_batch(session: DbSession, _principal: Issuer, batch: str) -> dict[str, Any]:
    """A batch of liquidations, as the financial software takes them."""
    titles = batch_titles(session, batch)
    return {
        "batch": batch,
        "exercice": titles[0].exercice,
        "budget_code": titles[0].budget_code,
        "total": fmt(sum(t.total_cents for t in titles)),
        "items": [_item(t) for t in titles],
    }


def import_numbers(
    session: Session,
    *,
    batch: str,
    given: list[NumberGiven],
    ctx: service.IssueContext,
) -> list[Invoice]:
    titles = {t.id: t for t in batch_titles(session, batch)}
    unknown = sorted({g.invoice_id for g in given} - titles.keys())
    if unknown:
        raise ValidationFailed(
            f"Not titles of batch {batch}: {', '.join(map(str, unknown))}; nothing was stored.",
            detail_fr=f"Ne sont pas des titres du lot « {batch} » : "
            f"{', '.join(map(str, unknown))} ; rien n'a été enregistré.",
            errors=[
                {
                    "field": "numbers",
                    "message": f"unknown invoice_id {unknown}",
                    "type": "unknown",
                    "message_fr": "Identifiants inconnus dans ce lot : "
                    f"{', '.join(map(str, unknown))}.",
                }
            ],
        )
    ids = [g.invoice_id for g in given]
    numbers = [g.number for g in given]
    if len(set(ids)) != len(ids) or len(set(numbers)) != len(numbers):
        raise ValidationFailed(
            "A title or a number appears twice in the import; nothing was stored.",
            detail_fr="Un titre ou un numéro apparaît deux fois dans l'import ; rien n'a été "
            "enregistré.",
            errors=[
                {
                    "field": "numbers",
                    "message": "duplicate",
                    "type": "duplicate",
                    "message_fr": "Doublon.",
                }
            ],
        )
    already = [i for i in ids if titles[i].status != "liquidated"]
    if already:
        raise Conflict(
            f"Titles already numbered: {', '.join(map(str, already))}; nothing was stored.",
            detail_fr=f"Titres déjà numérotés : {', '.join(map(str, already))} ; rien n'a été "
            "enregistré.",
            slug="invoice-already-issued",
        )
    service.numbering.lock_feed(session)
    first = titles[ids[0]]
    budget = Budget(int(first.exercice or 0), str(first.budget_code), "")
    series = numbering.title_series(budget)
    taken = repository.numbers_taken(session, series, numbers)
    if taken:
        raise Conflict(
            f"Numbers already held by titles of exercice {budget.exercice}, budget "
            f"{budget.code}: {', '.join(map(str, sorted(taken)))}; nothing was stored.",
            detail_fr=f"Numéros déjà portés par des titres de l'exercice {budget.exercice}, "
            f"budget {budget.code} : {', '.join(map(str, sorted(taken)))} ; rien n'a été "
            "enregistré.",
            slug="invoice-number-taken",
        )
    issued = []
    for g in given:
        invoice = titles[g.invoice_id]
        invoice.number, invoice.series = g.number, series
        invoice.reference = numbering.reference(budget, g.number)
        invoice.status = "issued"
        invoice.issued_on, invoice.issued_at = ctx.today, ctx.now
        invoice.issued_by = ctx.principal.audit_name[:200]
        service.record_event(session, invoice, "issued", ctx.now)
        audit.record(
            session, AuditEntry, principal=ctx.principal, action="issue",
            resource_type="invoice", resource_id=str(invoice.id),
            after={"reference": invoice.reference, "batch": batch,
                   "number_from": "financial_software"},
        )  # fmt: skip
        issued.append(invoice)
    return issued


@router.post("/liquidations/{batch}/numbers", response_model=list[InvoiceRead])
def post_numbers(
    session: DbSession,
    principal: Issuer,
    settings: IssuerConfig,
    today: Today,
    batch: str,
    body: NumbersImport,
) -> list[dict[str, Any]]:
    """The numbers the financial software gave: each title is issued with its number."""
    ctx = _ctx(principal, settings, today)
    made = import_numbers(session, batch=batch, given=body.numbers, ctx=ctx)
    return [invoice_read(session, i) for i in made]


@router.post(
    "/liquidations/{batch}/numbers.csv",
    response_model=list[InvoiceRead],
    openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def post_numbers_csv(
    content: RawBody,
    session: DbSession,
    principal: Issuer,
    settings: IssuerConfig,
    today: Today,
    batch: str,
) -> list[dict[str, Any]]:
    """The same from a CSV upload: a header ``identifiant;numero`` (or ``invoice_id;number``)
    then one title per row — ``identifiant`` as in the batch's export."""
    text = content.decode("utf-8-sig", errors="replace")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    try:
        given = [
            NumberGiven(
                invoice_id=int(r.get("identifiant") or r["invoice_id"]),
                number=int(r.get("numero") or r["number"]),
            )
            for r in rows
        ]
        parsed = NumbersImport(numbers=given)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationFailed(
            "Expected a CSV with a header 'identifiant;numero' and one title per row; "
            "nothing was stored.",
            detail_fr="Un fichier CSV est attendu, avec l'en-tête « identifiant;numero » et un "
            "titre par ligne ; rien n'a été enregistré.",
            errors=[
                {
                    "field": "body",
                    "message": "identifiant;numero expected",
                    "type": "csv",
                    "message_fr": "En-tête « identifiant;numero » attendu.",
                }
            ],
        ) from exc
    made = import_numbers(
        session, batch=batch, given=parsed.numbers, ctx=_ctx(principal, settings, today)
    )
    return [invoice_read(session, i) for i in made]


def _ctx(principal: Any, settings: Any, day: Any) -> service.IssueContext:
    """Issuing at import: the signatory is the one who validated the batch (kept on each
    title when it was liquidated)."""
    return service.IssueContext(principal, settings, day, utcnow())
