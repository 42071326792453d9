"""Corrections of an issued title, only for a material error and with a reason.

- while the original's exercice is open: a reduction (partial) or cancellation (total) title
  on that exercice, linked to the original, in a bordereau of type 02 (triplet 02 02 06 with
  ``RattachPiece``);
- once it is closed: a cancellation mandate record (account 673 on the operating side; the
  original account on the investment side), numbered in its own series of the open exercice;
- a supplement: a complementary title (triplet 01 01 07) on the open exercice.

Every correction keeps the service year (``fiscal_year``) of its original.

The original's balance (its total plus every correction) is what is owed; it never goes below
zero, and a fully cancelled title shows ``status=cancelled``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kit import audit
from kit.errors import Conflict, ValidationFailed
from services.billing.engine.money import fmt, to_cents
from services.billing.invoices import numbering, repository, service
from services.billing.invoices.exercice import budget_of, complementary_end, open_exercice
from services.billing.invoices.imputations import MANDATE_OPERATING
from services.billing.invoices.schemas import CorrectionCreate
from services.billing.invoices.views import balance_cents
from services.billing.models import AuditEntry, Invoice

LABELS = {
    "reduction": "Réduction",
    "cancellation": "Annulation",
    "complementary": "Titre complémentaire",
    "mandate": "Mandat d'annulation",
}


def _amount_error(message: str) -> ValidationFailed:
    return ValidationFailed(
        message, errors=[{"field": "amount", "message": message, "type": "amount"}]
    )


def split_reduction(original: Invoice, previous: list[Invoice], cents: int) -> list[dict[str, Any]]:
    """Take a reduction from the original's accounting lines, largest remaining first."""
    remaining = {
        index: to_cents(line["amount"])
        for index, line in enumerate(original.content["imputation"], start=1)
    }
    for c in previous:
        for line in c.content["imputation"]:
            if "original_line" in line:
                remaining[line["original_line"]] += to_cents(line["amount"])
    out = []
    for index in sorted(remaining, key=lambda i: (-remaining[i], i)):
        taken = min(cents, remaining[index])
        if taken <= 0:
            continue
        account = original.content["imputation"][index - 1]
        out.append({**account, "amount": fmt(-taken), "original_line": index})
        cents -= taken
    return out


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


def correct(
    session: Session, *, original: Invoice, data: CorrectionCreate, ctx: service.IssueContext
) -> Invoice:
    if original.kind != "title" or original.status == "ready":
        raise Conflict(
            "Only an issued title is corrected (a waiting title is simply not issued yet).",
            slug="invoice-not-correctable",
        )
    numbering.lock_feed(session)
    previous = list(repository.corrections_of(session, original.id))
    balance = balance_cents(original, previous)
    cents = balance if data.kind == "cancellation" else to_cents(str(data.amount))
    if data.kind != "complementary":
        if balance <= 0:
            raise Conflict(
                f"The title {original.reference} is already cancelled.", slug="invoice-cancelled"
            )
        if data.kind == "reduction" and not 0 < cents < balance:
            raise _amount_error(
                f"A reduction is partial: between 0.01 and {fmt(balance - 1)}; "
                "cancel the title for the whole balance."
            )
    elif cents <= 0:
        raise _amount_error("A complementary title is for a positive amount.")
    exercice = correction_exercice(original, data.kind, ctx)
    mandate = exercice is None
    kind = "mandate" if mandate else data.kind
    budget = budget_of(session, exercice or ctx.today.year, ctx.settings)
    if data.kind == "complementary":
        first = original.content["imputation"][0]
        imputation = [{**first, "amount": fmt(cents)}]
    elif mandate and original.section == "operating":
        imputation = [{"line_kind": "operating", **MANDATE_OPERATING.as_dict(),
                       "amount": fmt(-cents)}]  # fmt: skip
    else:
        imputation = split_reduction(original, previous, cents)
    signed = cents if data.kind == "complementary" else -cents
    correction = Invoice(
        kind=kind,
        status="ready",
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
                "line": 1,
                "kind": kind,
                "section": original.section,
                "label": LABELS[kind],
                "amount": fmt(signed),
            }
        ],  # fmt: skip
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
    if mandate:
        number = numbering.next_mandate_number(session, budget)
    else:
        number = numbering.next_title_number(session, budget)
    service.stamp(correction, number=number, budget=budget, ctx=ctx, mandate=mandate)
    service.record_event(session, correction, "issued", ctx.now)
    if not mandate:
        bordereau_type = "01" if data.kind == "complementary" else "02"
        originals = {original.id: original}
        service.make_bordereau(session, budget, bordereau_type, [correction], originals, ctx)
    if balance + signed == 0:
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
        before={"balance": fmt(balance)},
        after={
            "correction": correction.reference,
            "kind": kind,
            "amount": fmt(signed),
            "reason": data.reason,
            "balance": fmt(balance + signed),
        },
    )
    return correction
