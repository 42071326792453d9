"""The platform fixture: fresh PostgreSQL databases, migrated, with demo business data and a
final billing run, the six apps started with the image's commands (once per test session)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from kit.db import create_db_engine, make_sessionmaker
from tests.databases import postgres_answers
from tests.deploy.platform import Platform, make_platform

ADMIN = ("exploitation@dsit.example", "un-mot-de-passe-de-production")


def _load_demo_business_data(platform: Platform) -> None:
    """Registry, catalogue and billing demo data (never the gateway's demo accounts)."""
    from services.billing import demo as billing
    from services.catalogue import demo as catalogue
    from services.registry import demo as registry

    for app, module in (("registry", registry), ("catalogue", catalogue), ("billing", billing)):
        engine = create_db_engine(platform.databases.url(app))
        with make_sessionmaker(engine).begin() as session:
            assert module.load(session) is True, f"{app}: demo data not loaded"
        engine.dispose()


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    assert postgres_answers(), "PostgreSQL must answer on 127.0.0.1:5432 for the deploy tests"
    platform = make_platform(tmp_path_factory.mktemp("platform"))
    try:
        platform.run_job()
        _load_demo_business_data(platform)
        platform.run_job("create-admin", ADMIN[0], env={"MUTUALIS_ADMIN_PASSWORD": ADMIN[1]})
        platform.start()
        ready = platform.wait_ready()
        assert set(ready.values()) == {200}, ready
        yield platform
    finally:
        platform.stop()
        platform.databases.drop()


@pytest.fixture(scope="session")
def admin_token(platform: Platform) -> str:
    answer = httpx.post(
        platform.url("gateway", "/api/auth/token"),
        data={"username": ADMIN[0], "password": ADMIN[1]},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


@pytest.fixture(scope="session")
def final_run(platform: Platform, admin_token: str) -> dict[str, object]:
    """A final billing run for 2025 over the demo data, launched through the gateway."""
    headers = {"Authorization": f"Bearer {admin_token}"}
    launched = httpx.post(
        platform.url("gateway", "/api/billing/runs"),
        json={"fiscal_year": 2025, "kind": "final"},
        headers=headers,
        timeout=30,
    )
    assert launched.status_code == 202, launched.text
    run_url = platform.url("gateway", f"/api/billing/runs/{launched.json()['id']}")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        run: dict[str, object] = httpx.get(run_url, headers=headers, timeout=30).json()
        if run["status"] in ("succeeded", "failed"):
            assert run["status"] == "succeeded", run
            return run
        time.sleep(0.5)
    raise AssertionError("the billing run did not finish in 2 minutes")
