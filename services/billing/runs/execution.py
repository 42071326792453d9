"""Executing a run: claim it, read its inputs, store the snapshot, compute, store the results.

The claim is an atomic ``queued → running`` update, so with several billing replicas only one
computes a run. The claim takes a lease that a heartbeat thread renews while the run computes;
if the process dies (crash, ``kill -9``, restart), the lease runs out and the run is failed with
an ``interrupted`` problem the next time anyone looks (``fail_expired``), so it never stays
"running" and a new run of its year can start. Progress is committed as it goes; the snapshot
and every result are written in one final transaction with the ``succeeded`` status, so a
failed run keeps nothing partial: only its status and the full list of problems.
"""

from __future__ import annotations

import logging
import threading
import time
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy.orm import Session

from kit.db import utcnow
from kit.errors import AppError
from kit.metrics import observe_billing_run
from services.billing.engine.cap import window_years
from services.billing.engine.compute import RunResult, compute
from services.billing.engine.explanation import compress
from services.billing.engine.money import fmt
from services.billing.engine.problems import InputProblems, Problem
from services.billing.engine.snapshot import (
    HistoryTotal,
    Parameters,
    Snapshot,
    canonical_bytes,
    content_hash,
    to_document,
)
from services.billing.fiscal_years import repository as fiscal_years
from services.billing.forecasts import archive
from services.billing.forecasts.service import notified_content
from services.billing.history import repository as history
from services.billing.invoices import repository as invoices_repository
from services.billing.models import Run
from services.billing.runs import repository
from services.billing.runs.inputs import InputsSource

logger = logging.getLogger("mutualis.billing.runs")
SessionScope = Callable[[], AbstractContextManager[Session]]


def _inputs_of_billing(session: Session, run: Run) -> tuple[Parameters, tuple[HistoryTotal, ...]]:
    """What billing itself holds: the year's parameters and the cap history of its window."""
    params = fiscal_years.get(session, run.fiscal_year)
    if params is None:
        raise InputProblems(
            [
                Problem(
                    "fiscal-year-not-configured",
                    f"The fiscal year {run.fiscal_year} has no parameters.",
                    f"PUT /fiscal-years/{run.fiscal_year} (payroll envelope, cap), then relaunch.",
                    message_fr=f"L'exercice {run.fiscal_year} n'est pas paramétré.",
                    fix_fr="Renseignez son enveloppe de masse salariale et son plafond, puis "
                    "relancez le calcul.",
                )
            ]
        )
    years = window_years(run.fiscal_year, params.cap_window)
    totals: dict[tuple[int, str], HistoryTotal] = {}
    for h in history.for_years(session, years):
        totals[h.fiscal_year, h.member_code] = HistoryTotal(
            h.fiscal_year, h.member_code, fmt(h.operating_total_cents), "import"
        )
    for year, code, cents, run_id in repository.final_totals(session, years):
        totals[year, code] = HistoryTotal(year, code, fmt(cents), f"run:{run_id}")
    # what was actually titled, once titles exist: issued minus reductions plus complements
    for (year, code), cents in invoices_repository.net_titled_operating(session, years).items():
        totals[year, code] = HistoryTotal(year, code, fmt(cents), "titles")
    parameters = Parameters(
        payroll_envelope=fmt(params.payroll_envelope_cents),
        cap_enabled=params.cap_enabled,
        cap_window=params.cap_window,
    )
    return parameters, tuple(totals.values())


def _member_rows(run_id: int, result: RunResult) -> list[dict[str, Any]]:
    # the JSON of each explanation here, its compression in two threads meanwhile (zlib
    # releases the GIL): on two cores the compression costs the run next to nothing
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="explain-zlib") as pool:
        blobs = list(pool.map(compress, (m.explanation_json() for m in result.members)))
    rows = []
    for m, blob in zip(result.members, blobs, strict=True):
        rows.append(
            {
                "run_id": run_id,
                "member_code": m.code,
                "name": m.name[:200],
                "is_host": m.is_host,
                "invoiced": m.invoiced,
                "workstations": m.workstations,
                **{f"{k}_cents": v for k, v in m.totals().items()},
                "cap": m.cap,
                "lines_json": None,  # the formatted lines of the runs before (models.RunMember)
                "explained": blob,
            }
        )
    return rows


def _observe(run: Run, outcome: str) -> None:
    """The run's duration, for the Prometheus histogram (kit.metrics)."""
    if run.started_at is not None and run.finished_at is not None:
        started, finished = run.started_at, run.finished_at
        if started.tzinfo is None:  # SQLite gives naive UTC datetimes back
            started = started.replace(tzinfo=finished.tzinfo)
        observe_billing_run(
            kind=run.kind, outcome=outcome, seconds=(finished - started).total_seconds()
        )


def _store(
    session: Session,
    run_id: int,
    snapshot: SnapshotBytes,
    result: RunResult,
    timings: dict[str, float],
) -> None:
    started = time.perf_counter()
    run = repository.get(session, run_id)
    assert run is not None
    digest, compressed = snapshot.digest(), snapshot.compressed()
    repository.add_snapshot(session, run_id, digest, compressed, len(snapshot.data))
    repository.add_members(session, _member_rows(run_id, result))
    now = utcnow()
    run.snapshot_hash = digest
    run.totals = result.totals
    run.payroll = result.payroll
    run.pools = result.pools
    run.status, run.progress, run.phase, run.finished_at = "succeeded", 100, "done", now
    _observe(run, "succeeded")
    if run.kind == "final":
        previous = repository.current_final(session, run.fiscal_year)
        if previous is not None:
            previous.is_current = False
            previous.replaced_by_id = run.id
        run.is_current = True
    else:
        run.made_available_at = now  # the forecast notification is available from now on
        session.flush()
        archive.archive_run(session, run, notified_content)
    timings["store"] = round(time.perf_counter() - started, 3)  # the commit follows: a few ms
    run.timings = dict(timings)


class SnapshotBytes:
    """The canonical snapshot's SHA-256 and zlib form, computed in a thread while the run
    computes: both release the GIL, so on two cores they cost the run nothing."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._thread = threading.Thread(target=self._work, name="snapshot-bytes", daemon=True)
        self._digest = ""
        self._compressed = b""
        self._thread.start()

    def _work(self) -> None:
        self._digest = content_hash(self.data)
        self._compressed = zlib.compress(self.data, 1)

    def digest(self) -> str:
        self._thread.join()
        return self._digest

    def compressed(self) -> bytes:
        self._thread.join()
        return self._compressed


def _fail(
    session: Session,
    run_id: int,
    problems: list[Problem],
    digest: str | None,
    timings: dict[str, float] | None = None,
) -> None:
    run = repository.get(session, run_id)
    assert run is not None
    run.status, run.phase, run.finished_at = "failed", "failed", utcnow()
    run.timings = dict(timings) if timings else None
    _observe(run, "failed")
    run.problems = [p.as_dict() for p in problems]
    run.snapshot_hash = digest


def upstream_problem(exc: AppError) -> Problem:
    service = str(exc.extra.get("service") or exc.detail.split(":", 1)[0])
    return Problem(
        "upstream-unavailable",
        f"Could not read the inputs: {exc.detail}",
        f"Check that the {service} service answers (its URL is in MUTUALIS_BILLING_"
        f"{service.upper()}_URL), then launch the run again.",
        {"service": service, "status": exc.status},
        message_fr=f"Les données du calcul n'ont pas pu être lues auprès du service « {service} ».",
        fix_fr=f"Vérifiez que le service « {service} » répond, puis relancez le calcul.",
    )


def fail_expired(session: Session) -> list[int]:
    """Fail the running runs whose lease has expired; their ids."""
    failed = []
    for run in repository.expired_running(session, utcnow()):
        run.status, run.phase, run.finished_at = "failed", "failed", utcnow()
        run.problems = [
            Problem(
                "interrupted",
                f"The billing process computing this run ({run.claimed_by}) stopped before it "
                "finished: its lease expired and nothing of the run was kept.",
                "Launch the run again.",
                {"claimed_by": run.claimed_by},
                message_fr=f"Le processus qui effectuait ce calcul ({run.claimed_by}) s'est "
                "arrêté avant la fin : rien du calcul n'a été conservé.",
                fix_fr="Relancez le calcul.",
            ).as_dict()
        ]
        _observe(run, "failed")
        failed.append(run.id)
        logger.warning("run %s failed: its lease expired (%s)", run.id, run.claimed_by)
    return failed


class Heartbeat:
    """Renews a run's lease every third of its length until stopped."""

    def __init__(self, scope: SessionScope, run_id: int, worker: str, lease: float) -> None:
        self._stop = threading.Event()
        self._args = (scope, run_id, worker, lease)
        self._thread = threading.Thread(target=self._beat, name=f"lease-{run_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        scope, run_id, worker, lease = self._args
        while not self._stop.wait(lease / 3):
            try:
                with scope() as session:
                    repository.renew_lease(session, run_id, worker, lease_seconds=lease)
            except Exception:  # the next beat tries again; the lease has margin for two misses
                logger.exception("could not renew the lease of run %s", run_id)


def execute_run(
    scope: SessionScope, run_id: int, source: InputsSource, worker: str, *, lease: float = 30.0
) -> str:
    """Compute one queued run if this worker wins its claim; returns its final status."""
    with scope() as session:
        if not repository.claim(session, run_id, worker, lease_seconds=lease):
            return "not-claimed"
    with Heartbeat(scope, run_id, worker, lease):
        return _compute(scope, run_id, source)


def _compute(scope: SessionScope, run_id: int, source: InputsSource) -> str:

    def progress(value: int, phase: str) -> None:
        with scope() as session:
            repository.set_progress(session, run_id, value, phase)

    snapshot_bytes: SnapshotBytes | None = None
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[phase] = round(now - clock, 3)
        clock = now

    try:
        with scope() as session:
            run = repository.get(session, run_id)
            assert run is not None
            year = run.fiscal_year
            parameters, cap_history = _inputs_of_billing(session, run)
        upstream = source.fetch(year, progress)
        lap("upstream")
        snapshot = Snapshot(
            fiscal_year=year,
            parameters=parameters,
            members=upstream.members,
            workstations=upstream.workstations,
            drivers=upstream.drivers,
            cost_lines=upstream.cost_lines,
            usage=upstream.usage,
            history=cap_history,
            labels=upstream.labels,
        )
        snapshot_bytes = SnapshotBytes(canonical_bytes(to_document(snapshot)))
        lap("snapshot")
        progress(55, "computing")
        result = compute(snapshot)
        lap("compute")
        progress(80, "storing results")
        with scope() as session:
            _store(session, run_id, snapshot_bytes, result, timings)
        return "succeeded"
    except InputProblems as exc:
        problems = exc.problems
    except AppError as exc:
        problems = [upstream_problem(exc)]
    except Exception as exc:  # a bug: the run fails visibly instead of staying "running"
        logger.exception("run %s failed unexpectedly", run_id)
        problems = [
            Problem(
                "internal-error",
                f"The run stopped on an unexpected error ({type(exc).__name__}).",
                f"Report run {run_id} to the DSIT support; the logs hold the details.",
                message_fr="Le calcul s'est arrêté sur une erreur inattendue.",
                fix_fr=f"Signalez le calcul n° {run_id} au support de la DSIT ; les journaux "
                "en donnent le détail.",
            )
        ]
    digest = snapshot_bytes.digest() if snapshot_bytes is not None else None
    with scope() as session:
        _fail(session, run_id, problems, digest, timings)
    return "failed"
