"""Attack 3 of the hardening review: a billing process that died mid-run left the run
"running" forever, and every new final run of its year got 409.

A run holds a lease its process renews while it computes; once the lease has expired, the run
is failed with an ``interrupted`` problem (nothing of it kept) and a new run can start.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.billing.models import Run
from services.billing.runs import repository
from tests.billing.upstream import YEAR, Platform
from tests.e2e.conftest import platform_environment, start_platform, stop_platform
from tests.processes import assert_all_gone, kill_all


def test_a_run_whose_lease_expired_is_failed_and_its_year_free_again(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.worked_example()
    app = platform.billing_app
    with app.state.test_sessionmaker() as session:
        run = Run(fiscal_year=YEAR, kind="final", status="queued", launched_by="account:1")
        session.add(run)
        session.flush()
        assert repository.claim(session, run.id, "dead-host:4242", lease_seconds=30)
        run.lease_expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        session.commit()
        stuck = run.id
    seen = platform.billing.get(f"/runs/{stuck}").json()
    again = platform.run("final")
    assert seen["status"] == "failed"
    assert [p["code"] for p in seen["problems"]] == ["interrupted"]
    assert "dead-host:4242" in seen["problems"][0]["message"]
    assert again["status"] == "succeeded", again


def test_a_live_lease_still_blocks_a_second_final_run(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.worked_example()
    with platform.billing_app.state.test_sessionmaker() as session:
        run = Run(fiscal_year=YEAR, kind="final", status="queued", launched_by="account:1")
        session.add(run)
        session.flush()
        assert repository.claim(session, run.id, "busy-host:1", lease_seconds=60)
        session.commit()
    second = platform.billing.post("/runs", json={"fiscal_year": YEAR, "kind": "final"})
    assert second.status_code == 409
    assert second.json()["type"] == "urn:mutualis:problem:final-run-in-progress"


LEASE = "2"  # seconds: the test waits for the lease of the killed process to run out


def start_billing(platform: Any) -> subprocess.Popen[bytes]:
    """The billing app again, as the launcher started it (same port, database, upstreams)."""
    env = platform_environment(platform.var_dir, platform.ports)
    env["MUTUALIS_BILLING_RUN_LEASE_SECONDS"] = LEASE
    for upstream in ("registry", "catalogue"):
        env[f"MUTUALIS_BILLING_{upstream.upper()}_URL"] = platform.url(upstream)
    command = [
        sys.executable, "-m", "mutualis.orphan_guard", str(os.getpid()),
        sys.executable, "-m", "uvicorn", "--factory", "services.billing.app:create_app",
        "--host", "127.0.0.1", "--port", str(platform.ports["billing"]), "--no-access-log",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(platform.url("billing", "/readyz"), timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("billing did not restart")


@pytest.mark.e2e
@pytest.mark.sqlite
def test_killing_billing_during_a_final_run_then_restarting_it_leaves_no_run_stuck(
    tmp_path: Path,
) -> None:
    platform = start_platform(tmp_path / "var", env={"MUTUALIS_BILLING_RUN_LEASE_SECONDS": LEASE})
    restarted: subprocess.Popen[bytes] | None = None
    try:
        gateway = platform.url("gateway")
        login = httpx.post(
            f"{gateway}/api/auth/token",
            data={"username": "finance@dsit.example", "password": "mutualis-demo"},
            timeout=30,
        )
        finance = {"Authorization": f"Bearer {login.json()['access_token']}"}
        year = dt.date.today().year
        launched = httpx.post(
            f"{gateway}/api/billing/runs",
            json={"fiscal_year": year, "kind": "final"},
            headers=finance,
            timeout=30,
        )
        assert launched.status_code == 202, launched.text
        run_url = f"{gateway}/api/billing/runs/{launched.json()['id']}"
        # kill -9 as soon as the worker has claimed it (or right away if it is still queued)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if httpx.get(run_url, headers=finance, timeout=10).json()["status"] != "queued":
                break
        os.kill(platform.pid("billing"), signal.SIGKILL)
        restarted = start_billing(platform)

        deadline = time.monotonic() + 90
        run = httpx.get(run_url, headers=finance, timeout=10).json()
        while run["status"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.5)
            run = httpx.get(run_url, headers=finance, timeout=10).json()
        # queued when killed: the restart computes it; running: its lease expired, it failed
        assert run["status"] in ("succeeded", "failed"), run
        if run["status"] == "failed":
            assert [p["code"] for p in run["problems"]] == ["interrupted"]
        again = httpx.post(
            f"{gateway}/api/billing/runs",
            json={
                "fiscal_year": year,
                "kind": "final",
                "replacement_reason": "Relance après incident",
            }
            if run["status"] == "succeeded"
            else {"fiscal_year": year, "kind": "final"},
            headers=finance,
            timeout=30,
        )
        assert again.status_code == 202, again.text
    finally:
        if restarted is not None:
            restarted.terminate()
            try:
                restarted.wait(timeout=30)
            except subprocess.TimeoutExpired:
                restarted.kill()
        stop_platform(platform)
        if restarted is not None:
            try:
                assert_all_gone([restarted.pid])
            finally:
                kill_all([restarted.pid])
