"""The mail worker: a thread of the registry process that sends the queued deliveries.

Each due delivery is claimed (``queued → sending``, atomic), sent in its own connection, and
recorded with the server's answer: accepted → ``sent`` with ``sent_at``; a temporary refusal
(4xx, no server) → ``queued`` again after the next delay of ``mail_retry_delays``, ``dead`` past
the last; a permanent refusal (5xx) → ``failed``. Nothing is sent inside a request.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kit.db import get_session, utcnow
from services.registry.models import Delivery, Notification
from services.registry.notifications import repository
from services.registry.notifications.mailer import Outgoing, Refused, Server, send
from services.registry.settings import RegistrySettings

logger = logging.getLogger("mutualis.registry.mail")


@contextmanager
def session_scope(app: FastAPI) -> Iterator[Session]:
    """A committed unit of work from the requests' session factory (honouring a test's
    override of ``get_session``)."""
    override = app.dependency_overrides.get(get_session)
    if override is not None:
        yield from override()
        return
    session: Session = app.state.sessionmaker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def server_of(app: FastAPI) -> Server | None:
    """The configured relay, else the development catch-all when it runs, else None."""
    settings: RegistrySettings = app.state.settings
    if settings.smtp_host:
        return Server.of(settings)
    catch_all = getattr(app.state, "dev_mailbox", None)
    if catch_all is not None:
        return Server("127.0.0.1", catch_all.port, timeout=settings.smtp_timeout_seconds)
    return None


def _outgoing(session: Session, delivery: Delivery) -> Outgoing:
    notification = session.get(Notification, delivery.notification_id)
    assert notification is not None
    files = repository.attachments_of(session, [notification.id])[notification.id]
    return Outgoing(
        to=delivery.email,
        subject=notification.subject,
        text=notification.body_text,
        html=notification.body_html,
        attachments=[(a.filename, a.media_type, a.data) for a in files],
    )


def record(delivery: Delivery, delays: list[int], now: dt.datetime, error: Refused | None) -> None:
    """The outcome of one attempt on the delivery (pure but for the row)."""
    delivery.attempts += 1
    if error is None:
        return
    delivery.smtp_code, delivery.smtp_answer = error.code, error.text[:2000]
    delivery.last_error = str(error)[:2000]
    if not error.temporary:
        delivery.status, delivery.next_attempt_at = "failed", None
    elif delivery.attempts > len(delays):
        delivery.status, delivery.next_attempt_at = "dead", None
    else:
        delivery.status = "queued"
        delivery.next_attempt_at = now + dt.timedelta(seconds=delays[delivery.attempts - 1])


def deliver_one(app: FastAPI, delivery_id: int, server: Server) -> str:
    settings: RegistrySettings = app.state.settings
    with session_scope(app) as session:
        if not repository.claim(session, delivery_id):
            return "not-claimed"
        delivery = session.get(Delivery, delivery_id)
        assert delivery is not None
        mail = _outgoing(session, delivery)
    try:
        answer = send(server, settings.smtp_from, mail)
        error = None
    except Refused as exc:
        error = exc
    with session_scope(app) as session:
        delivery = session.get(Delivery, delivery_id)
        assert delivery is not None
        now = utcnow()
        record(delivery, settings.mail_retry_delays, now, error)
        if error is None:
            delivery.status, delivery.sent_at, delivery.next_attempt_at = "sent", now, None
            delivery.smtp_code, delivery.smtp_answer = answer.code, answer.text[:2000]
            delivery.last_error = None
        else:
            logger.warning("delivery %s to %s: %s", delivery_id, delivery.email, error)
        return delivery.status


def recover_sending(app: FastAPI) -> None:
    """At start-up: a delivery left ``sending`` by a process that stopped mid-send is queued
    again (the server may have accepted it: a duplicate is better than a mail never sent)."""
    try:
        with session_scope(app) as session:
            repository.requeue_sending(session)
    except SQLAlchemyError as exc:
        logger.warning("deliveries not recovered at start-up: %s", type(exc).__name__)


def deliver_due(app: FastAPI, now: dt.datetime | None = None) -> int:
    """Send every delivery due now; how many were attempted."""
    server = server_of(app)
    if server is None:
        return 0
    done = 0
    with session_scope(app) as session:
        due = repository.due_ids(session, now or utcnow(), limit=500)
    for delivery_id in due:
        if deliver_one(app, delivery_id, server) != "not-claimed":
            done += 1
    return done


class MailWorker:
    """The sending thread, started and stopped with the app (its lifespan)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="registry-mail", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        poll = self.app.state.settings.mail_poll_seconds
        while not self._stop.is_set():
            try:
                deliver_due(self.app)
            except SQLAlchemyError as exc:  # not migrated yet, database away: try again later
                logger.warning("mail worker: %s", type(exc).__name__)
            except Exception:  # keep the thread alive; the delivery records its own failure
                logger.exception("the mail worker stopped on an error")
            self._stop.wait(poll)


def start_mail(app: FastAPI) -> None:
    """The development catch-all when it is on, then the sending thread when there is a
    server to send to (a production without ``MUTUALIS_REGISTRY_SMTP_HOST`` only queues), and
    the deadline sweeper that queues the conventions' deadlines."""
    from kit.periodic import PeriodicJob
    from services.registry.conventions.reminders import sweep
    from services.registry.notifications.devmail import start_catch_all

    settings: RegistrySettings = app.state.settings
    if settings.deadline_sweeper_on:
        job = PeriodicJob("registry-deadlines", settings.deadline_sweep_seconds, lambda: sweep(app))
        app.state.deadline_sweeper = job
        job.start()
    if settings.dev_mailbox_on and not settings.smtp_host:
        app.state.dev_mailbox = start_catch_all(app, settings.dev_mailbox_port)
        port = app.state.dev_mailbox.port
        logger.info("development mailbox: SMTP on 127.0.0.1:%s, read in Courriels", port)
    if settings.mail_worker and server_of(app) is not None:
        recover_sending(app)
        app.state.mail_worker = MailWorker(app)
        app.state.mail_worker.start()
    elif not settings.smtp_host:
        logger.warning("no SMTP server (MUTUALIS_REGISTRY_SMTP_HOST): notifications stay queued")


def stop_mail(app: FastAPI) -> None:
    sweeper = getattr(app.state, "deadline_sweeper", None)
    if sweeper is not None:
        sweeper.stop()
        app.state.deadline_sweeper = None
    worker: MailWorker | None = getattr(app.state, "mail_worker", None)
    if worker is not None:
        worker.stop()
        app.state.mail_worker = None
    catch_all = getattr(app.state, "dev_mailbox", None)
    if catch_all is not None:
        catch_all.stop()
        app.state.dev_mailbox = None
