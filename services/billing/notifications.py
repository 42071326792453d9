"""The members told by mail of what billing did, through the registry's notifications.

A forecast made available (its run succeeded) → one ``forecast_available`` notification per
invoiced member with its notification PDF; titles validated → one ``titles_issued`` per member
with the avis des sommes à payer of each title; each correction → ``correction_issued``. The
registry renders and sends them (its mail worker) and keeps the proof: billing asks it back
when the forecast rule needs to know when a forecast's mails were accepted.

A bordereau the comptable rejected (a PES_ACQUIT) → one ``title_rejected`` per member whose
titles it carried; a title still owed past its 30 days → one ``title_overdue`` per title, from
the overdue sweeper (a periodic job of the billing process, ``start_overdue_sweeper``).

These run after the work they report was committed (the run worker, a request's background
task), never inside it: a registry that does not answer loses no billing work, it is logged,
and sending again is harmless (the registry keeps one notification per kind, reference and
member).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.client import ServiceClient
from kit.db import after_transaction, get_session, write_transaction
from kit.errors import AppError
from services.billing.engine.money import fmt
from services.billing.models import Bordereau, Invoice, Run, RunMember

logger = logging.getLogger("mutualis.billing.notifications")
PDF = "application/pdf"


def notifier(app: FastAPI) -> ServiceClient:
    """The registry client notifications go through (``app.state.registry_notifier``)."""
    client: ServiceClient | None = getattr(app.state, "registry_notifier", None)
    if client is None:
        settings = app.state.settings
        client = ServiceClient(
            "registry", settings.registry_url, caller="billing", secret=settings.internal_secret
        )
        app.state.registry_notifier = client
    return client


@contextmanager
def _scope(app: FastAPI) -> Iterator[Session]:
    """A transaction of its own that may write (the notices' PDFs are stored when first made):
    IMMEDIATE on SQLite, beside the requests that write; a test's session when overridden."""
    override = app.dependency_overrides.get(get_session)
    if override is not None:
        yield from override()
        return
    with write_transaction(app.state.sessionmaker) as session:
        yield session


@contextmanager
def _read_scope(app: FastAPI) -> Iterator[Session]:
    """A read-only unit of work (no write lock on SQLite); a test's session when overridden."""
    override = app.dependency_overrides.get(get_session)
    if override is not None:
        yield from override()
        return
    session: Session = app.state.sessionmaker()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def _attachment(filename: str, data: bytes) -> dict[str, str]:
    return {"filename": filename, "media_type": PDF,
            "content_base64": base64.b64encode(data).decode()}  # fmt: skip


def _post(app: FastAPI, bodies: list[dict[str, Any]]) -> None:
    client = notifier(app)
    for body in bodies:
        try:
            client.request("POST", "/notifications", json=body)
        except AppError as exc:
            logger.error("%s %s of %s not queued: %s", body["kind"], body["reference"],
                         body["member_code"], exc.detail)  # fmt: skip


def forecast_bodies(session: Session, run: Run, renewal_years: list[int]) -> list[dict[str, Any]]:
    """One notification per invoiced member of a forecast run, with its PDF as made available."""
    from services.billing.forecasts import archive
    from services.billing.forecasts.pdf import render_pdf
    from services.billing.forecasts.service import notification

    rows = session.scalars(
        select(RunMember).where(RunMember.run_id == run.id).order_by(RunMember.member_code)
    ).all()
    bodies = []
    for row in rows:
        if not row.invoiced:  # the host pays nothing: it is not notified
            continue
        notice = archive.archived(session, run.id, row.member_code)
        content = notification(run, row, renewal_years=renewal_years, notice=notice)
        made: dt.datetime | None = content["made_available_at"]
        context: dict[str, Any] = {
            "fiscal_year": run.fiscal_year,
            "operating": content["forecast"]["operating"]["amount"],
            "investment": content["forecast"]["investment"]["amount"],
            "budget_deadline": content["budget_deadline"].isoformat(),
            "made_available_at": made.isoformat() if made else None,
        }
        if notice is not None:
            context["archive_sha256"] = notice.sha256
        filename = f"notification-previsionnelle-{run.fiscal_year}-{row.member_code}.pdf"
        bodies.append({"kind": "forecast_available", "member_code": row.member_code,
                       "reference": f"forecast:{run.id}", "context": context,
                       "attachments": [_attachment(filename, render_pdf(content))]})  # fmt: skip
    return bodies


def run_succeeded(app: FastAPI, run_id: int) -> None:
    """Called by the run worker once a run succeeded: a forecast is notified to the members."""
    settings = app.state.settings
    if not settings.notifies_members:
        return
    try:
        with _scope(app) as session:
            run = session.get(Run, run_id)
            if run is None or run.kind != "forecast" or run.made_available_at is None:
                return
            bodies = forecast_bodies(session, run, settings.council_renewal_years)
    except Exception:  # the run stays made available; the mails can be asked again
        logger.exception("the forecast %s could not be prepared for mailing", run_id)
        return
    _post(app, bodies)


def _asap(session: Session, invoice: Invoice) -> bytes:
    """The avis des sommes à payer as the title's documents keep it (made once)."""
    from kit.db import utcnow
    from services.billing.invoices import repository
    from services.billing.invoices.documents import stored_document
    from services.billing.invoices.pdf import render_asap, utc_second

    document = repository.document(session, invoice.id, "pdf")
    if document is None:
        original = repository.get(session, invoice.original_id) if invoice.original_id else None
        now = utc_second(utcnow())
        data = render_asap(invoice, original=original, made_at=now)
        document = stored_document(session, invoice, "pdf", PDF, data, now)
    return bytes(document.data)


def _reference(prefix: str, ids: list[int]) -> str:
    reference = f"{prefix}:{'+'.join(str(i) for i in ids)}"
    if len(reference) > 120:
        reference = f"{prefix}:{hashlib.sha256(reference.encode()).hexdigest()[:40]}"
    return reference


def issued_bodies(session: Session, invoices: list[Invoice]) -> list[dict[str, Any]]:
    """Per member, its titles in one notification; each correction in its own."""
    by_member: dict[str, list[Invoice]] = {}
    bodies = []
    for invoice in sorted(invoices, key=lambda i: (i.member_code, i.id)):
        if invoice.status != "issued" or not invoice.reference:
            continue
        if invoice.kind == "title":
            by_member.setdefault(invoice.member_code, []).append(invoice)
            continue
        original = session.get(Invoice, invoice.original_id) if invoice.original_id else None
        pdf = _asap(session, invoice)
        notice = _attachment(f"avis-sommes-a-payer-{invoice.reference}.pdf", pdf)
        correction = {"kind": invoice.kind, "reference": invoice.reference,
                      "original_reference": original.reference if original else "",
                      "total": fmt(invoice.total_cents)}  # fmt: skip
        bodies.append({"kind": "correction_issued", "member_code": invoice.member_code,
                       "reference": f"invoice:{invoice.id}",
                       "context": {"corrections": [correction]},
                       "attachments": [notice]})  # fmt: skip
    for code, titles in by_member.items():
        bodies.append({
            "kind": "titles_issued", "member_code": code,
            "reference": _reference("invoice", [t.id for t in titles]),
            "context": {"titles": [{"reference": t.reference, "fiscal_year": t.fiscal_year,
                                    "section": t.section, "total": fmt(t.total_cents)}
                                   for t in titles]},
            "attachments": [_attachment(f"avis-sommes-a-payer-{t.reference}.pdf",
                                        _asap(session, t)) for t in titles],
        })  # fmt: skip
    return bodies


def mail_once_committed(session: Session, app: FastAPI, invoices: list[Invoice]) -> None:
    """Once the validation's transaction has ended, each member's notices are mailed, in a
    thread of their own (the PDFs take time; ``app.state.mail_threads`` lets a test wait for
    it). A validation rolled back mails nothing: only titles found issued are."""
    ids = [i.id for i in invoices]
    if not ids or not app.state.settings.notifies_members:
        return

    def start() -> None:
        thread = threading.Thread(target=invoices_issued, args=(app, ids), name="billing-mail")
        threads = [t for t in getattr(app.state, "mail_threads", []) if t.is_alive()]
        app.state.mail_threads = [*threads, thread]
        thread.start()

    after_transaction(session, start)


def invoices_issued(app: FastAPI, invoice_ids: list[int]) -> None:
    """Mail the notices of titles and corrections issued (committed)."""
    if not invoice_ids or not app.state.settings.notifies_members:
        return
    try:
        with _scope(app) as session:
            invoices = list(session.scalars(select(Invoice).where(Invoice.id.in_(invoice_ids))))
            bodies = issued_bodies(session, invoices)
    except Exception:
        logger.exception("the titles %s could not be prepared for mailing", invoice_ids)
        return
    _post(app, bodies)


def forecast_notified(app: FastAPI) -> Callable[[Run], dt.datetime | None] | None:
    """For the forecast rule (D5211-16): when a forecast run counts as notified — once the
    registry's mail server accepted the mail of every member notified, the last acceptance —
    or None (then the rule reads the date it was made available) when members are not
    notified by mail here."""
    if not app.state.settings.notifies_members:
        return None
    client = notifier(app)

    def notified_at(run: Run) -> dt.datetime | None:
        params = {"kind": "forecast_available", "reference": f"forecast:{run.id}", "limit": 500}
        items = client.get_json("/notifications", params=params)["items"]
        accepted = [n.get("accepted_at") for n in items]
        if not accepted or not all(accepted):
            return None
        return max(dt.datetime.fromisoformat(a.replace("Z", "+00:00")) for a in accepted)

    return notified_at


def rejected_bodies(session: Session, acknowledgement_id: int) -> list[dict[str, Any]]:
    """Per member, the titles of each bordereau this acknowledgement rejected, with the
    comptable's reasons about the bordereau as a whole (in French, never the DGFiP's codes)."""
    from services.billing.invoices import helios_repository

    query = select(Bordereau).where(
        Bordereau.acknowledgement_id == acknowledgement_id, Bordereau.ack_status == "rejected"
    )
    bodies = []
    for bordereau in session.scalars(query.order_by(Bordereau.id)):
        whole = [e for e in bordereau.ack_errors or [] if e.get("piece") is None]
        reasons = sorted({e.get("explanation") or e.get("label") or "" for e in whole} - {""})
        by_member: dict[str, list[Invoice]] = {}
        for title in helios_repository.bordereau_invoices(session, bordereau.id):
            if title.reference:
                by_member.setdefault(title.member_code, []).append(title)
        for code, titles in sorted(by_member.items()):
            bodies.append({
                "kind": "title_rejected", "member_code": code,
                "reference": f"rejected:bordereau:{bordereau.id}",
                "context": {"reasons": reasons,
                            "titles": [{"reference": t.reference, "fiscal_year": t.fiscal_year,
                                        "section": t.section, "total": fmt(t.total_cents)}
                                       for t in titles]},
            })  # fmt: skip
    return bodies


def rejections_once_committed(session: Session, app: FastAPI, acknowledgement_id: int) -> None:
    """Once the acknowledgement's transaction has ended, the members whose titles it rejected
    are told, in a thread (``app.state.mail_threads``); rolled back, nothing is mailed."""
    if not app.state.settings.notifies_members:
        return

    def start() -> None:
        thread = threading.Thread(
            target=titles_rejected, args=(app, acknowledgement_id), name="billing-mail"
        )
        threads = [t for t in getattr(app.state, "mail_threads", []) if t.is_alive()]
        app.state.mail_threads = [*threads, thread]
        thread.start()

    after_transaction(session, start)


def titles_rejected(app: FastAPI, acknowledgement_id: int) -> None:
    try:
        with _read_scope(app) as session:
            bodies = rejected_bodies(session, acknowledgement_id)
    except Exception:
        logger.exception("the rejections of acknowledgement %s not prepared", acknowledgement_id)
        return
    _post(app, bodies)


def overdue_bodies(session: Session, today: dt.date) -> list[dict[str, Any]]:
    """One per title still owed past its term (``payments.owed``), referenced by the title:
    mailed once, whatever the sweeps after; not while its bordereau stands rejected."""
    from services.billing.invoices.payments import owed

    rejected = set(session.scalars(select(Bordereau.id).where(Bordereau.ack_status == "rejected")))
    bodies = []
    for row in sorted(owed(session, member_code=None, today=today), key=lambda o: o.title.id):
        t = row.title
        if not row.overdue or t.issued_on is None or t.bordereau_id in rejected:
            continue  # a title the comptable rejected is not owed until it is sent again
        bodies.append({
            "kind": "title_overdue", "member_code": t.member_code,
            "reference": f"overdue:invoice:{t.id}",
            "context": {"reference": t.reference, "fiscal_year": t.fiscal_year,
                        "issued_on": t.issued_on.isoformat(), "age_days": row.age_days,
                        "outstanding": fmt(row.outstanding)},
        })  # fmt: skip
    return bodies


def sweep_overdue(app: FastAPI, today: dt.date | None = None) -> int:
    """Ask the registry to mail each title overdue on ``today`` (Paris); how many asked."""
    if not app.state.settings.notifies_members:
        return 0
    from zoneinfo import ZoneInfo

    day = today or dt.datetime.now(ZoneInfo("Europe/Paris")).date()
    with _read_scope(app) as session:
        bodies = overdue_bodies(session, day)
    _post(app, bodies)
    return len(bodies)


def start_overdue_sweeper(app: FastAPI) -> None:
    from kit.periodic import PeriodicJob

    settings = app.state.settings
    if settings.notifies_members and settings.overdue_sweeper:
        seconds = settings.overdue_sweep_seconds
        app.state.overdue_sweeper = PeriodicJob(
            "billing-overdue", seconds, lambda: sweep_overdue(app)
        )
        app.state.overdue_sweeper.start()


def stop_overdue_sweeper(app: FastAPI) -> None:
    job = getattr(app.state, "overdue_sweeper", None)
    if job is not None:
        job.stop()
        app.state.overdue_sweeper = None
