"""Test databases: one per service and backend, built from the service's own migrations.

PostgreSQL databases are named per test session (``mt<pid>_<service>``) so several test runs on
one server never collide, and dropped at the end. PostgreSQL is required unless
``MUTUALIS_TEST_SKIP_POSTGRES=1`` says otherwise: a silently skipped backend proves nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from kit.db import create_db_engine
from kit.migrations import upgrade

BACKENDS = ("sqlite", "postgresql")
PG_URL = os.environ.get(
    "MUTUALIS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
SKIP_POSTGRES = os.environ.get("MUTUALIS_TEST_SKIP_POSTGRES") == "1"


def postgres_answers() -> bool:
    try:
        with psycopg.connect(_libpq(PG_URL), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def drop_leftovers() -> list[str]:
    """Drop the test databases of runs that are no longer alive (a run killed before its end
    leaves its ``mt<pid>_…`` databases behind); those of live runs are left alone."""
    dropped = []
    pattern = re.compile(r"^mt(?:deploy)?(\d+)_")
    with psycopg.connect(_libpq(PG_URL), autocommit=True) as conn:
        names = [row[0] for row in conn.execute("SELECT datname FROM pg_database")]
        for name in names:
            match = pattern.match(name)
            if match and not Path(f"/proc/{match.group(1)}").exists():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                dropped.append(name)
    return dropped


class TestDatabases:
    __test__ = False

    def __init__(self, tmp_dir: Path) -> None:
        self.tmp_dir = tmp_dir
        self.prefix = f"mt{os.getpid()}"
        self._engines: dict[tuple[str, str], Engine] = {}
        self._pg_databases: list[str] = []

    def fresh_url(self, service: str, backend: str, suffix: str = "") -> str:
        """The URL of a new, empty database."""
        name = f"{service}{suffix}"
        if backend == "sqlite":
            path = self.tmp_dir / f"{name}.sqlite3"
            for leftover in self.tmp_dir.glob(f"{name}.sqlite3*"):
                leftover.unlink()
            return f"sqlite:///{path}"
        database = f"{self.prefix}_{name}".lower()
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{database}"')
        if database not in self._pg_databases:
            self._pg_databases.append(database)
        return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)

    def migrated_engine(self, service: str, backend: str) -> Engine:
        """An engine on a database of this session migrated to head (made once)."""
        key = (service, backend)
        if key not in self._engines:
            url = self.fresh_url(service, backend)
            upgrade(service, url)
            self._engines[key] = create_db_engine(url)
        return self._engines[key]

    @contextmanager
    def _admin(self) -> Iterator[psycopg.Connection]:
        with psycopg.connect(_libpq(PG_URL), autocommit=True) as conn:
            yield conn

    def close(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        if self._pg_databases:
            with self._admin() as conn:
                for database in self._pg_databases:
                    conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
