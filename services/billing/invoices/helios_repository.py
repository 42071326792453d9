"""Queries of what goes to and comes back from the comptable's chain (Hélios): bordereaux,
acknowledgements (PES_Retour) and payments recovered."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.billing.invoices import states
from services.billing.models import Acknowledgement, Bordereau, Invoice, Payment


def bordereau(session: Session, bordereau_id: int) -> Bordereau | None:
    return session.get(Bordereau, bordereau_id)


def bordereau_invoices(session: Session, bordereau_id: int) -> Sequence[Invoice]:
    """The titles a bordereau carries (a re-sent one: those it carried when rejected)."""
    carried = session.scalar(
        select(Bordereau.carried_invoice_ids).where(Bordereau.id == bordereau_id)
    )
    where = Invoice.id.in_(carried) if carried else Invoice.bordereau_id == bordereau_id
    return session.scalars(select(Invoice).where(where).order_by(Invoice.number)).all()


def series_total(session: Session, series: str) -> int:
    """What the bordereaux of a series add up to (PES ``MtCumulAnnuel`` before the next)."""
    total = session.scalar(
        select(func.coalesce(func.sum(Bordereau.total_cents), 0)).where(Bordereau.series == series)
    )
    return int(total or 0)


def bordereaux_page(
    session: Session,
    *,
    limit: int,
    after_id: int | None,
    fiscal_year: int | None,
    state: str | None = None,
) -> Sequence[Bordereau]:
    query = select(Bordereau).order_by(Bordereau.id).limit(limit + 1)
    if after_id is not None:
        query = query.where(Bordereau.id > after_id)
    if fiscal_year is not None:
        query = query.where(Bordereau.fiscal_year == fiscal_year)
    if state is not None:
        query = query.where(states.bordereau_state_sql(state))
    return session.scalars(query).all()


def bordereaux_numbered(
    session: Session, *, exercice: int, budget_code: str, number: int
) -> Sequence[Bordereau]:
    """The bordereaux of that number on the exercice and budget (one per type at most)."""
    query = select(Bordereau).where(
        Bordereau.exercice == exercice,
        Bordereau.budget_code == budget_code,
        Bordereau.number == number,
    )
    return session.scalars(query.order_by(Bordereau.type)).all()


def bordereaux_of_exercices(session: Session, years: set[int]) -> Sequence[Bordereau]:
    """The bordereaux of those exercices (of every exercice when ``years`` is empty)."""
    query = select(Bordereau).order_by(Bordereau.id)
    if years:
        query = query.where(Bordereau.exercice.in_(years))
    return session.scalars(query).all()


def acknowledgement_by_hash(session: Session, sha256: str) -> Acknowledgement | None:
    query = select(Acknowledgement).where(Acknowledgement.sha256 == sha256)
    return session.scalars(query).one_or_none()


def acknowledgement(session: Session, acknowledgement_id: int) -> Acknowledgement | None:
    return session.get(Acknowledgement, acknowledgement_id)


def acknowledgements(session: Session, limit: int = 50) -> Sequence[Acknowledgement]:
    query = select(Acknowledgement).order_by(Acknowledgement.id.desc()).limit(limit)
    return session.scalars(query).all()


def payable_title(session: Session, exercice: int, number: int) -> Invoice | None:
    """The title (or complementary title) numbered ``number`` on ``exercice``."""
    query = select(Invoice).where(
        Invoice.exercice == exercice,
        Invoice.number == number,
        Invoice.series.like("title:%"),
        Invoice.kind.in_(("title", "complementary")),
    )
    return session.scalars(query).first()


def payment_keys(session: Session, keys: set[str]) -> set[str]:
    if not keys:
        return set()
    query = select(Payment.source_key).where(Payment.source_key.in_(keys))
    return set(session.scalars(query))


def payments_of(session: Session, invoice_id: int) -> Sequence[Payment]:
    query = select(Payment).where(Payment.invoice_id == invoice_id)
    return session.scalars(query.order_by(Payment.paid_on, Payment.id)).all()


def paid_totals(session: Session, ids: set[int]) -> dict[int, int]:
    """What was recovered on each of the titles ``ids`` (absent: nothing), in cents."""
    if not ids:
        return {}
    query = (
        select(Payment.invoice_id, func.sum(Payment.amount_cents))
        .where(Payment.invoice_id.in_(ids))
        .group_by(Payment.invoice_id)
    )
    return {int(i): int(total) for i, total in session.execute(query)}


def titled_payables(session: Session, member_code: str | None = None) -> Sequence[Invoice]:
    """Issued titles and complementary titles (what a debtor pays), oldest first."""
    query = select(Invoice).where(
        Invoice.kind.in_(("title", "complementary")), Invoice.status.in_(("issued", "liquidated"))
    )
    if member_code is not None:
        query = query.where(Invoice.member_code == member_code)
    return session.scalars(query.order_by(Invoice.issued_on, Invoice.id)).all()
