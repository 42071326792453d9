"""Where a bordereau and its titles are on the way to Hélios and back — one derivation, used by
the API, its filters (``?state=``) and the pages.

A bordereau: ``validated`` (made at the signatory's validation) → ``signed`` → ``sent`` (its
PES downloaded and marked as sent) → ``accepted`` (pris en charge by the comptable) |
``rejected`` (the acknowledgement said KO; its titles then go again on a new bordereau).
A title: ``ready`` / ``prepared`` before validation, then its bordereau's state, then
``partly_paid`` → ``paid`` as the comptable's recoveries come in; ``cancelled`` once fully
cancelled. A title without a bordereau (liquidated for the financial software, a proposal of
mandate) stays ``validated``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import aliased

from services.billing.models import Bordereau, Invoice, Payment

BORDEREAU_STATES = ("validated", "signed", "sent", "accepted", "rejected")
TITLE_STATES = (
    "ready", "prepared", "validated", "signed", "sent", "accepted", "rejected",
    "partly_paid", "paid", "cancelled",
)  # fmt: skip
# what was titled: validated (issued, or liquidated awaiting the financial software's number)
TITLED = ("liquidated", "issued", "cancelled")


def is_signed(bordereau: Bordereau) -> bool:
    """Its PES carries the signatory's XAdES signature (``signing.py``)."""
    return bordereau.signed_at is not None


def bordereau_state(bordereau: Bordereau) -> str:
    if bordereau.ack_status in ("accepted", "rejected"):
        return bordereau.ack_status
    if bordereau.sent_at is not None:
        return "sent"
    return "signed" if is_signed(bordereau) else "validated"


def title_state(invoice: Invoice, bordereau: Bordereau | None, *, paid_cents: int, due: int) -> str:
    if invoice.status in ("ready", "prepared", "rejected", "cancelled"):
        return "prepared" if invoice.status == "rejected" else invoice.status
    if paid_cents > 0 and invoice.kind in ("title", "complementary"):
        return "paid" if paid_cents >= due else "partly_paid"
    if bordereau is None:
        return "validated"
    return bordereau_state(bordereau)


# the same derivation in SQL, for the filters (kept next to the Python one on purpose)


def _signed_sql() -> Any:
    return Bordereau.signed_at.is_not(None)


def bordereau_state_sql(state: str) -> Any:
    """A condition on ``Bordereau`` true when it is in ``state``."""
    if state in ("accepted", "rejected"):
        return Bordereau.ack_status == state
    if state == "sent":
        return and_(Bordereau.ack_status.is_(None), Bordereau.sent_at.is_not(None))
    pending = and_(Bordereau.ack_status.is_(None), Bordereau.sent_at.is_(None))
    if state == "signed":
        return and_(pending, _signed_sql())
    if state == "validated":
        return and_(pending, ~_signed_sql())
    return false()


def paid_sql() -> Any:
    return (
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .where(Payment.invoice_id == Invoice.id)
        .scalar_subquery()
    )


def due_cents(invoice: Invoice, corrections: list[Invoice]) -> int:
    """What the debtor pays on this piece: a title's total less its issued reductions and
    cancellations (a complementary title is a piece of its own, paid on its own number)."""
    return invoice.total_cents + sum(
        c.total_cents for c in corrections if c.status in TITLED and c.kind != "complementary"
    )


def balance_sql() -> Any:
    correction = aliased(Invoice)
    corrections = (
        select(func.coalesce(func.sum(correction.total_cents), 0))
        .where(
            correction.original_id == Invoice.id,
            correction.status.in_(TITLED),
            correction.kind != "complementary",
        )
        .scalar_subquery()
    )
    return Invoice.total_cents + corrections


def title_state_sql(state: str) -> Any:
    """A condition on ``Invoice`` (outer-joined to its ``Bordereau``) true in ``state``."""
    if state in ("ready", "cancelled"):
        return Invoice.status == state
    if state == "prepared":
        return Invoice.status.in_(("prepared", "rejected"))
    live = Invoice.status.in_(("liquidated", "issued"))
    payable = Invoice.kind.in_(("title", "complementary"))
    paid = paid_sql()
    if state == "paid":
        return and_(live, payable, paid > 0, paid >= balance_sql())
    if state == "partly_paid":
        return and_(live, payable, paid > 0, paid < balance_sql())
    unpaid = or_(~payable, paid <= 0)
    if state == "validated":
        no_bordereau = and_(live, unpaid, Invoice.bordereau_id.is_(None))
        return or_(no_bordereau, and_(live, unpaid, bordereau_state_sql("validated")))
    return and_(live, unpaid, Invoice.bordereau_id.is_not(None), bordereau_state_sql(state))
