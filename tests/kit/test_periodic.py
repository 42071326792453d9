"""The periodic job behind the deadline sweepers: run at start then every interval, alive after
an error, stopped with the app; each service's sweeper started and stopped by its lifespan."""

from __future__ import annotations

import threading
from typing import Any

from fastapi.testclient import TestClient

from kit.client import ServiceClient
from kit.periodic import PeriodicJob
from kit.settings import PLACEHOLDER_SECRET
from tests.mailserver import free_port


def test_a_job_runs_at_start_again_after_an_error_and_stops() -> None:
    calls: list[int] = []
    twice = threading.Event()

    def job() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("the first run fails")
        twice.set()

    periodic = PeriodicJob("test-job", 0.01, job)
    periodic.start()
    assert twice.wait(5)
    periodic.stop()
    assert len(calls) >= 2
    assert not periodic._thread.is_alive()


def test_each_sweeper_is_started_and_stopped_with_its_app(service_app: Any) -> None:
    apps = {
        "notify_sweeper": service_app("governance", notify_sweeper=True,
                                      notify_sweep_seconds=3600),
        "deadline_sweeper": service_app("registry", deadline_sweeper=True, mail_worker=False,
                                        deadline_sweep_seconds=3600),
        "overdue_sweeper": service_app("billing", notify_members=True,
                                       overdue_sweep_seconds=3600),
    }  # fmt: skip
    for attribute, app in apps.items():
        # nothing is due on these empty databases; were it, nothing answers here
        nowhere = ServiceClient("registry", f"http://127.0.0.1:{free_port()}",
                                caller="test", secret=PLACEHOLDER_SECRET)  # fmt: skip
        app.state.registry_client = app.state.registry_notifier = nowhere
        with TestClient(app):
            job = getattr(app.state, attribute)
            assert isinstance(job, PeriodicJob)
            assert job._thread.is_alive()
        assert getattr(app.state, attribute) is None
        assert not job._thread.is_alive()
    off = service_app("governance")  # the test environment: off unless set
    with TestClient(off):
        assert getattr(off.state, "notify_sweeper", None) is None
