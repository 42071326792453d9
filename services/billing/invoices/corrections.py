"""Corrections of an issued title, only for a material error and with a reason.

- while the original's exercice is open: a reduction (partial) or cancellation (total) title
  on that exercice, linked to the original, in a bordereau of type 02 (triplet 02 02 06 with
  ``RattachPiece``);
- once it is closed: a cancellation mandate record (account 673 on the operating side; the
  original account on the investment side), numbered in its own series of the open exercice;
- a supplement: a complementary title (triplet 01 01 07) on the open exercice.

A correction is prepared here (``correct``) and issued when a signatory validates it
(``issue``, from ``validation``); a prepared correction already counts against what remains
on the original's lines, so that two corrections never take the same euro.

Every correction keeps the service year (``fiscal_year``) of its original.

The original's balance (its total plus every correction) is what is owed; it never goes below
zero, and a fully cancelled title shows ``status=cancelled``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kit import audit
from kit.errors import Conflict, ValidationFailed
from services.billing.engine.money import euros, fmt, to_cents
from services.billing.invoices import numbering, repository, service
from services.billing.invoices.exercice import budget_of, complementary_end, open_exercice
from services.billing.invoices.imputations import LINE_KINDS, MANDATE_OPERATING, resolve
from services.billing.invoices.schemas import CorrectionCreate
from services.billing.invoices.views import balance_cents
from services.billing.labels import ACCOUNT_LINE_KINDS, INVOICE_KINDS
from services.billing.models import AuditEntry, Invoice

# the labels of the documents (services/billing/labels.py): a correction's line reads as the
# line it corrects
LINE_LABELS = {kind: text[0].lower() + text[1:] for kind, text in ACCOUNT_LINE_KINDS.items()}
LABELS = {**INVOICE_KINDS, "mandate": "Proposition de mandat d'annulation"}


def _amount_error(message: str, french: str) -> ValidationFailed:
    return ValidationFailed(
        message,
        detail_fr=french,
        errors=[{"field": "amount", "message": message, "type": "amount", "message_fr": french}],
    )


def original_kind(original: Invoice, line: dict[str, Any]) -> str:
    """The kind of the original's line a correction line is about (older corrections name
    it by its position, ``original_line``)."""
    if "original_line_kind" in line:
        return str(line["original_line_kind"])
    if "original_line" in line:
        return str(original.content["imputation"][int(line["original_line"]) - 1]["line_kind"])
    return str(line["line_kind"])


def remaining_by_line(original: Invoice, previous: list[Invoice]) -> dict[str, int]:
    """What is still owed on each accounting line of the original, after every correction."""
    remaining: dict[str, int] = {}
    for line in original.content["imputation"]:
        remaining[line["line_kind"]] = remaining.get(line["line_kind"], 0) + to_cents(
            line["amount"]
        )
    for correction in previous:
        for line in correction.content["imputation"]:
            if "original_lines" in line:  # a mandate's one 673 line, for several lines
                for kind, amount in line["original_lines"].items():
                    remaining[kind] = remaining.get(kind, 0) + to_cents(amount)
                continue
            kind = original_kind(original, line)
            remaining[kind] = remaining.get(kind, 0) + to_cents(line["amount"])
    return remaining


def _lines_error(message: str, french: str) -> ValidationFailed:
    return ValidationFailed(
        message,
        detail_fr=french,
        errors=[{"field": "lines", "message": message, "type": "lines", "message_fr": french}],
    )


def named_lines(
    original: Invoice, data: CorrectionCreate, remaining: dict[str, int]
) -> dict[str, int]:
    """The cents of the correction on each line of the original: the lines named, or the
    only line of a one-line title; a cancellation takes what remains on every line."""
    if data.kind == "cancellation":
        return {kind: cents for kind, cents in remaining.items() if cents > 0}
    if data.lines:
        out: dict[str, int] = {}
        for line in data.lines:
            out[line.line_kind] = out.get(line.line_kind, 0) + to_cents(line.amount)
        if data.amount is not None and to_cents(str(data.amount)) != sum(out.values()):
            raise _amount_error(
                "The amount is the sum of the lines corrected.",
                "Le montant est la somme des lignes corrigées.",
            )
        return out
    kinds = [kind for kind, cents in remaining.items() if cents > 0 or data.kind == "complementary"]
    if len(kinds) != 1:
        raise _lines_error(
            "This title has several accounting lines ("
            + ", ".join(sorted(remaining))
            + "): name the line(s) in error and the amount of each.",
            "Ce titre a plusieurs lignes comptables ("
            + ", ".join(LINE_LABELS.get(k, k) for k in sorted(remaining))
            + ") : indiquez la ou les lignes en erreur et le montant de chacune.",
        )
    return {kinds[0]: to_cents(str(data.amount))}


def correction_exercice(original: Invoice, kind: str, ctx: service.IssueContext) -> int | None:
    """The exercice a correction is taken on: a complementary title on the open exercice of
    the original's service year (refused once prescribed); a reduction or cancellation on the
    original's own exercice while it is open — once closed, None: the correction is a mandate
    (expense side), not a title."""
    if kind == "complementary":
        return open_exercice(original.fiscal_year, ctx.today, ctx.settings)
    exercice = original.exercice or original.fiscal_year
    today = ctx.today
    still_open = exercice == today.year or (
        exercice == today.year - 1 and today <= complementary_end(ctx.settings, today.year)
    )
    return exercice if still_open else None


def correction_imputation(
    session: Session, original: Invoice, kind: str, by_line: dict[str, int], *, mandate: bool
) -> list[dict[str, Any]]:
    """The accounting lines of a correction, each naming the original's line it corrects:
    the original's account (a complement on a line the original did not have takes the
    account configured for it); a mandate on the operating side is charged to 673."""
    accounts = {line["line_kind"]: line for line in original.content["imputation"]}
    configured = resolve(
        original.content["debtor"]["kind"],
        service.configured_accounts(session, original.fiscal_year),
    )
    kinds = sorted(by_line, key=LINE_KINDS.index)
    if mandate and original.section == "operating":  # one line on 673, whatever it cancels
        return [
            {
                "line_kind": "operating",
                **MANDATE_OPERATING.as_dict(),
                "amount": fmt(-sum(by_line.values())),
                "original_line_kind": kinds[0],
                "original_lines": {k: fmt(-by_line[k]) for k in kinds},
            }
        ]
    out = []
    for line_kind in kinds:
        cents = by_line[line_kind]
        account = accounts.get(line_kind) or {
            "line_kind": line_kind,
            **configured[line_kind].as_dict(),
        }
        signed = cents if kind == "complementary" else -cents
        out.append({**account, "amount": fmt(signed), "original_line_kind": line_kind})
    return out


def correct(
    session: Session, *, original: Invoice, data: CorrectionCreate, ctx: service.IssueContext
) -> Invoice:
    if original.kind != "title" or original.status not in ("issued", "cancelled"):
        raise Conflict(
            "Only an issued title is corrected (a waiting or prepared title is simply not "
            "issued yet).",
            detail_fr="Seul un titre émis se corrige (un titre en attente ou à valider n'est "
            "simplement pas encore émis).",
            slug="invoice-not-correctable",
        )
    numbering.lock_feed(session)
    previous = list(repository.corrections_of(session, original.id))
    balance = balance_cents(original, previous)
    remaining = remaining_by_line(original, previous)
    by_line = named_lines(original, data, remaining)
    cents = sum(by_line.values())
    if data.kind != "complementary":
        if balance <= 0:
            raise Conflict(
                f"The title {original.reference} is already cancelled.",
                detail_fr=f"Le titre n° {original.reference} est déjà annulé.",
                slug="invoice-cancelled",
            )
        if data.kind == "reduction" and not 0 < cents < balance:
            raise _amount_error(
                f"A reduction is partial: between 0.01 and {fmt(balance - 1)}; "
                "cancel the title for the whole balance.",
                f"Une réduction est partielle : entre 0,01 € et {euros(balance - 1)} ; pour le "
                "solde entier, annulez le titre.",
            )
        over = [k for k, c in by_line.items() if c > remaining.get(k, 0)]
        if over:
            raise _lines_error(
                "A reduction cannot exceed what remains on a line: "
                + ", ".join(f"{k} ({fmt(remaining.get(k, 0))} remaining)" for k in sorted(over)),
                "Une réduction ne peut dépasser ce qui reste dû sur une ligne : "
                + ", ".join(
                    f"{LINE_LABELS.get(k, k)} ({euros(remaining.get(k, 0))} restant dus)"
                    for k in sorted(over)
                ),
            )
    elif cents <= 0 or any(c <= 0 for c in by_line.values()):
        raise _amount_error(
            "A complementary title is for a positive amount.",
            "Un titre complémentaire est d'un montant positif.",
        )
    exercice = correction_exercice(original, data.kind, ctx)
    mandate = exercice is None
    kind = "mandate" if mandate else data.kind
    imputation = correction_imputation(session, original, data.kind, by_line, mandate=mandate)
    signed = cents if data.kind == "complementary" else -cents
    correction = Invoice(
        kind=kind,
        status="prepared",
        fiscal_year=original.fiscal_year,
        section=original.section,
        member_code=original.member_code,
        member_name=original.member_name,
        run_id=original.run_id,
        original_id=original.id,
        total_cents=signed,
        object=f"{LABELS[kind]} du titre {original.reference} — {data.reason}"[:1000],
        lines=[
            {
                "line": n,
                "kind": kind,
                "section": original.section,
                "line_kind": line_kind,
                "label": f"{LABELS[kind]} — {LINE_LABELS[line_kind]}",
                "amount": fmt(
                    by_line[line_kind] if kind == "complementary" else -by_line[line_kind]
                ),
            }
            for n, line_kind in enumerate(sorted(by_line, key=LINE_KINDS.index), start=1)
        ],
        content={
            **original.content,
            "imputation": imputation,
            "original": {
                "id": original.id,
                "reference": original.reference,
                "fiscal_year": original.fiscal_year,
                "exercice": original.exercice,
                "number": original.number,
            },
            "correction_of": data.kind,
        },  # fmt: skip
        reason=data.reason,
    )
    session.add(correction)
    session.flush()
    service.mark_prepared(session, correction, ctx)
    audit.record(
        session,
        AuditEntry,
        principal=ctx.principal,
        action="prepare-correction",
        resource_type="invoice",
        resource_id=str(original.id),
        before={"balance": fmt(balance)},
        after={"kind": kind, "amount": fmt(signed), "reason": data.reason},
    )
    return correction


def issue(
    session: Session, correction: Invoice, ctx: service.IssueContext
) -> tuple[Invoice, str | None]:
    """Issue a validated correction: numbered on the exercice it is taken on (a mandate
    proposal in its own series), and the original's balance and status follow. Refused when
    the original's exercice closed since it was prepared (a reduction would now be a mandate):
    it is then refused and prepared again. The bordereau type it goes on (None: a mandate)."""
    assert correction.original_id is not None
    original = repository.get(session, correction.original_id)
    assert original is not None
    exercice = correction_exercice(original, correction.content["correction_of"], ctx)
    mandate = exercice is None
    if mandate != (correction.kind == "mandate"):
        raise Conflict(
            f"The exercice of {original.reference} closed since this correction was prepared: "
            f"refuse correction {correction.id} and prepare it again.",
            detail_fr=f"L'exercice du titre n° {original.reference} a été clos depuis la "
            f"préparation de cette correction : refusez la correction n° {correction.id} et "
            "préparez-la de nouveau.",
            slug="correction-exercice-changed",
        )
    budget = budget_of(session, exercice or ctx.today.year, ctx.settings)
    if mandate:
        number = numbering.next_mandate_number(session, budget)
    else:
        number = numbering.next_title_number(session, budget)
    service.stamp(correction, number=number, budget=budget, ctx=ctx, mandate=mandate)
    service.record_event(session, correction, "issued", ctx.now)
    issued = repository.corrections_of(session, original.id, pending=False)
    balance = balance_cents(original, list(issued))
    if balance == 0:
        original.status = "cancelled"
    service.record_event(
        session, original, "cancelled" if original.status == "cancelled" else "corrected", ctx.now
    )
    audit.record(
        session,
        AuditEntry,
        principal=ctx.principal,
        action="correct",
        resource_type="invoice",
        resource_id=str(original.id),
        after={
            "correction": correction.reference,
            "kind": correction.kind,
            "amount": fmt(correction.total_cents),
            "reason": correction.reason,
            "balance": fmt(balance),
            "signatory": correction.signatory_name,
        },
    )
    if mandate:
        return correction, None
    return correction, "01" if correction.kind == "complementary" else "02"
