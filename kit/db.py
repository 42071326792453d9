"""Database plumbing: declarative base factory, timestamps, engines and the request session.

Rules (see CONTRIBUTING.md): repositories hold every query, services never commit, and the one
request-level dependency ``get_session`` commits when the endpoint succeeded or rolls back.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    MetaData,
    String,
    TypeDecorator,
    create_engine,
    event,
    func,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_metadata() -> MetaData:
    """A fresh MetaData with the project's constraint naming convention (stable migrations)."""
    return MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """``DateTime(timezone=True)`` that always comes back with its offset: SQLite keeps none,
    so a value is stored in UTC and read back as UTC (PostgreSQL's timestamptz does both).
    Every timestamp the API answers then carries its offset."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is not None and dialect.name == "sqlite":
            return value.astimezone(dt.UTC)
        return value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(
        UtcDateTime(), default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        UtcDateTime(), default=utcnow, onupdate=utcnow, server_default=func.now()
    )


class AuditEntryMixin:
    """Before/after of one write, with the principal that made it (each service keeps its own)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    principal: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))  # create | update | delete | <verb>
    resource_type: Mapped[str] = mapped_column(String(60))
    resource_id: Mapped[str] = mapped_column(String(200), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(100))


def _private_file(path: str | None) -> None:
    """Create a new SQLite file readable by its owner only (0600): it holds personal data and
    password hashes. SQLite gives its -wal and -shm files the same permissions."""
    if not path or path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


SQLITE_BEGIN = "mutualis_sqlite_begin"
WRITER = {SQLITE_BEGIN: "IMMEDIATE"}  # execution options of a session that writes
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def create_db_engine(url: str, **kwargs: Any) -> Engine:
    """An engine tuned for the backend: SQLite gets foreign keys, WAL and a busy timeout."""
    if url.startswith("sqlite"):
        path = make_url(url).database
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )

        @event.listens_for(engine, "do_connect")
        def _sqlite_file(*_args: Any) -> None:
            _private_file(path)  # at the first connection, not when the engine is made

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not pysqlite, emit BEGIN: savepoints then work as documented.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # DEFERRED by default; a service's write request asks for IMMEDIATE (``WRITER``),
            # which takes the write lock at BEGIN, waiting up to the busy timeout for another
            # writer, so that concurrent writers queue instead of failing when they upgrade a
            # read lock ("database is locked"). Readers never wait for writers under WAL.
            mode = conn.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


AFTER_TRANSACTION = "mutualis_after_transaction"  # session.info key: see ``after_transaction``
log = logging.getLogger("mutualis.db")


def immediate(session: Session) -> Session:
    """On SQLite, begin the session's transaction IMMEDIATE (see ``create_db_engine``)."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options=WRITER)
    return session


@contextmanager
def write_transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A transaction of its own that writes: committed at the end, IMMEDIATE on SQLite."""
    with factory.begin() as session:
        yield immediate(session)


def after_transaction(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` once the request transaction of ``session`` has ended, committed or
    rolled back — for what must be kept whatever the request's outcome (a refused login's
    security event) and, on SQLite, cannot be written beside a transaction holding the write
    lock. Outside a request session, it runs at once."""
    pending: list[Callable[[], None]] | None = session.info.get(AFTER_TRANSACTION)
    if pending is None:
        action()
    else:
        pending.append(action)


def get_session(request: Request) -> Iterator[Session]:
    """One session per request: committed if the endpoint returned, rolled back otherwise.
    On SQLite, a write request starts its transaction IMMEDIATE (see ``create_db_engine``):
    concurrent writers queue for the lock instead of failing. What the request leaves for
    after its transaction (``after_transaction``) runs once it has ended."""
    session: Session = request.app.state.sessionmaker()
    pending: list[Callable[[], None]] = []
    session.info[AFTER_TRANSACTION] = pending
    if request.method not in SAFE_METHODS:
        immediate(session)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
        for action in pending:
            try:
                action()
            except Exception:  # the request's answer stands; the failure is logged
                log.exception("an action after the request transaction failed")


DbSession = Annotated[Session, Depends(get_session, scope="function")]
