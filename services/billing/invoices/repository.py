"""Queries of revenue titles, their counters, change feed, documents, imputations (the
bordereaux, acknowledgements and payments: ``helios_repository``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.billing.invoices import states
from services.billing.models import (
    Bordereau,
    Imputation,
    Invoice,
    InvoiceCounter,
    InvoiceDocument,
    InvoiceEvent,
    Run,
    RunMember,
    Signatory,
)


def _increment(session: Session, series: str, by: int) -> int | None:
    result = session.execute(
        update(InvoiceCounter)
        .where(InvoiceCounter.series == series)
        .values(last_value=InvoiceCounter.last_value + by)
        .returning(InvoiceCounter.last_value)
        .execution_options(synchronize_session=False)
    )
    value = result.scalar_one_or_none()
    return None if value is None else int(value)


def next_value(session: Session, series: str, *, by: int = 1) -> int:
    """Increment a counter and return its new value. The UPDATE locks the row until the
    transaction ends, so concurrent issuers wait for each other and a rollback gives the
    number back: gapless, never reused (a sequence would leave gaps)."""
    value = _increment(session, series, by)
    if value is not None:
        return value
    try:
        with session.begin_nested():
            session.execute(insert(InvoiceCounter).values(series=series, last_value=by))
        return by
    except IntegrityError:  # another transaction created it first: wait for its lock
        value = _increment(session, series, by)
        assert value is not None
        return value


def counter_value(session: Session, series: str) -> int:
    """How many values a series has given (0 for a series never used), without locking it."""
    value = session.scalar(select(InvoiceCounter.last_value).where(InvoiceCounter.series == series))
    return int(value or 0)


def lock(session: Session, series: str) -> int:
    """Take a counter's row lock without consuming a value; returns its current value."""
    return next_value(session, series, by=0)


def run_members(session: Session, run_id: int, codes: list[str] | None) -> Sequence[RunMember]:
    query = select(RunMember).where(RunMember.run_id == run_id, RunMember.invoiced)
    if codes is not None:
        query = query.where(RunMember.member_code.in_(codes))
    return session.scalars(query.order_by(RunMember.member_code)).all()


def get(session: Session, invoice_id: int) -> Invoice | None:
    return session.get(Invoice, invoice_id)


def original(session: Session, origin_key: str) -> Invoice | None:
    return session.scalars(select(Invoice).where(Invoice.origin_key == origin_key)).one_or_none()


# what was titled: validated (issued, or liquidated awaiting the financial software's number)
TITLED = states.TITLED


def corrections_of(
    session: Session, original_id: int, *, pending: bool = True
) -> Sequence[Invoice]:
    """The corrections of a title, oldest first: issued ones, and with ``pending`` those
    prepared and awaiting validation too (never the refused ones)."""
    statuses = ("prepared", *TITLED) if pending else TITLED
    return session.scalars(
        select(Invoice)
        .where(Invoice.original_id == original_id, Invoice.status.in_(statuses))
        .order_by(Invoice.id)
    ).all()


def list_page(
    session: Session,
    *,
    limit: int,
    after_id: int | None,
    fiscal_year: int | None = None,
    member_code: str | None = None,
    section: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    issued_since: dt.datetime | None = None,
    reference: str | None = None,
    state: str | None = None,
    newest_first: bool = False,
) -> Sequence[Invoice]:
    order = Invoice.id.desc() if newest_first else Invoice.id
    query = filtered(
        select(Invoice).order_by(order).limit(limit + 1),
        fiscal_year=fiscal_year, member_code=member_code, section=section, status=status,
        kind=kind, issued_since=issued_since, reference=reference, state=state,
    )  # fmt: skip
    if after_id is not None:
        query = query.where(Invoice.id < after_id if newest_first else Invoice.id > after_id)
    return session.scalars(query).all()


def count(session: Session, **filters: Any) -> int:
    """How many titles the filters of ``list_page`` keep, all pages together."""
    query = filtered(select(func.count()).select_from(Invoice), **filters)
    return int(session.scalar(query) or 0)


def filtered(
    query: Any,
    *,
    fiscal_year: int | None = None,
    member_code: str | None = None,
    section: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    issued_since: dt.datetime | None = None,
    reference: str | None = None,
    state: str | None = None,
) -> Any:
    if state is not None:  # derived (invoices/states.py): from its bordereau and payments
        query = query.outerjoin(Bordereau, Invoice.bordereau_id == Bordereau.id).where(
            states.title_state_sql(state)
        )
    if reference:
        escaped = reference.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Invoice.reference.like(f"%{escaped}%", escape="\\"))
    if fiscal_year is not None:
        query = query.where(Invoice.fiscal_year == fiscal_year)
    if member_code is not None:
        query = query.where(Invoice.member_code == member_code)
    if section is not None:
        query = query.where(Invoice.section == section)
    if status is not None:
        query = query.where(Invoice.status == status)
    if kind is not None:
        query = query.where(Invoice.kind == kind)
    if issued_since is not None:
        query = query.where(Invoice.issued_at >= issued_since)
    return query


def year_invoices(session: Session, fiscal_year: int, member_code: str | None) -> Sequence[Invoice]:
    query = select(Invoice).where(Invoice.fiscal_year == fiscal_year).order_by(Invoice.id)
    if member_code is not None:
        query = query.where(Invoice.member_code == member_code)
    return session.scalars(query).all()


def add_event(session: Session, *, seq: int, invoice: Invoice, event: str, at: dt.datetime) -> None:
    invoice.change_seq = seq
    session.add(
        InvoiceEvent(
            seq=seq,
            invoice_id=invoice.id,
            member_code=invoice.member_code,
            event=event,
            occurred_at=at,
        )
    )


def events_after(
    session: Session, *, after: int, limit: int, member_code: str | None
) -> Sequence[InvoiceEvent]:
    query = select(InvoiceEvent).where(InvoiceEvent.seq > after).order_by(InvoiceEvent.seq)
    if member_code is not None:
        query = query.where(InvoiceEvent.member_code == member_code)
    return session.scalars(query.limit(limit + 1)).all()


def invoices_by_id(session: Session, ids: set[int]) -> dict[int, Invoice]:
    if not ids:
        return {}
    return {i.id: i for i in session.scalars(select(Invoice).where(Invoice.id.in_(ids)))}


def document(session: Session, invoice_id: int, kind: str) -> InvoiceDocument | None:
    return session.scalars(
        select(InvoiceDocument).where(
            InvoiceDocument.invoice_id == invoice_id, InvoiceDocument.kind == kind
        )
    ).one_or_none()


def imputations(session: Session, fiscal_year: int) -> Sequence[Imputation]:
    return session.scalars(
        select(Imputation)
        .where(Imputation.fiscal_year == fiscal_year)
        .order_by(Imputation.debtor_kind, Imputation.line_kind)
    ).all()


def imputation(
    session: Session, fiscal_year: int, debtor_kind: str, line_kind: str
) -> Imputation | None:
    return session.scalars(
        select(Imputation).where(
            Imputation.fiscal_year == fiscal_year,
            Imputation.debtor_kind == debtor_kind,
            Imputation.line_kind == line_kind,
        )
    ).one_or_none()


def forecasts_made_available(session: Session, fiscal_year: int) -> list[Run]:
    """The succeeded forecast runs of ``fiscal_year`` made available to the members, first
    made available first."""
    query = (
        select(Run)
        .where(
            Run.fiscal_year == fiscal_year,
            Run.kind == "forecast",
            Run.status == "succeeded",
            Run.made_available_at.is_not(None),
        )
        .order_by(Run.made_available_at)
    )
    return list(session.scalars(query))


def net_titled_operating(session: Session, years: list[int]) -> dict[tuple[int, str], int]:
    """(service year, member) → what was actually titled on the operating section: the issued
    titles plus every correction of theirs (reductions and mandates negative, complements
    positive). Only the years and members that have titles."""
    originals = select(Invoice.id, Invoice.fiscal_year, Invoice.member_code).where(
        Invoice.kind == "title",
        Invoice.section == "operating",
        Invoice.status.in_(TITLED),
        Invoice.fiscal_year.in_(years),
        # a balance after settling on the attribution de compensation is not the year's title:
        # the year then reads from its final run (settlements/balancing.py)
        Invoice.origin_key.is_(None) | Invoice.origin_key.not_like("%:ac-balance"),
    )
    out: dict[tuple[int, str], int] = {}
    ids: dict[int, tuple[int, str]] = {}
    for invoice_id, year, code in session.execute(originals):
        ids[invoice_id] = (year, code)
    if not ids:
        return out
    rows = session.execute(
        select(Invoice.id, Invoice.original_id, Invoice.total_cents).where(
            Invoice.status.in_(TITLED),
            (Invoice.id.in_(ids)) | (Invoice.original_id.in_(ids)),
        )
    )
    for invoice_id, original_id, cents in rows:
        key = ids[original_id if original_id is not None else invoice_id]
        out[key] = out.get(key, 0) + int(cents)
    return out


def issued_originals(session: Session, fiscal_year: int) -> list[Invoice]:
    """The original titles of a service year that were issued (cancelled ones included);
    not the balances of a settlement on the attribution de compensation, which are not the
    year's title of their member (settlements/balancing.py)."""
    query = select(Invoice).where(
        Invoice.kind == "title",
        Invoice.fiscal_year == fiscal_year,
        Invoice.status.in_(TITLED),
        Invoice.origin_key.is_(None) | Invoice.origin_key.not_like("%:ac-balance"),
    )
    return list(session.scalars(query.order_by(Invoice.member_code, Invoice.section)))


def batch_invoices(session: Session, batch: str) -> list[Invoice]:
    """The titles of a liquidation batch, in the order they were liquidated."""
    query = select(Invoice).where(Invoice.liquidation_batch == batch).order_by(Invoice.id)
    return list(session.scalars(query))


def liquidation_batches(session: Session, exercice: int | None) -> list[tuple[str, list[Invoice]]]:
    """(batch, its titles) of every liquidation batch, newest batch first."""
    query = select(Invoice).where(Invoice.liquidation_batch.is_not(None))
    if exercice is not None:
        query = query.where(Invoice.exercice == exercice)
    batches: dict[str, list[Invoice]] = {}
    for invoice in session.scalars(query.order_by(Invoice.id)):
        assert invoice.liquidation_batch is not None
        batches.setdefault(invoice.liquidation_batch, []).append(invoice)
    return sorted(batches.items(), key=lambda b: b[1][0].id, reverse=True)


def signatories(session: Session, *, account_id: int | None = None) -> Sequence[Signatory]:
    """The register of signatories by last name; with ``account_id``, that account's entries."""
    query = select(Signatory).order_by(Signatory.last_name, Signatory.id)
    if account_id is not None:
        query = query.where(Signatory.account_id == account_id)
    return session.scalars(query).all()


def numbers_taken(session: Session, series: str, numbers: list[int]) -> set[int]:
    """Which of ``numbers`` titles of ``series`` already hold."""
    query = select(Invoice.number).where(Invoice.series == series, Invoice.number.in_(numbers))
    return {int(n) for n in session.scalars(query) if n is not None}


def mandate_proposals(session: Session, exercice: int) -> list[Invoice]:
    query = select(Invoice).where(Invoice.kind == "mandate", Invoice.exercice == exercice)
    return list(session.scalars(query.order_by(Invoice.number)))


def run_member(session: Session, run_id: int, member_code: str) -> RunMember | None:
    query = select(RunMember).where(
        RunMember.run_id == run_id, RunMember.member_code == member_code
    )
    return session.scalars(query).first()
