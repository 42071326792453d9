"""Runs stored before the compact explanation (formatted lines in ``run_members.lines``) still
explain themselves after the upgrade, to the character; a run stored compactly is formatted
back into ``lines`` when the migration is downgraded (both databases)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, MetaData, insert, select

from kit.db import create_db_engine, make_sessionmaker
from kit.migrations import downgrade, upgrade
from services.billing.app import create_app
from services.billing.engine.compute import compute
from services.billing.models import Run
from services.billing.runs import repository
from services.billing.runs.execution import _member_rows
from services.billing.settings import BillingSettings
from tests.billing.golden.make_run_golden import golden_snapshot
from tests.conftest import as_admin, sync_client
from tests.databases import TestDatabases

BEFORE = "b4d7e2a9c013"  # the last revision storing formatted lines only
GOLDEN = Path(__file__).parent / "golden" / "run_golden.json.gz"
AMOUNTS = (
    "payroll",
    "direct_operating",
    "direct_investment",
    "indirect_operating",
    "indirect_investment",
    "operating",
    "cap_reduction",
    "operating_invoiced",
    "investment",
)


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(gzip.decompress(GOLDEN.read_bytes()))
    return data


def insert_old_run(engine: Engine, golden: dict[str, Any]) -> None:
    """Run 7 as the previous revision stored it: formatted lines in ``run_members.lines``."""
    tables = MetaData()
    tables.reflect(engine, only=("runs", "run_members"))
    runs, members = tables.tables["runs"], tables.tables["run_members"]
    with engine.begin() as conn:
        conn.execute(
            insert(runs).values(
                id=7,
                fiscal_year=2025,
                kind="final",
                status="succeeded",
                progress=100,
                phase="done",
                launched_by="test",
                snapshot_hash="sha256:old",
                totals=golden["totals"],
                payroll=golden["payroll"],
                pools=golden["pools"],
                is_current=True,
            )
        )
        conn.execute(
            insert(members),
            [
                {
                    "run_id": 7,
                    "member_code": m["code"],
                    "name": m["code"],
                    "is_host": m["code"] == "m00",
                    "invoiced": m["code"] not in ("m00", "m05"),
                    "workstations": m["workstations"],
                    **{f"{k}_cents": m["totals"][k] for k in AMOUNTS},
                    "cap": m["cap"],
                    "lines": m["lines"],
                }
                for m in golden["members"]
            ],
        )


def explanations(url: str, run_id: int, codes: list[str]) -> dict[str, dict[str, Any]]:
    app = create_app(BillingSettings(database_url=url, environment="test", run_worker="inline"))
    try:
        with sync_client(app, headers=as_admin()) as client:
            return {
                code: client.get(f"/runs/{run_id}/members/{code}/explain").json() for code in codes
            }
    finally:
        app.state.engine.dispose()


def test_an_old_run_explains_itself_after_the_upgrade(
    backend: str, databases: TestDatabases, golden: dict[str, Any]
) -> None:
    url = databases.fresh_url("billing", backend, "_oldrun")
    upgrade("billing", url, BEFORE)
    engine = create_db_engine(url)
    try:
        insert_old_run(engine, golden)
        upgrade("billing", url)
    finally:
        engine.dispose()
    codes = [m["code"] for m in golden["members"]]
    explained = explanations(url, 7, codes)
    for member in golden["members"]:
        got = explained[member["code"]]
        assert got["lines"] == member["lines"], member["code"]
        assert got["check"]["adds_up"] is True
        assert got["cap"] == member["cap"]
    assert any(e["notes"] for e in explained.values())  # the workstations driver's sentence


def test_a_compact_run_gets_its_lines_back_when_the_migration_is_downgraded(
    backend: str, databases: TestDatabases, golden: dict[str, Any]
) -> None:
    url = databases.fresh_url("billing", backend, "_compact")
    upgrade("billing", url)
    engine = create_db_engine(url)
    result = compute(golden_snapshot())
    try:
        with make_sessionmaker(engine).begin() as session:
            run = Run(fiscal_year=2025, kind="final", status="succeeded", launched_by="test")
            run.progress, run.pools, run.payroll = 100, result.pools, result.payroll
            session.add(run)
            session.flush()
            run_id = run.id
            repository.add_members(session, _member_rows(run_id, result))
        with engine.connect() as conn:
            stored = conn.exec_driver_sql(
                "SELECT COUNT(*) FROM run_members WHERE explained IS NOT NULL AND lines IS NULL"
            ).scalar()
        assert stored == len(golden["members"])  # stored compactly: no formatted lines
        codes = [m["code"] for m in golden["members"]]
        compact = explanations(url, run_id, codes)
        for member in golden["members"]:
            assert compact[member["code"]]["lines"] == member["lines"]

        downgrade("billing", url, BEFORE)
        tables = MetaData()
        tables.reflect(engine, only=("run_members",))
        members = tables.tables["run_members"]
        with engine.connect() as conn:
            rows = dict(conn.execute(select(members.c.member_code, members.c.lines)).all())
        for member in golden["members"]:
            lines = rows[member["code"]]
            lines = json.loads(lines) if isinstance(lines, str) else lines
            assert lines == member["lines"], member["code"]

        upgrade("billing", url)  # and up again: they read from the formatted lines now
        again = explanations(url, run_id, codes[:3])
        for member in golden["members"][:3]:
            assert again[member["code"]]["lines"] == member["lines"]
    finally:
        engine.dispose()
