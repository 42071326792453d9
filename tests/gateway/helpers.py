"""A real gateway on its own migrated database, in front of the real service apps."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, MetaData

from gateway.app import create_app
from gateway.auth import accounts
from gateway.settings import GatewaySettings
from kit.settings import SERVICES
from tests.conftest import sync_client
from tests.databases import TestDatabases

PASSWORD = "correct horse battery staple"  # noqa: S105 - test accounts only


@pytest.fixture
def gateway_database(databases: TestDatabases, backend: str) -> Iterator[str]:
    """The URL of the gateway's database, migrated once per test session and emptied after each
    test. (Not one rolled-back transaction as the services': the gateway writes its security
    log in transactions of its own, which a shared connection would fold into the request's.)"""
    engine = databases.migrated_engine("gateway", backend)
    yield engine.url.render_as_string(hide_password=False)
    empty(engine)


def empty(engine: Engine) -> None:
    """Every table of the database emptied, identities restarted (as a fresh database)."""
    metadata = MetaData()
    metadata.reflect(engine)
    tables = [t for t in reversed(metadata.sorted_tables) if t.name != "alembic_version"]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            return
        for table in tables:
            connection.execute(table.delete())
        if connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
        ).first():
            connection.exec_driver_sql("DELETE FROM sqlite_sequence")


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
        if registry_client is None and "registry" in apps:
            # the gateway reads contacts and members from the same registry it forwards to
            registry_client = sync_client(apps["registry"], base_url="http://registry")
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


async def gateway_with_contact(
    make_gateway: Any, email: str = "referent@ludres.example", member: str = "ludres"
) -> tuple[Any, dict[str, str], int]:
    """A gateway before every service, an admin, and a registry contact of ``member`` with
    dashboard access and a login account: (gateway, the admin's headers, the contact's id)."""
    from tests.registry.factories import member_body  # the registry's test factory

    gateway = make_gateway()  # its contacts are read from the same registry app
    add_account(gateway, "admin@dsit.test")
    add_account(gateway, email, kind="contact", roles=())
    transport = httpx.ASGITransport(app=gateway)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        admin = await bearer(client, "admin@dsit.test")
        created = await client.post(
            "/api/registry/members", json=member_body(member), headers=admin
        )
        assert created.status_code == 201, created.text
        contact = await client.post(
            f"/api/registry/members/{member}/contacts",
            headers=admin,
            json={
                "first_name": "Léa",
                "last_name": "Martin",
                "email": email,
                "roles": ["it_referent"],
                "dashboard_access": True,
            },
        )
        assert contact.status_code == 201, contact.text
    return gateway, admin, int(contact.json()["id"])
