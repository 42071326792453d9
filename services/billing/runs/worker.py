"""The run worker: a thread of the billing process that computes queued runs.

``dispatch`` is called after a launch is committed. In ``thread`` mode it wakes one daemon
thread per process, which claims queued runs one at a time (the claim is atomic in the database,
so replicas never compute the same run); in ``inline`` mode (tests, tools) the run is computed
right away in the caller's thread.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kit.client import ServiceClient
from kit.db import get_session
from services.billing import notifications
from services.billing.runs import repository
from services.billing.runs.execution import execute_run, fail_expired
from services.billing.runs.inputs import HttpInputs, InputsSource
from services.billing.settings import BillingSettings

logger = logging.getLogger("mutualis.billing.worker")
WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"


def session_scope(app: FastAPI) -> Iterator[Session]:
    """A committed unit of work, from the same session factory as the requests (honouring an
    override of ``get_session``, as tests do)."""
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


def inputs_source(app: FastAPI) -> InputsSource:
    """The registry and catalogue readers (``app.state.inputs_source`` may hold another)."""
    source: InputsSource | None = getattr(app.state, "inputs_source", None)
    if source is None:
        settings: BillingSettings = app.state.settings
        secret = settings.internal_secret
        source = HttpInputs(
            ServiceClient("registry", settings.registry_url, caller="billing", secret=secret),
            ServiceClient("catalogue", settings.catalogue_url, caller="billing", secret=secret),
            settings.upstream_page_size,
        )
        app.state.inputs_source = source
    return source


def process_queued(app: FastAPI) -> int:
    """Compute every queued run this worker can claim; returns how many it computed."""
    scope = contextmanager(lambda: session_scope(app))
    done = 0
    while True:
        with scope() as session:
            queued = repository.queued_ids(session)
        if not queued:
            return done
        for run_id in queued:
            lease = app.state.settings.run_lease_seconds
            outcome = execute_run(scope, run_id, inputs_source(app), WORKER_NAME, lease=lease)
            if outcome == "succeeded":
                notifications.run_succeeded(app, run_id)  # a forecast is mailed to the members
            if outcome != "not-claimed":
                done += 1


def recover(app: FastAPI) -> None:
    """At startup: fail the runs whose process died (expired lease) and compute the runs
    left queued (launched, but their process stopped before computing them)."""
    scope = contextmanager(lambda: session_scope(app))
    try:
        with scope() as session:
            fail_expired(session)
            queued = repository.queued_ids(session)
    except SQLAlchemyError as exc:  # not migrated yet: /readyz says so; start all the same
        logger.warning("runs not recovered at startup: %s", type(exc).__name__)
        return
    if queued:
        dispatch(app)


def dispatch(app: FastAPI) -> None:
    settings: BillingSettings = app.state.settings
    if settings.run_worker == "inline":
        process_queued(app)
        return
    lock: threading.Lock = app.state.run_worker_lock
    with lock:
        thread: threading.Thread | None = getattr(app.state, "run_worker_thread", None)
        app.state.run_worker_wake = True
        if thread is not None and thread.is_alive():
            return
        thread = threading.Thread(target=_loop, args=(app,), name="billing-runs", daemon=True)
        app.state.run_worker_thread = thread
        thread.start()


def _loop(app: FastAPI) -> None:
    lock: threading.Lock = app.state.run_worker_lock
    while True:
        with lock:
            if not app.state.run_worker_wake:
                return
            app.state.run_worker_wake = False
        try:
            process_queued(app)
        except Exception:  # keep the process alive; the run itself records its failure
            logger.exception("the run worker stopped on an error")
