"""HTTP endpoints of titles: preparing their issue (bulk from a run, or one) for a signatory's
validation (``validation``), reading, immutability, corrections, regularisation."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from kit.db import DbSession, utcnow
from kit.errors import Conflict
from kit.http import resource_response
from kit.pagination import PageParams, build_page, page_params
from services.billing import notifications
from services.billing.deps import cursor_key
from services.billing.engine.money import fmt, to_cents
from services.billing.forecasts import overrun
from services.billing.invoices import corrections, regularisation, repository, rules, service
from services.billing.invoices.content import lines_total
from services.billing.invoices.deps import (
    InvoiceDep,
    InvoiceReader,
    Issuer,
    IssuerConfig,
    Registry,
    Today,
)
from services.billing.invoices.exercice import open_exercice
from services.billing.invoices.schemas import (
    CorrectionCreate,
    InvoicePage,
    InvoiceRead,
    IssueOne,
    IssueRequest,
    IssueResult,
    RegularisationRequest,
    Section,
    State,
    Status,
)
from services.billing.invoices.views import bordereau_read, invoice_read
from services.billing.runs.endpoints import RunDep

router = APIRouter(tags=["invoices"])


def result_of(session: DbSession, run_id: int | None, outcome: service.Outcome) -> IssueResult:
    return IssueResult.model_validate(
        {
            "run_id": run_id,
            "prepared": [invoice_read(session, i) for i in outcome.prepared],
            "issued": [invoice_read(session, i) for i in outcome.issued],
            "liquidated": [invoice_read(session, i) for i in outcome.liquidated],
            "liquidation_batch": outcome.liquidation_batch,
            "warnings": outcome.warnings,
            "waiting": outcome.waiting,
            "skipped": outcome.skipped,
            "bordereaux": [
                bordereau_read(b, [i.id for i in outcome.issued if i.bordereau_id == b.id])
                for b in outcome.bordereaux
            ],
        }
    )


def renewal_years(request: Request) -> list[int]:
    return list(request.app.state.settings.council_renewal_years)


@router.post("/runs/{run_id}/issue", response_model=IssueResult)
def issue_run(
    request: Request,
    session: DbSession,
    principal: Issuer,
    run: RunDep,
    body: IssueRequest,
    registry: Registry,
    settings: IssuerConfig,
    today: Today,
) -> IssueResult:
    """Prepare the issue of the titles of a final run, for a signatory to validate
    (``POST /validations``): what the BP rule allows (or everything with ``force``) becomes
    ``prepared``; the rest waits as ``ready`` and the answer says why. Titles are taken on the
    open exercice (409 ``claims-prescribed`` or ``exercice-not-open`` otherwise) and, without
    a forecast of the year made available by the BP deadline, only with ``forecast_reason``
    (409 ``forecast-not-in-time``). Validation numbers them and makes one bordereau."""
    service.ensure_issuable_run(run)
    exercice = open_exercice(run.fiscal_year, today, settings)
    forecast_reason = rules.ensure_forecast_rule(
        session,
        run.fiscal_year,
        renewal_years(request),
        body.forecast_reason,
        notifications.forecast_notified(request.app),
    )
    rows = service.run_rows(session, run, body.members)
    facts = registry.facts(run.fiscal_year, {r.member_code for r in rows}, budget_year=exercice)
    ctx = service.IssueContext(principal, settings, today, utcnow())
    outcome = service.Outcome()
    service.numbering.lock_feed(session)
    ready = service.prepare_titles(
        session,
        run=run,
        rows=rows,
        sections=list(body.sections or ["operating", "investment"]),
        facts=facts,
        settings=settings,
        outcome=outcome,
    )
    reason = body.force_reason if body.force else None
    service.prepare_ready(
        session,
        invoices=ready,
        facts=facts,
        force_reason=reason,
        forecast_reason=forecast_reason,
        ctx=ctx,
        outcome=outcome,
    )
    percent = request.app.state.settings.forecast_overrun_percent
    outcome.warnings = overrun.forecast_overruns(session, run, rows, percent)
    return result_of(session, run.id, outcome)


@router.post("/invoices/{invoice_id}/issue", response_model=IssueResult)
def issue_one(
    request: Request,
    session: DbSession,
    principal: Issuer,
    invoice: InvoiceDep,
    body: IssueOne,
    registry: Registry,
    settings: IssuerConfig,
    today: Today,
) -> IssueResult:
    """Prepare one waiting (``ready``) title for validation, forced with a reason if its
    member's BP is not voted."""
    if invoice.status != "ready":
        what = "awaits a signatory" if invoice.status == "prepared" else "is already issued"
        what_fr = (
            "attend la validation du signataire"
            if invoice.status == "prepared"
            else "est déjà émis"
        )
        raise Conflict(
            f"The title {invoice.reference or invoice.id} {what}.",
            detail_fr=f"Le titre n° {invoice.reference or invoice.id} {what_fr}.",
            slug="invoice-already-issued",
        )
    exercice = open_exercice(invoice.fiscal_year, today, settings)
    forecast_reason = rules.ensure_forecast_rule(
        session,
        invoice.fiscal_year,
        renewal_years(request),
        body.forecast_reason,
        notifications.forecast_notified(request.app),
    )
    facts = registry.facts(invoice.fiscal_year, {invoice.member_code}, budget_year=exercice)
    ctx = service.IssueContext(principal, settings, today, utcnow())
    outcome = service.Outcome()
    service.numbering.lock_feed(session)
    reason = body.force_reason if body.force else None
    service.prepare_ready(
        session,
        invoices=[invoice],
        facts=facts,
        force_reason=reason,
        forecast_reason=forecast_reason,
        ctx=ctx,
        outcome=outcome,
    )
    return result_of(session, invoice.run_id, outcome)


@router.get("/invoices", response_model=InvoicePage)
def list_invoices(
    request: Request,
    response: Response,
    session: DbSession,
    principal: InvoiceReader,
    page: Annotated[PageParams, Depends(page_params)],
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    member_code: Annotated[str | None, Query(max_length=80)] = None,
    section: Section | None = None,
    status: Status | None = None,
    state: Annotated[
        State | None, Query(description="Where it is on the way to Hélios and back")
    ] = None,
    issued_since: Annotated[dt.datetime | None, Query(description="ISO 8601")] = None,
    reference: Annotated[
        str | None, Query(max_length=40, description="Part of the reference: 2026-01-0000")
    ] = None,
    order: Annotated[
        Literal["asc", "desc"], Query(description="By id: oldest (default) or newest first")
    ] = "asc",
) -> Response:
    """Titles and corrections by id; a member-scoped principal sees only its member's.
    ``total`` counts every page of the filters."""
    after = cursor_key(page.after, int)
    if principal.member is not None:
        if member_code not in (None, principal.member):
            return resource_response(request, {"items": [], "next_cursor": None, "total": 0})
        member_code = principal.member
    filters: dict[str, Any] = {
        "fiscal_year": fiscal_year, "member_code": member_code, "section": section,
        "status": status, "issued_since": issued_since, "reference": reference,
        "state": state,
    }  # fmt: skip
    rows = repository.list_page(
        session,
        limit=page.limit,
        after_id=int(str(after[0])) if after else None,
        newest_first=order == "desc",
        **filters,
    )
    items, next_cursor = build_page(request, response, rows, limit=page.limit, key=lambda i: [i.id])
    payload = InvoicePage(
        items=[InvoiceRead.model_validate(invoice_read(session, i)) for i in items],
        next_cursor=next_cursor,
        total=repository.count(session, **filters),
    )
    out = resource_response(request, payload)
    if "Link" in response.headers:
        out.headers["Link"] = response.headers["Link"]
    return out


@router.get("/invoices/{invoice_id}", response_model=InvoiceRead)
def read_invoice(request: Request, session: DbSession, invoice: InvoiceDep) -> Response:
    return resource_response(request, invoice_read(session, invoice))


@router.get("/invoices/{invoice_id}/explain")
def explain_invoice(request: Request, invoice: InvoiceDep) -> Response:
    """The calculation basis and lines of the title, and the check that they add up."""
    total = lines_total(invoice.lines) if invoice.kind == "title" else invoice.total_cents
    return resource_response(
        request,
        {
            "invoice_id": invoice.id,
            "reference": invoice.reference,
            "run_id": invoice.run_id,
            "calculation_basis": invoice.content.get("calculation_basis"),
            "imputation": invoice.content.get("imputation"),
            "lines": invoice.lines,
            "check": {"adds_up": total == invoice.total_cents},
        },
    )


@router.put("/invoices/{invoice_id}", status_code=409, operation_id="replace_invoice")
@router.patch("/invoices/{invoice_id}", status_code=409, operation_id="patch_invoice")
@router.delete("/invoices/{invoice_id}", status_code=409, operation_id="delete_invoice")
def change_invoice(invoice: InvoiceDep) -> Response:
    """Titles never change: a correction is a reduction, cancellation or complementary title."""
    what = f"The title {invoice.reference}" if invoice.reference else f"The title {invoice.id}"
    raise Conflict(
        f"{what} is immutable: correct it with POST /invoices/{invoice.id}/corrections "
        "(reduction, cancellation or complementary title) and a reason.",
        detail_fr=f"Le titre n° {invoice.reference or invoice.id} ne se modifie pas : corrigez-le "
        "par une réduction, une annulation ou un titre complémentaire, avec un motif.",
        slug="invoice-immutable",
    )


@router.post("/invoices/{invoice_id}/corrections", status_code=201, response_model=InvoiceRead)
def create_correction(
    request: Request,
    session: DbSession,
    principal: Issuer,
    invoice: InvoiceDep,
    body: CorrectionCreate,
    settings: IssuerConfig,
    today: Today,
) -> Response:
    """Prepare the correction of a material error, for a signatory to validate: reduction or
    cancellation (while the original's exercice is open), proposal of mandate (once it is
    closed), or complementary title; ``reason`` is required and kept."""
    ctx = service.IssueContext(principal, settings, today, utcnow())
    correction = corrections.correct(session, original=invoice, data=body, ctx=ctx)
    out = resource_response(request, invoice_read(session, correction), status_code=201)
    out.headers["Location"] = f"/invoices/{correction.id}"
    return out


@router.get("/invoices/{invoice_id}/corrections")
def list_corrections(request: Request, session: DbSession, invoice: InvoiceDep) -> Response:
    """The title's corrections, oldest first, and what remains owed."""
    items = [invoice_read(session, c) for c in repository.corrections_of(session, invoice.id)]
    total = invoice.total_cents + sum(to_cents(c["total"]) for c in items)
    return resource_response(
        request,
        {
            "original_id": invoice.id,
            "reference": invoice.reference,
            "total": fmt(invoice.total_cents),
            "balance": fmt(total),
            "items": items,
        },
    )


@router.get("/runs/{run_id}/regularisation", response_model=list[dict[str, Any]])
def preview_regularisation(
    session: DbSession, principal: Issuer, run: RunDep
) -> list[dict[str, Any]]:
    """What replacing the issued titles of the run's year by this run needs: per title, the
    lines titled, the new run's, and the complementary title and reduction that reconcile
    them. Nothing is issued."""
    return [p.as_dict() for p in regularisation.proposals(session, run)]


@router.post("/runs/{run_id}/regularisation", response_model=list[InvoiceRead], status_code=201)
def issue_regularisation(
    session: DbSession,
    principal: Issuer,
    run: RunDep,
    body: RegularisationRequest,
    settings: IssuerConfig,
    today: Today,
) -> list[dict[str, Any]]:
    """Prepare, after confirmation, the corrections shown by ``GET`` for a signatory to
    validate: complementary titles on the open exercice, reductions on the original's
    (proposals of mandate once it is closed)."""
    ctx = service.IssueContext(principal, settings, today, utcnow())
    made = regularisation.regularise(session, run=run, reason=body.reason, ctx=ctx)
    return [invoice_read(session, invoice) for invoice in made]
