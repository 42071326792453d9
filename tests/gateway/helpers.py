"""A real gateway on its own migrated database, in front of the real service apps."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.auth import accounts
from gateway.settings import GatewaySettings
from kit.migrations import upgrade
from kit.settings import SERVICES
from tests.databases import TestDatabases

PASSWORD = "correct horse battery staple"  # noqa: S105 - test accounts only


@pytest.fixture
def gateway_database(databases: TestDatabases, backend: str) -> str:
    url = databases.fresh_url("gateway", backend, f"_{uuid.uuid4().hex[:8]}")
    upgrade("gateway", url)
    return url


@pytest.fixture
async def make_gateway(
    service_app: Any, gateway_database: str
) -> AsyncIterator[Callable[..., Any]]:
    """``make_gateway(apps=None, registry_client=None, **settings)``: by default every real
    service app is behind it, in-process. Its upstream clients are closed after the test."""
    made: list[Any] = []

    def make(
        apps: dict[str, Any] | None = None,
        registry_client: httpx.Client | None = None,
        **overrides: Any,
    ) -> Any:
        if apps is None:
            apps = {name: service_app(name) for name in SERVICES}
        settings = GatewaySettings(
            environment="test",
            database_url=gateway_database,
            password_hash_profile="cheapest",
            **overrides,
        )
        transports = {name: httpx.ASGITransport(app=app) for name, app in apps.items()}
        gateway = create_app(settings, transports=transports, registry_client=registry_client)
        made.append(gateway)
        return gateway

    yield make
    for gateway in made:
        await gateway.state.upstreams.aclose()
        gateway.state.engine.dispose()


def add_account(
    gateway: Any,
    email: str,
    *,
    roles: tuple[str, ...] = ("admin",),
    kind: str = "staff",
    password: str = PASSWORD,
) -> int:
    state = gateway.state
    with state.sessionmaker.begin() as session:
        account = accounts.create_account(
            session,
            email=email,
            display_name=email.split("@")[0],
            kind=kind,
            roles=list(roles),
            password=password,
            hasher=state.hasher,
            settings=state.settings,
        )
        return account.id


async def bearer(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = await client.post("/api/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
