"""Benchmark: a final billing run end to end, against a bare SQL aggregation as the floor.

Generates 1,000 members, 100,000 cost lines (70 % direct over 1–5 members, 30 % indirect),
20 drivers and 1,000,000 usage measurements (sizes are parameters). For each backend (SQLite
file, PostgreSQL database created and dropped here) it:

1. migrates a scratch billing database, sets the fiscal year and imports a cap history;
2. times a final run end to end through the billing API (launch → claim → snapshot with its
   hash → compute → results stored → status read back). The registry/catalogue reads are
   replaced by an in-process source handing over the generated inputs, so the figure is the
   billing run itself, not the upstreams' HTTP serialisation (see docs/billing.md);
3. loads the same data into bench tables of that database and times one SQL query computing
   every member's payroll, direct and indirect totals by section (no cents, no cap, no
   explanation): the floor;
4. prints the ratio run / floor, and with ``--profile`` where the time of the run goes.

    .venv/bin/python bench/billing_run.py --backend both
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import dataclasses
import io
import os
import pstats
import random
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kit.db import create_db_engine, make_sessionmaker  # noqa: E402
from kit.identity import Principal, request_signer  # noqa: E402
from kit.migrations import upgrade  # noqa: E402
from kit.settings import PLACEHOLDER_SECRET  # noqa: E402
from services.billing.app import create_app  # noqa: E402
from services.billing.engine.compute import compute  # noqa: E402
from services.billing.engine.money import to_cents  # noqa: E402
from services.billing.engine.snapshot import (  # noqa: E402
    CostLine,
    Member,
    Parameters,
    Snapshot,
    canonical_bytes,
    content_hash,
    to_document,
)
from services.billing.models import FiscalYear, HistoryTotal  # noqa: E402
from services.billing.runs.inputs import UpstreamInputs  # noqa: E402
from services.billing.settings import BillingSettings  # noqa: E402

PG_ADMIN = os.environ.get(
    "MUTUALIS_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
YEAR = 2024
ENVELOPE_CENTS = 2_850_000_00


def generate(members: int, cost_lines: int, drivers: int, usage: int) -> UpstreamInputs:
    rng = random.Random(2024)
    codes = [sys.intern(f"member-{i:04d}") for i in range(members)]
    driver_codes = [sys.intern(f"driver-{d:02d}") for d in range(drivers)]
    lines = []
    for i in range(cost_lines):
        section = "operating" if rng.random() < 0.8 else "investment"
        amount = f"{rng.randint(100, 5_000_000) / 100:.2f}"
        common = {
            "component_code": f"comp-{i % 5000:04d}",
            "service_code": "svc",
            "section": section,
            "amount": amount,
            "fiscal_year": YEAR,
            "nature": "licence",
        }
        if rng.random() < 0.7:
            chosen = rng.sample(codes, rng.randint(1, 5))
            allocation = tuple((c, str(rng.randint(1, 100))) for c in chosen)
            lines.append(
                CostLine(cost_line_id=str(i + 1), mode="direct", allocation=allocation, **common)
            )
        else:
            driver = driver_codes[i % drivers]
            lines.append(
                CostLine(cost_line_id=str(i + 1), mode="indirect", driver_code=driver, **common)
            )
    # in the order the catalogue's bulk read hands them over: by (driver_code, member_code)
    measurements = tuple(
        sorted(
            (driver_codes[i % drivers], codes[rng.randrange(members)], str(rng.randint(1, 500)))
            for i in range(usage)
        )
    )
    return UpstreamInputs(
        members=tuple(Member(c, c, i == 0, i != 0, "2015-01-01") for i, c in enumerate(codes)),
        workstations=tuple((c, rng.randint(5, 1500)) for c in codes),
        drivers=tuple((d, "u") for d in driver_codes),
        cost_lines=tuple(lines),
        usage=measurements,
    )


def summed(inputs: UpstreamInputs) -> UpstreamInputs:
    """The same inputs with the usage summed per (driver, member), in that order, as the
    catalogue hands it over once it serves sums (about 20,000 rows instead of 1,000,000)."""
    sums: dict[tuple[str, str], int] = {}
    for driver, member, quantity in inputs.usage:
        sums[driver, member] = sums.get((driver, member), 0) + int(quantity)
    usage = tuple((d, m, str(q)) for (d, m), q in sorted(sums.items()))
    return dataclasses.replace(inputs, usage=usage)


class GeneratedInputs:
    def __init__(self, inputs: UpstreamInputs) -> None:
        self.inputs = inputs

    def fetch(self, fiscal_year: int, progress: Any) -> UpstreamInputs:
        return self.inputs


@contextlib.contextmanager
def scratch_database(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-billing-") as tmp:
            yield f"sqlite:///{tmp}/billing.sqlite3"
        return
    name = f"bench_billing_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_billing(url: str, inputs: UpstreamInputs) -> None:
    engine = create_db_engine(url)
    with make_sessionmaker(engine).begin() as session:
        session.add(FiscalYear(year=YEAR, payroll_envelope_cents=ENVELOPE_CENTS, cap_window=3))
        rng = random.Random(7)
        for member in inputs.members[1:]:
            for year in (YEAR - 3, YEAR - 2, YEAR - 1):
                cents = rng.randint(100_000, 80_000_000)
                session.add(
                    HistoryTotal(
                        fiscal_year=year,
                        member_code=member.code,
                        operating_total_cents=cents,
                        source="bench",
                    )
                )
    engine.dispose()


def timed_run(url: str, inputs: UpstreamInputs) -> tuple[float, dict[str, Any]]:
    app = create_app(BillingSettings(database_url=url, run_worker="inline"))
    app.state.inputs_source = GeneratedInputs(inputs)
    principal = Principal(subject="bench", name="bench", kind="staff", roles=["finance"])
    with TestClient(app) as client:
        client.event_hooks = {"request": [request_signer(principal, PLACEHOLDER_SECRET, "billing")]}
        started = time.perf_counter()
        launched = client.post("/runs", json={"fiscal_year": YEAR, "kind": "final"})
        run = client.get(f"/runs/{launched.json()['id']}").json()
        elapsed = time.perf_counter() - started
    app.state.engine.dispose()
    if run["status"] != "succeeded":
        raise SystemExit(f"the run failed: {run['problems'][:5]}")
    return elapsed, run


FLOOR_SQL = """
WITH w AS (SELECT cost_line_id, SUM(weight) AS total FROM bench_allocations GROUP BY cost_line_id),
direct AS (
  SELECT a.member, c.section, SUM(c.amount_cents * a.weight / w.total) AS amount
  FROM bench_allocations a JOIN w ON w.cost_line_id = a.cost_line_id
  JOIN bench_cost_lines c ON c.id = a.cost_line_id GROUP BY a.member, c.section),
u AS (SELECT driver, member, SUM(quantity) AS q FROM bench_usage GROUP BY driver, member),
ut AS (SELECT driver, SUM(q) AS total FROM u GROUP BY driver),
pools AS (SELECT driver, section, SUM(amount_cents) AS amount FROM bench_cost_lines
          WHERE mode = 'indirect' GROUP BY driver, section),
indirect AS (SELECT u.member, p.section, SUM(p.amount * u.q / ut.total) AS amount
             FROM pools p JOIN u ON u.driver = p.driver JOIN ut ON ut.driver = p.driver
             GROUP BY u.member, p.section),
payroll AS (SELECT member, 'operating' AS section,
            CAST(:envelope AS BIGINT) * count
              / (SELECT SUM(count) FROM bench_workstations) AS amount
            FROM bench_workstations)
SELECT member, section, SUM(amount) FROM (
  SELECT * FROM direct UNION ALL SELECT * FROM indirect UNION ALL SELECT * FROM payroll) t
GROUP BY member, section
"""

BENCH_TABLES = """
CREATE TABLE bench_cost_lines (id INTEGER PRIMARY KEY, section VARCHAR(12), mode VARCHAR(10),
  driver VARCHAR(40), amount_cents BIGINT);
CREATE TABLE bench_allocations (cost_line_id INTEGER, member VARCHAR(80), weight NUMERIC);
CREATE TABLE bench_usage (driver VARCHAR(40), member VARCHAR(80), quantity NUMERIC);
CREATE TABLE bench_workstations (member VARCHAR(80), count INTEGER);
CREATE INDEX bench_allocations_line ON bench_allocations (cost_line_id);
CREATE INDEX bench_usage_driver_member ON bench_usage (driver, member)
"""


def load_floor_tables(url: str, inputs: UpstreamInputs) -> None:
    lines = [
        (int(c.cost_line_id), c.section, c.mode, c.driver_code, to_cents(c.amount))
        for c in inputs.cost_lines
    ]
    allocations = [
        (int(c.cost_line_id), m, int(w)) for c in inputs.cost_lines for m, w in c.allocation
    ]
    usage = [(d, m, int(q)) for d, m, q in inputs.usage]
    tables = {
        "bench_cost_lines": lines,
        "bench_allocations": allocations,
        "bench_usage": usage,
        "bench_workstations": list(inputs.workstations),
    }
    engine = create_db_engine(url)
    with engine.begin() as conn:
        for statement in BENCH_TABLES.split(";")[:4]:
            conn.execute(text(statement))
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for table, rows in tables.items():
            if url.startswith("sqlite"):
                marks = ",".join("?" * len(rows[0]))
                cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
            else:
                with cursor.copy(f"COPY {table} FROM STDIN") as copy:  # type: ignore[attr-defined]
                    for row in rows:
                        copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
    with engine.begin() as conn:
        for statement in BENCH_TABLES.split(";")[4:]:
            conn.execute(text(statement))
        conn.execute(text("ANALYZE"))
    engine.dispose()


def timed_floor(url: str) -> tuple[float, int]:
    engine = create_db_engine(url)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))  # connect before the clock starts
        started = time.perf_counter()
        rows = conn.execute(text(FLOOR_SQL), {"envelope": ENVELOPE_CENTS}).all()
        elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, len(rows)


def phases(inputs: UpstreamInputs) -> dict[str, tuple[float, float]]:
    """The in-memory phases of a run, timed one by one as (wall, CPU) seconds — CPU time varies
    less on a shared machine; the rest of the run is database work. The run itself overlaps
    SHA-256 and zlib with compute (a thread: both release the GIL)."""
    snapshot = Snapshot(
        YEAR,
        Parameters(f"{ENVELOPE_CENTS / 100:.2f}"),
        inputs.members,
        inputs.workstations,
        inputs.drivers,
        inputs.cost_lines,
        inputs.usage,
    )
    out: dict[str, tuple[float, float]] = {}
    clock = (time.perf_counter(), time.process_time())

    def lap(name: str) -> None:
        nonlocal clock
        now = (time.perf_counter(), time.process_time())
        out[name] = (now[0] - clock[0], now[1] - clock[1])
        clock = now

    data = canonical_bytes(to_document(snapshot))
    lap("snapshot document (sort + JSON)")
    content_hash(data)
    lap("sha-256")
    zlib.compress(data, 1)
    lap("zlib")
    result = compute(snapshot)
    lap("compute (validate, allocate, explanation records)")
    blobs = [member.encoded() for member in result.members]
    lap("encode the explanations (zlib'd blobs)")
    lines = sum(len(member.lines) for member in result.members)
    lap(f"format all {lines} lines (reading every explanation)")
    stored = sum(map(len, blobs))
    print(f"  snapshot {len(data) / 1e6:.1f} MB, explanations stored {stored / 1e6:.1f} MB")
    return out


def check_totals(run: dict[str, Any], inputs: UpstreamInputs) -> None:
    costs = ENVELOPE_CENTS + sum(to_cents(c.amount) for c in inputs.cost_lines)
    totals = run["totals"]
    billed = to_cents(Decimal(totals["invoiced_total"])) + to_cents(Decimal(totals["host_absorbs"]))
    assert billed == costs, (billed, costs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--cost-lines", type=int, default=100_000)
    parser.add_argument("--drivers", type=int, default=20)
    parser.add_argument("--usage", type=int, default=1_000_000)
    parser.add_argument(
        "--summed-usage",
        action="store_true",
        help="hand the usage over summed per (driver, member), as the catalogue will; the "
        "floor still aggregates the raw measurements",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile the in-memory phases (the run runs in "
        "the test client's thread, out of cProfile's sight)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    inputs = generate(args.members, args.cost_lines, args.drivers, args.usage)
    print(
        f"generated {args.members} members, {args.cost_lines} cost lines, {args.drivers} "
        f"drivers, {args.usage} usage measurements in {time.perf_counter() - started:.1f} s"
    )
    raw = inputs
    if args.summed_usage:
        inputs = summed(raw)
        print(f"usage summed per (driver, member): {len(inputs.usage)} rows")
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    timings = phases(inputs)
    if profiler:
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
        print(out.getvalue())
    print(f"  {'phase':<55} {'wall s':>8} {'CPU s':>8}")
    for name, (wall, cpu) in timings.items():
        print(f"  {name:<55} {wall:8.2f} {cpu:8.2f}")
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        with scratch_database(backend) as url:
            upgrade("billing", url)
            prepare_billing(url, inputs)
            run_seconds, run = timed_run(url, inputs)
            check_totals(run, inputs)
            load_floor_tables(url, raw)
            floor_seconds, rows = timed_floor(url)
        ratio = run_seconds / floor_seconds
        verdict = "OK" if ratio <= 5 and run_seconds < 60 else "ABOVE TARGET"
        print(
            f"{backend}: run {run_seconds:.2f} s | floor (bare SQL, {rows} rows) "
            f"{floor_seconds:.2f} s | ratio {ratio:.1f}x (target ≤ 5x, < 60 s): {verdict}"
        )
        timings = run.get("timings") or {}
        own = sum(timings.get(phase, 0.0) for phase in ("snapshot", "compute", "store"))
        shown = ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in timings.items())
        own_verdict = "OK" if own <= 2 * floor_seconds else "ABOVE TARGET"
        print(
            f"{backend}: the run's phases (status JSON): {shown}\n"
            f"{backend}: billing's own work (snapshot + compute + store) {own:.2f} s = "
            f"{own / floor_seconds:.1f}x the floor (target ≤ 2x): {own_verdict}"
        )


if __name__ == "__main__":
    main()
