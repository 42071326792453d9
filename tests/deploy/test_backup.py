"""Dump every service database, restore the set into fresh databases, check it explains
itself — with the documented commands, on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from mutualis.apps import DATABASE_APPS
from tests.databases import _libpq
from tests.deploy.platform import PgDatabases, Platform

pytestmark = pytest.mark.postgresql


@pytest.fixture
def target() -> Iterator[PgDatabases]:
    databases = PgDatabases("restored")
    yield databases
    databases.drop()


def counts(databases: PgDatabases, app: str) -> dict[str, int]:
    with psycopg.connect(_libpq(databases.url(app))) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # type: ignore[index]


def mutualis(platform: Platform, databases: PgDatabases, *args: str) -> str:
    return platform.run_job(*args, env=databases.environment())


def test_dump_restore_and_check_round_trip(
    platform: Platform, final_run: dict[str, object], target: PgDatabases, tmp_path: Path
) -> None:
    folder = tmp_path / "backup"
    mutualis(platform, platform.databases, "backup", str(folder))
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {e["app"] for e in manifest["databases"]} == {s.name for s in DATABASE_APPS}

    mutualis(platform, target, "restore", str(folder))
    for spec in DATABASE_APPS:
        assert counts(target, spec.name) == counts(platform.databases, spec.name), spec.name

    report = mutualis(platform, target, "check-restore")
    assert "Cohérent." in report
    assert "billing: 1 runs, snapshots verified" in report


def test_check_restore_reports_a_snapshot_that_no_longer_matches(
    platform: Platform, final_run: dict[str, object], target: PgDatabases, tmp_path: Path
) -> None:
    folder = tmp_path / "backup"
    mutualis(platform, platform.databases, "backup", str(folder), "--only", "billing")
    mutualis(platform, target, "restore", str(folder), "--only", "billing")
    with psycopg.connect(_libpq(target.url("billing"))) as conn:
        conn.execute("UPDATE run_snapshots SET content_hash = 'sha256:0', data = data")
        conn.execute("UPDATE runs SET snapshot_hash = 'sha256:forged'")
    with pytest.raises(AssertionError, match="snapshot missing or not its hash"):
        mutualis(platform, target, "check-restore", "--only", "billing")


def test_restore_refuses_an_altered_dump(
    platform: Platform, target: PgDatabases, tmp_path: Path
) -> None:
    folder = tmp_path / "backup"
    mutualis(platform, platform.databases, "backup", str(folder), "--only", "registry")
    with (folder / "registry.dump").open("ab") as dump:
        dump.write(b"tampered")
    with pytest.raises(AssertionError, match="missing or altered"):
        mutualis(platform, target, "restore", str(folder), "--only", "registry")


def test_restore_refuses_a_database_that_holds_data(platform: Platform, tmp_path: Path) -> None:
    folder = tmp_path / "backup"
    mutualis(platform, platform.databases, "backup", str(folder), "--only", "registry")
    with pytest.raises(AssertionError, match="already holds tables"):
        mutualis(platform, platform.databases, "restore", str(folder), "--only", "registry")
