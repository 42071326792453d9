"""Every service answers its probes and documents its API."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from sqlalchemy import text

from kit.db import create_db_engine
from kit.migrations import downgrade, head_revisions, upgrade
from kit.settings import SERVICES
from tests.conftest import asgi_client, service_settings
from tests.databases import TestDatabases


@pytest.mark.parametrize("service", SERVICES)
async def test_ready_when_database_is_at_head(service: str, service_app: Any) -> None:
    async with asgi_client(service_app(service)) as client:
        assert (await client.get("/healthz")).json() == {"status": "ok", "service": service}
        ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["revision"] == sorted(head_revisions(service))


@pytest.mark.parametrize("service", SERVICES)
async def test_not_ready_on_a_database_without_migrations(
    service: str, backend: str, databases: TestDatabases
) -> None:
    url = databases.fresh_url(service, backend, "_empty")
    app = import_module(f"services.{service}.app").create_app(service_settings(service, url))
    async with asgi_client(app) as client:
        assert (await client.get("/healthz")).status_code == 200
        ready = await client.get("/readyz")
    assert ready.status_code == 503
    assert ready.headers["content-type"] == "application/problem+json"
    problem = ready.json()
    assert problem["type"] == "urn:mutualis:problem:database-not-migrated"
    assert f"mutualis migrate {service}" in problem["detail"]


@pytest.mark.parametrize("service", SERVICES)
async def test_not_ready_when_the_database_does_not_answer(service: str, tmp_path: Any) -> None:
    url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"
    app = import_module(f"services.{service}.app").create_app(service_settings(service, url))
    async with asgi_client(app) as client:
        ready = await client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["type"] == "urn:mutualis:problem:database-unavailable"
    assert "Traceback" not in ready.text


@pytest.mark.parametrize("service", SERVICES)
async def test_openapi_is_published(service: str, service_app: Any) -> None:
    async with asgi_client(service_app(service)) as client:
        document = (await client.get("/openapi.json")).json()
    assert document["info"]["title"] == f"Mutualis {service}"
    assert "/readyz" in document["paths"]


@pytest.mark.parametrize("service", SERVICES)
async def test_ready_when_a_newer_release_migrated_the_database(
    service: str, backend: str, databases: TestDatabases
) -> None:
    """Rolling upgrade: the old pods keep serving once the new release's migration ran."""
    url = databases.fresh_url(service, backend, "_ahead")
    upgrade(service, url)
    engine = create_db_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeedbeef'"))
    engine.dispose()
    app = import_module(f"services.{service}.app").create_app(service_settings(service, url))
    async with asgi_client(app) as client:
        ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database_ahead"] is True


@pytest.mark.parametrize("service", SERVICES)
async def test_not_ready_when_the_database_is_behind(
    service: str, backend: str, databases: TestDatabases
) -> None:
    url = databases.fresh_url(service, backend, "_behind")
    upgrade(service, url, "head")
    downgrade(service, url, "-1")
    app = import_module(f"services.{service}.app").create_app(service_settings(service, url))
    async with asgi_client(app) as client:
        ready = await client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["type"] == "urn:mutualis:problem:database-not-migrated"


async def test_an_id_beyond_64_bits_is_a_client_error_on_both_databases(service_app: Any) -> None:
    """Found by fuzzing: the databases refuse such numbers; the API says the input is wrong."""
    from tests.conftest import as_admin

    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        response = await client.get("/contacts/9223372036854775808")
    assert response.status_code in (404, 422)
    assert response.headers["content-type"] == "application/problem+json"
