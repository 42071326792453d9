"""The governance deadline sweeper: a periodic job of the governance process (never a request)
that finds what falls due (``due.py``) and asks the registry to mail it (``POST
/notifications`` over HTTP, as governance reads the registry). The registry keeps one
notification per (kind, reference, member): a second sweep, or a second replica, answers 200
and mails nothing more. A registry away loses nothing: the next sweep asks again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from sqlalchemy.orm import Session

from kit.clock import SYSTEM_CLOCK, Clock
from kit.db import get_session
from kit.errors import AppError, GatewayTimeout, ServiceUnavailable
from kit.periodic import PeriodicJob
from services.governance.notify import due
from services.governance.reports import upstream

logger = logging.getLogger("mutualis.governance.notify")
PARIS = ZoneInfo("Europe/Paris")


@dataclass
class SweepResult:
    queued: list[str] = field(default_factory=list)  # "kind reference member" newly queued
    known: int = 0  # already queued by an earlier sweep
    failed: int = 0  # the registry refused or did not answer: asked again next time


@contextmanager
def _session(app: FastAPI) -> Iterator[Session]:
    """A read-only unit of work (a test's session when ``get_session`` is overridden)."""
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


def due_bodies(app: FastAPI, now: dt.datetime) -> list[due.Body]:
    settings = app.state.settings
    today = now.astimezone(PARIS).date()

    @cache
    def everyone() -> list[str]:
        return sorted(upstream.member_names(upstream.client(app, "registry")))

    with _session(app) as session:
        return [
            *due.decisions_due(session, today, settings.decision_reminder_days, everyone),
            *due.actions_due(session, today, settings.decision_reminder_days, everyone),
            *due.breaches_due(session, now),
            *due.requests_due(session, today, settings.gdpr_request_reminder_days),
        ]


def sweep(app: FastAPI, now: dt.datetime | None = None) -> SweepResult:
    """Ask the registry to mail each deadline falling due at ``now`` (the app's clock)."""
    clock: Clock = getattr(app.state, "clock", SYSTEM_CLOCK)
    result = SweepResult()
    try:
        bodies = due_bodies(app, now or clock.now())
    except (ServiceUnavailable, GatewayTimeout) as exc:  # the member list: next sweep
        logger.warning("deadlines not swept: %s", exc.detail)
        result.failed += 1
        return result
    registry = upstream.client(app, "registry")
    for n, body in enumerate(bodies):
        try:
            answer = registry.request("POST", "/notifications", json=body)
        except (ServiceUnavailable, GatewayTimeout) as exc:  # registry away: all next sweep
            logger.warning("deadlines not queued (%s left): %s", len(bodies) - n, exc.detail)
            result.failed += len(bodies) - n
            break
        except AppError as exc:
            result.failed += 1
            logger.error("%s %s of %s not queued: %s", body["kind"], body["reference"],
                         body["member_code"], exc.detail)  # fmt: skip
            continue
        if answer.status_code == 201:
            result.queued.append(f"{body['kind']} {body['reference']} {body['member_code']}")
        else:
            result.known += 1
    if result.queued:
        logger.info("%s deadline notification(s) queued", len(result.queued))
    return result


def start_sweeper(app: FastAPI) -> None:
    settings = app.state.settings
    if settings.notify_sweeper_on:
        job = PeriodicJob("governance-deadlines", settings.notify_sweep_seconds, lambda: sweep(app))
        app.state.notify_sweeper = job
        job.start()


def stop_sweeper(app: FastAPI) -> None:
    job: PeriodicJob | None = getattr(app.state, "notify_sweeper", None)
    if job is not None:
        job.stop()
        app.state.notify_sweeper = None
