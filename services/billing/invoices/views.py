"""A title as the API shows it (with its corrections and balance), and a bordereau."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.billing.engine.money import fmt
from services.billing.invoices import helios_repository, repository, states
from services.billing.models import Bordereau, Invoice


def balance_cents(invoice: Invoice, corrections: list[Invoice]) -> int:
    """What is owed on a title: its total plus every correction (reductions are negative)."""
    return invoice.total_cents + sum(c.total_cents for c in corrections)


def correction_summary(c: Invoice) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": c.kind,
        "status": c.status,
        "reference": c.reference,
        "fiscal_year": c.fiscal_year,
        "exercice": c.exercice,
        "total": fmt(c.total_cents),
        "issued_on": c.issued_on,
        "reason": c.reason,
        "account": c.content.get("imputation"),
    }


def bordereau_read(b: Bordereau, invoice_ids: list[int]) -> dict[str, Any]:
    return {
        "id": b.id,
        "fiscal_year": b.fiscal_year,
        "exercice": b.exercice,
        "budget_code": b.budget_code,
        "type": b.type,
        "number": b.number,
        "issued_on": b.issued_on,
        "total": fmt(b.total_cents),
        "file_name": b.file_name,
        "sha256": b.pes_sha256,
        "signed_at": b.signed_at,
        "signed_by": b.signed_by,
        "invoice_ids": invoice_ids,
        "state": states.bordereau_state(b),
        "sent_at": b.sent_at,
        "sent_by": b.sent_by,
        "acknowledged_at": b.acknowledged_at,
        "acknowledgement_id": b.acknowledgement_id,
        "errors": b.ack_errors or [],
        "attachments": b.ack_attachments or {},
        "resent_as_id": b.resent_as_id,
        "resent_from_id": b.resent_from_id,
    }


def invoice_read(session: Session, invoice: Invoice) -> dict[str, Any]:
    corrections = list(repository.corrections_of(session, invoice.id))
    issued = [c for c in corrections if c.status in repository.TITLED]
    is_original = invoice.kind == "title"
    bordereau = (
        helios_repository.bordereau(session, invoice.bordereau_id) if invoice.bordereau_id else None
    )
    payments = list(helios_repository.payments_of(session, invoice.id))
    paid = sum(p.amount_cents for p in payments)
    due = states.due_cents(invoice, corrections)
    payable = invoice.kind in ("title", "complementary") and invoice.status in (
        "issued",
        "liquidated",
    )
    documents = {}
    if invoice.status in repository.TITLED:
        documents = {"pdf": f"/invoices/{invoice.id}/asap.pdf"}
        if bordereau is not None:
            documents["pes"] = f"/bordereaux/{bordereau.id}/pes.xml"
    return {
        "id": invoice.id,
        "kind": invoice.kind,
        "status": invoice.status,
        "state": states.title_state(invoice, bordereau, paid_cents=paid, due=due),
        "number": invoice.number,
        "reference": invoice.reference,
        "fiscal_year": invoice.fiscal_year,
        "exercice": invoice.exercice,
        "budget_code": invoice.budget_code,
        "section": invoice.section,
        "member_code": invoice.member_code,
        "member_name": invoice.member_name,
        "run_id": invoice.run_id,
        "original_id": invoice.original_id,
        "total": fmt(invoice.total_cents),
        "balance": fmt(balance_cents(invoice, issued)) if is_original else None,
        "paid": fmt(paid) if payable else None,
        "outstanding": fmt(max(due - paid, 0)) if payable else None,
        "payments": [
            {
                "paid_on": p.paid_on,
                "amount": fmt(p.amount_cents),
                "reference": p.reference,
                "source": p.source,
            }
            for p in payments
        ],  # fmt: skip
        "object": invoice.object,
        "issued_on": invoice.issued_on,
        "issued_at": invoice.issued_at,
        "issued_by": invoice.issued_by,
        "prepared_by": invoice.prepared_by,
        "prepared_at": invoice.prepared_at,
        "signatory": {
            "id": invoice.signatory_id,
            "name": invoice.signatory_name,
            "function": invoice.signatory_function,
            "delegation": invoice.signatory_delegation,
        },
        "forced_reason": invoice.forced_reason,
        "forecast_reason": invoice.forecast_reason,
        "waiting_reason": invoice.waiting_reason,
        "reason": invoice.reason,
        "bordereau": (
            {
                "id": bordereau.id,
                "type": bordereau.type,
                "number": bordereau.number,
                "exercice": bordereau.exercice,
            }
            if bordereau
            else None
        ),
        "change_seq": invoice.change_seq,
        "content": invoice.content,
        "lines": invoice.lines,
        "corrections": [correction_summary(c) for c in corrections],
        "documents": documents,
    }
