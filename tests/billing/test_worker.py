"""The run worker: a queued run is claimed by one worker only, then computed."""

from __future__ import annotations

from typing import Any

from kit.identity import Principal
from services.billing.runs import repository, service, worker
from services.billing.runs.schemas import RunCreate
from tests.billing.upstream import YEAR, Platform

STAFF = Principal(subject="account:1", name="Finance", kind="staff", roles=["finance"])


def queue_run(app: Any) -> int:
    """A queued run that no worker was told about (as after a restart)."""
    with app.state.test_sessionmaker() as session:
        run = service.launch_run(
            session, principal=STAFF, data=RunCreate(fiscal_year=YEAR, kind="final")
        )
        session.commit()
        return run.id


def test_a_queued_run_is_claimed_by_one_replica_only(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.parameters("100.00")
    run_id = queue_run(platform.billing_app)
    with platform.billing_app.state.test_sessionmaker() as session:
        first = repository.claim(session, run_id, "replica-a", lease_seconds=30)
        second = repository.claim(session, run_id, "replica-b", lease_seconds=30)
        session.commit()
    run = platform.billing.get(f"/runs/{run_id}").json()
    assert (first, second) == (True, False)
    assert (run["status"], run["progress"]) == ("running", 5)
    assert worker.process_queued(platform.billing_app) == 0


def test_the_worker_computes_queued_runs_left_over(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.worked_example()
    run_id = queue_run(platform.billing_app)
    assert worker.process_queued(platform.billing_app) == 1
    run = platform.billing.get(f"/runs/{run_id}").json()
    assert (run["status"], run["is_current"]) == ("succeeded", True)
