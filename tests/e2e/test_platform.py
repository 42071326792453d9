"""End to end: the six real processes, their health, a service going down, Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from kit.settings import SERVICES
from mutualis.launcher import STOP_SECONDS
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Platform, start_platform, stop_platform
from tests.processes import alive, assert_all_gone, kill_all

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite]


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """A platform on an empty ``var/``: these tests read what the first run prints and does."""
    platform = start_platform(tmp_path_factory.mktemp("var"))
    yield platform
    stop_platform(platform)


def test_health_reports_every_service_ok(platform: Platform) -> None:
    response = httpx.get(platform.url("gateway", "/api/health"), timeout=10)
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert {n: s["status"] for n, s in report["services"].items()} == dict.fromkeys(SERVICES, "ok")
    page = httpx.get(platform.url("web", "/statut"), timeout=10)
    assert "Tous les services fonctionnent" in page.text


def test_services_reach_each_other_on_the_ports_they_were_given(platform: Platform) -> None:
    """Billing reads registry and catalogue on the launcher's (here random) ports."""
    token = httpx.post(
        platform.url("gateway", "/api/auth/token"),
        data={"username": "finance@dsit.example", "password": "mutualis-demo"},
    ).json()["access_token"]
    finance = {"Authorization": f"Bearer {token}"}
    launched = httpx.post(
        platform.url("gateway", "/api/billing/runs"),
        json={"fiscal_year": 2025, "kind": "forecast"},
        headers=finance,
        timeout=30,
    )
    assert launched.status_code == 202, launched.text
    url = platform.url("gateway", f"/api/billing/runs/{launched.json()['id']}")
    deadline = time.monotonic() + 60
    run = httpx.get(url, headers=finance).json()
    while run["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
        run = httpx.get(url, headers=finance).json()
    assert run["status"] == "succeeded", run


def test_printed_address_and_readable_logs(platform: Platform) -> None:
    output = "".join(platform.output)
    assert f"Mutualis est prêt : http://127.0.0.1:{platform.ports['web']}" in output
    for name in ("registry", "gateway", "web"):
        assert f"{name:<10}|" in output
    # a fresh demo bills the two past years and forecasts the current one
    assert output.count("billing   | calcul final") == 2
    assert output.count("billing   | titres ") == 2
    assert "refusés" not in output
    assert "billing   | calcul forecast" in output
    assert ": failed" not in output


def test_registry_down_is_shown_by_the_status_page_and_others_answer(platform: Platform) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(platform.url("web", "/statut"))
        registry_row = page.locator('tr[data-service="registry"]')
        expect(registry_row).to_have_attribute("data-status", "ok")

        os.kill(platform.pid("registry"), signal.SIGTERM)

        # no reload: htmx refreshes the table by itself
        expect(registry_row).to_have_attribute("data-status", "down", timeout=15_000)
        expect(page.locator("#etat-titre")).to_have_text("Service dégradé")
        page.screenshot(path=str(platform.var_dir / "status-registry-down.png"))
        browser.close()

    token = httpx.post(
        platform.url("gateway", "/api/auth/token"),
        data={"username": "admin@dsit.example", "password": "mutualis-demo"},
        timeout=10,
    )
    assert token.status_code == 200, token.text  # demo accounts exist on a fresh `make run`
    admin = {"Authorization": f"Bearer {token.json()['access_token']}"}
    down = httpx.get(platform.url("gateway", "/api/registry/members"), headers=admin, timeout=10)
    assert down.status_code == 503
    assert down.headers["content-type"] == "application/problem+json"
    assert down.json()["service"] == "registry"
    for name in ("catalogue", "billing", "governance"):
        answer = httpx.get(platform.url("gateway", f"/api/{name}/readyz"), headers=admin)
        assert answer.status_code == 200
    health = httpx.get(platform.url("gateway", "/api/health")).json()
    assert health["services"]["registry"]["status"] == "down"


def test_ctrl_c_stops_every_process(platform: Platform) -> None:
    """Every app at once: the launcher's deadline (STOP_SECONDS) bounds the whole stop."""
    pids = [platform.pid(name) for name in ("catalogue", "billing", "governance", "gateway", "web")]
    platform.process.send_signal(signal.SIGINT)
    assert platform.process.wait(timeout=STOP_SECONDS + 30) == 0
    assert_all_gone(pids, within=1)
    assert not list((platform.var_dir / "run").glob("*.pid"))


def test_ctrl_c_stops_a_platform_started_as_a_background_job(tmp_path: Path) -> None:
    """``make run &`` (or a CI runner) starts it with SIGINT ignored: Ctrl-C must still work."""
    platform = start_platform(tmp_path / "var", "--no-demo", background_job=True)
    try:
        platform.process.send_signal(signal.SIGINT)
        assert platform.process.wait(timeout=STOP_SECONDS + 30) == 0
        assert_all_gone(platform.app_pids, within=1)
    finally:
        stop_platform(platform)


def test_a_killed_launcher_takes_its_apps_with_it(tmp_path: Path) -> None:
    """``kill -9`` of ``mutualis run`` gives it no chance to stop anything: the kernel does."""
    platform = start_platform(tmp_path / "var", "--no-demo")
    try:
        assert all(alive(pid) for pid in platform.app_pids)
        platform.process.kill()
        platform.process.wait(timeout=30)
        assert_all_gone(platform.app_pids, within=30)
    finally:
        kill_all(platform.app_pids)


def test_a_second_run_reuses_what_exists(platform: Platform) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MUTUALIS_")}
    env["MUTUALIS_VAR_DIR"] = str(platform.var_dir)
    result = subprocess.run(
        [sys.executable, "-m", "mutualis", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    databases = (*SERVICES, "gateway")
    assert result.stdout.count("base de données à jour") == len(databases)
    assert sorted(p.name for p in platform.var_dir.glob("*.sqlite3")) == sorted(
        f"{s}.sqlite3" for s in databases
    )
