"""Issuing titles from a final run: one per invoiced member and section with a non-zero total,
not before the member's BP is voted unless forced with a reason. Two steps: a finance user
prepares (every rule checked, the title waits as ``prepared``), a signatory of the register
validates (``validation``): only then is it numbered, on a bordereau, with its documents."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from kit import audit
from kit.errors import Conflict
from kit.identity import Principal
from services.billing.engine.money import fmt
from services.billing.invoices import content, helios_repository, numbering, pes, repository
from services.billing.invoices.exercice import Budget, budget_of, open_exercice
from services.billing.invoices.helios_signer import Place, sign_bordereaux
from services.billing.invoices.imputations import Account, resolve
from services.billing.invoices.registry import RegistryFacts
from services.billing.invoices.rules import adhesion_missing, bp_blocks, chorus_references_missing
from services.billing.invoices.settings import IssuerSettings
from services.billing.invoices.signatories import Validator
from services.billing.invoices.signing import SigningKey
from services.billing.labels import RUN_STATUSES
from services.billing.models import AuditEntry, Bordereau, Invoice, Run, RunMember
from services.billing.settlements import service as compensation

SECTION_AMOUNT = {"operating": "operating_invoiced_cents", "investment": "investment_cents"}


@dataclass
class Outcome:
    issued: list[Invoice] = field(default_factory=list)
    prepared: list[Invoice] = field(default_factory=list)
    waiting: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    bordereaux: list[Bordereau] = field(default_factory=list)
    liquidated: list[Invoice] = field(default_factory=list)
    liquidation_batch: str | None = None
    warnings: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class IssueContext:
    principal: Principal
    settings: IssuerSettings
    today: dt.date
    now: dt.datetime
    validator: Validator | None = None  # the signatory validating (None while preparing)
    signing: SigningKey | None = None  # its key, checked: the bordereaux are signed with it


def ensure_issuable_run(run: Run) -> None:
    if run.kind != "final" or run.status != "succeeded" or not run.is_current:
        raise Conflict(
            f"Titles are issued from the current succeeded final run of a year; run {run.id} is "
            f"a {run.status} {run.kind} run{'' if run.is_current else ' (not current)'}.",
            detail_fr="Seul le calcul définitif en vigueur d'un exercice, terminé avec succès, "
            f"donne lieu à des titres ; le calcul n° {run.id} est "
            + ("un calcul prévisionnel" if run.kind == "forecast" else "un calcul définitif")
            + ("" if run.status == "succeeded" else f" {RUN_STATUSES.get(run.status, run.status)}")
            + ("" if run.is_current or run.kind == "forecast" else " qui n'est plus en vigueur")
            + ".",
            slug="run-not-issuable",
        )


def run_rows(session: Session, run: Run, members: list[str] | None) -> list[RunMember]:
    return list(repository.run_members(session, run.id, members))


def configured_accounts(session: Session, fiscal_year: int) -> dict[tuple[str, str], Account]:
    return {
        (i.debtor_kind, i.line_kind): Account(i.nature, i.function, i.chapter)
        for i in repository.imputations(session, fiscal_year)
    }


def prepare_titles(
    session: Session,
    *,
    run: Run,
    rows: list[RunMember],
    sections: list[str],
    facts: RegistryFacts,
    settings: IssuerSettings,
    outcome: Outcome,
) -> list[Invoice]:
    """The ready titles of a run (created or refreshed from the run and the registry); members
    already titled for the year and section are skipped."""
    accounts = configured_accounts(session, run.fiscal_year)
    settled = compensation.settled_members(session, run.fiscal_year)
    ready = []
    for row in sorted(rows, key=lambda r: r.member_code):
        for section in sections:
            total = getattr(row, SECTION_AMOUNT[section])
            if not row.invoiced or total == 0:
                continue
            key = f"{run.fiscal_year}:{row.member_code}:{section}"
            existing = repository.original(session, key)
            if section == compensation.SECTION and row.member_code in settled:
                # settled through the attribution de compensation (CGCT L5211-4-2): no title
                detail = compensation.skip_detail(settled[row.member_code])
                outcome.skipped.append(_skip(row, section, "settled-by-compensation", detail))
                continue
            if existing is not None and existing.status != "ready":
                detail = (
                    f"Titre remis au logiciel financier (lot {existing.liquidation_batch})."
                    if existing.status == "liquidated"
                    else f"Titre {existing.reference} déjà émis."
                )
                outcome.skipped.append(_skip(row, section, "already-issued", detail))
                continue
            member = facts.members.get(row.member_code)
            if member is None:
                outcome.skipped.append(
                    _skip(row, section, "unknown-debtor", "Membre absent du référentiel.")
                )
                continue
            missing = adhesion_missing(member, facts.legal_basis.get(row.member_code, {}))
            if missing:
                outcome.skipped.append(
                    _skip(row, section, "adhesion-deliberation-missing", missing)
                )
                continue
            chorus = chorus_references_missing(member)
            if chorus:
                outcome.skipped.append(_skip(row, section, "chorus-reference-missing", chorus))
                continue
            lines = content.section_lines(row.lines, section)
            invoice = existing or Invoice(kind="title", status="ready", origin_key=key)
            invoice.fiscal_year, invoice.section = run.fiscal_year, section
            invoice.member_code, invoice.member_name = row.member_code, member["name"]
            invoice.run_id, invoice.total_cents, invoice.lines = run.id, total, lines
            invoice.object = content.title_object(run.fiscal_year, section)
            invoice.content = content.title_content(
                settings=settings,
                member=member,
                convention=facts.legal_basis.get(row.member_code, {}),
                lines=lines,
                cap=row.cap if section == "operating" else None,
                accounts=resolve(member["kind"], accounts),
                total_cents=total,
            )
            session.add(invoice)
            ready.append(invoice)
    session.flush()
    return ready


def _skip(row: RunMember, section: str, reason: str, detail: str) -> dict[str, Any]:
    return {"member_code": row.member_code, "section": section, "reason": reason, "detail": detail}


def prepare_ready(
    session: Session,
    *,
    invoices: list[Invoice],
    facts: RegistryFacts,
    force_reason: str | None,
    forecast_reason: str | None,
    ctx: IssueContext,
    outcome: Outcome,
) -> None:
    """Prepare what the BP rule allows (or everything, forced) for a signatory's validation;
    the rest waits as ``ready`` and says why."""
    for invoice in invoices:
        exercice = open_exercice(invoice.fiscal_year, ctx.today, ctx.settings)
        blocked = bp_blocks(invoice, facts, ctx.today, exercice)
        if blocked and not force_reason:
            invoice.waiting_reason = blocked
            outcome.waiting.append(
                {
                    "invoice_id": invoice.id,
                    "member_code": invoice.member_code,
                    "member_name": invoice.member_name,
                    "section": invoice.section,
                    "total": fmt(invoice.total_cents),
                    "reason": "bp-not-voted",
                    "detail": blocked,
                }
            )
            continue
        invoice.forced_reason = force_reason if blocked else None
        invoice.forecast_reason = forecast_reason
        mark_prepared(session, invoice, ctx)
        outcome.prepared.append(invoice)


def mark_prepared(session: Session, invoice: Invoice, ctx: IssueContext) -> None:
    invoice.status = "prepared"
    invoice.waiting_reason = None
    invoice.prepared_by = ctx.principal.audit_name[:200]
    invoice.prepared_at = ctx.now
    audit.record(
        session,
        AuditEntry,
        principal=ctx.principal,
        action="prepare",
        resource_type="invoice",
        resource_id=str(invoice.id),
        after={
            "kind": invoice.kind,
            "total": fmt(invoice.total_cents),
            "forced_reason": invoice.forced_reason,
            "forecast_reason": invoice.forecast_reason,
        },
    )


def issue_titles(
    session: Session, *, invoices: list[Invoice], ctx: IssueContext, outcome: Outcome
) -> None:
    """Issue validated original titles on the open exercice, then one bordereau per (exercice,
    service year) of what was issued. Numbers are taken in member-code order, in the one
    series of the exercice's budget. Numbering by the financial software: liquidated instead."""
    budgets: dict[int, Budget] = {}
    if ctx.settings.numbering == "financial_software":
        liquidate(session, sorted(invoices, key=lambda i: (i.member_code, i.section)), ctx, outcome)
        return
    for invoice in sorted(invoices, key=lambda i: (i.fiscal_year, i.member_code, i.section)):
        exercice = open_exercice(invoice.fiscal_year, ctx.today, ctx.settings)
        budget = budgets.setdefault(exercice, budget_of(session, exercice, ctx.settings))
        number = numbering.next_title_number(session, budget)
        stamp(invoice, number=number, budget=budget, ctx=ctx)
        record_event(session, invoice, "issued", ctx.now)
        audit.record(
            session,
            AuditEntry,
            principal=ctx.principal,
            action="issue",
            resource_type="invoice",
            resource_id=str(invoice.id),
            after={
                "reference": invoice.reference,
                "total": fmt(invoice.total_cents),
                "prepared_by": invoice.prepared_by,
                "signatory": invoice.signatory_name,
            },
        )
        outcome.issued.append(invoice)
    groups: dict[tuple[int, int], list[Invoice]] = {}
    for invoice in outcome.issued:
        if invoice.kind != "title":
            continue
        assert invoice.exercice is not None
        groups.setdefault((invoice.exercice, invoice.fiscal_year), []).append(invoice)
    for (exercice, _year), group in sorted(groups.items()):
        outcome.bordereaux.append(make_bordereau(session, budgets[exercice], "01", group, {}, ctx))


def sign(invoice: Invoice, ctx: IssueContext) -> None:
    """The validator, as the register names them on the day."""
    assert ctx.validator is not None, "titles are validated by a signatory"
    invoice.signatory_id = ctx.validator.id
    invoice.signatory_name = ctx.validator.name
    invoice.signatory_function = ctx.validator.function
    invoice.signatory_delegation = ctx.validator.delegation


def liquidate(
    session: Session, invoices: list[Invoice], ctx: IssueContext, outcome: Outcome
) -> None:
    """Numbering by the financial software: the titles are liquidated — debtor, imputation,
    bases and amount frozen, on the open exercice and its budget — in one batch to export;
    each is issued when its number comes back (``liquidations.import_numbers``)."""
    if not invoices:
        return
    exercice = open_exercice(invoices[0].fiscal_year, ctx.today, ctx.settings)
    budget = budget_of(session, exercice, ctx.settings)
    batch = numbering.next_liquidation_batch(session, budget)
    for invoice in invoices:
        invoice.status = "liquidated"
        invoice.exercice, invoice.budget_code = budget.exercice, budget.code
        invoice.liquidation_batch = batch
        invoice.waiting_reason = None
        sign(invoice, ctx)
        audit.record(
            session,
            AuditEntry,
            principal=ctx.principal,
            action="liquidate",
            resource_type="invoice",
            resource_id=str(invoice.id),
            after={
                "batch": batch,
                "total": fmt(invoice.total_cents),
                "forced_reason": invoice.forced_reason,
                "forecast_reason": invoice.forecast_reason,
            },
        )
        outcome.liquidated.append(invoice)
    outcome.liquidation_batch = batch


def stamp(
    invoice: Invoice, *, number: int, budget: Budget, ctx: IssueContext, mandate: bool = False
) -> None:
    invoice.number = number
    invoice.exercice, invoice.budget_code = budget.exercice, budget.code
    invoice.series = numbering.mandate_series(budget) if mandate else numbering.title_series(budget)
    invoice.reference = numbering.reference(budget, number, mandate=mandate)
    invoice.status = "issued"
    invoice.waiting_reason = None
    invoice.issued_on, invoice.issued_at = ctx.today, ctx.now
    invoice.issued_by = ctx.principal.audit_name[:200]
    sign(invoice, ctx)


def record_event(session: Session, invoice: Invoice, event: str, now: dt.datetime) -> None:
    session.flush()
    repository.add_event(
        session, seq=numbering.next_feed_seq(session), invoice=invoice, event=event, at=now
    )


def make_bordereau(
    session: Session,
    budget: Budget,
    bordereau_type: str,
    invoices: list[Invoice],
    originals: dict[int, Invoice],
    ctx: IssueContext,
) -> Bordereau:
    """One bordereau of ``invoices`` (all of one service year) on ``budget``'s exercice:
    signed with the validator's key when there is one, each title's notice attached."""
    number = numbering.next_bordereau_number(session, budget, bordereau_type)
    series = numbering.bordereau_series(budget, bordereau_type)
    total = sum(abs(i.total_cents) for i in invoices)
    cumulative = helios_repository.series_total(session, series) + total  # this one included
    seal: pes.Seal | None = None
    notices = None
    if ctx.signing is not None:
        assert ctx.validator is not None
        seal = partial(
            sign_bordereaux,
            key=ctx.signing,
            now=ctx.now,
            place=Place(ctx.settings.city, ctx.settings.postal_code, "France"),
            role=ctx.validator.function,
        )
    bordereau = Bordereau(
        fiscal_year=invoices[0].fiscal_year,
        exercice=budget.exercice,
        budget_code=budget.code,
        series=series,
        type=bordereau_type,
        number=number,
        issued_on=ctx.today,
        created_by=ctx.principal.audit_name[:200],
        total_cents=total,
        file_name="",  # its PES, made below once its notices (which name it) are
        pes_sha256="",
        pes_xml=b"",
        signed_at=ctx.now if seal else None,
        signed_by=ctx.validator.name[:200] if seal and ctx.validator else None,
    )
    session.add(bordereau)
    for invoice in invoices:
        invoice.bordereau = bordereau
    session.flush()  # the titles' numbers and their bordereau, which their notices print
    if seal is not None:
        from services.billing.invoices.documents import notice_pdf  # documents imports service

        notices = {i.id: notice_pdf(session, i, originals, ctx.now) for i in invoices}
    name, xml = pes.build(
        settings=ctx.settings,
        budget=budget,
        number=number,
        bordereau_type=bordereau_type,
        issued_on=ctx.today,
        invoices=invoices,
        originals=originals,
        cumulative_cents=cumulative,
        notices=notices,
        seal=seal,
    )
    bordereau.file_name = name
    bordereau.pes_sha256 = hashlib.sha256(xml).hexdigest()
    bordereau.pes_xml = xml
    session.flush()
    return bordereau
