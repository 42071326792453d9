"""Fuzzing the public API as integrators see it: every operation of the gateway's merged
OpenAPI document (``/api/openapi.json``), through the real gateway in front of the four real
services, authenticated as a DSIT admin and as a member's contact. Whatever the input, no
server error, and every answer — success or problem — is the one the document describes
(status, content type, body schema). Bounded: a few examples per operation and caller."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis import checks

from gateway.app import create_app
from gateway.auth import accounts
from gateway.settings import GatewaySettings
from kit.client import ServiceClient
from kit.db import create_db_engine, make_sessionmaker
from kit.migrations import upgrade
from kit.settings import PLACEHOLDER_SECRET, SERVICES
from services.billing.invoices.registry import RegistryReader
from services.billing.runs.inputs import HttpInputs
from tests.conftest import as_admin, service_settings
from tests.integration.fuzzing import fuzz, label, operations
from tests.registry.factories import create_contact, create_member

pytestmark = [pytest.mark.fuzz, pytest.mark.sqlite]
PASSWORD = "Brume-Vallon-Ardoise-Chemin-7"  # noqa: S105 - a test account's password


INLINE = {"billing": {"run_worker": "inline"}}  # a run computes within its request here
SERVICE_APPS = {
    name: import_module(f"services.{name}.app").create_app(
        service_settings(name, "sqlite://", **INLINE.get(name, {}))
    )
    for name in SERVICES
}  # built at import, on in-memory URLs never opened: their databases are attached below


def gateway_app(database_url: str) -> Any:
    return create_app(
        GatewaySettings(
            environment="test", database_url=database_url, password_hash_profile="cheapest"
        ),
        transports={name: httpx.ASGITransport(app=app) for name, app in SERVICE_APPS.items()},
        registry_client=TestClient(SERVICE_APPS["registry"], base_url="http://registry"),
    )


def peers() -> None:
    """Services reach each other in-process, as on the platform they do over HTTP."""

    def client(service: str, caller: str) -> ServiceClient:
        http = TestClient(SERVICE_APPS[service], base_url=f"http://{service}")
        return ServiceClient(
            service, "http://x", caller=caller, secret=PLACEHOLDER_SECRET, client=http
        )

    governance, billing = SERVICE_APPS["governance"].state, SERVICE_APPS["billing"].state
    governance.registry_client = client("registry", "governance")
    governance.billing_client = client("billing", "governance")
    billing.invoice_registry = RegistryReader(client("registry", "billing"))
    billing.inputs_source = HttpInputs(
        client("registry", "billing"), client("catalogue", "billing"), page_size=500
    )


peers()
# the gateway that serves the document at import; the fixture puts one on a real database
RUNNING = {"gateway": gateway_app("sqlite://")}


async def without_lifespan(scope: Any, receive: Any, send: Any) -> None:
    """The gateway for schemathesis, which starts and stops an ASGI app's lifespan at each
    call: the gateway's shutdown closes its upstream clients, so the test owns the lifespan."""
    if scope["type"] != "lifespan":
        await RUNNING["gateway"](scope, receive, send)
        return
    while True:
        message = await receive()
        await send({"type": message["type"] + ".complete"})
        if message["type"] == "lifespan.shutdown":
            return


SCHEMA = schemathesis.openapi.from_asgi("/api/openapi.json", without_lifespan)
CALLERS: dict[str, dict[str, str]] = {}


def attach(app: Any, url: str) -> Any:
    engine = create_db_engine(url)
    app.state.engine.dispose()
    app.state.engine, app.state.sessionmaker = engine, make_sessionmaker(engine)
    return engine


@pytest.fixture(scope="module", autouse=True)
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Migrated SQLite files for the gateway and each service; a member with a contact who
    has dashboard access; an admin and that contact logged in (bearer tokens)."""
    folder = tmp_path_factory.mktemp("gateway-fuzz")
    engines = []
    for name, app in SERVICE_APPS.items():
        url = f"sqlite:///{folder / f'{name}.sqlite3'}"
        upgrade(name, url)
        engines.append(attach(app, url))
    upgrade("gateway", f"sqlite:///{folder / 'gateway.sqlite3'}")
    RUNNING["gateway"] = gateway = gateway_app(f"sqlite:///{folder / 'gateway.sqlite3'}")
    engines.append(gateway.state.engine)
    import anyio

    async def seed() -> None:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=SERVICE_APPS["registry"]),
            base_url="http://registry",
            headers=as_admin(),
            event_hooks={"request": [_bind_registry]},
        ) as registry:
            await create_member(registry, "ludres")
            await create_contact(registry, "ludres", "referent@ludres.example")

    anyio.run(seed)
    state = gateway.state
    with state.sessionmaker.begin() as session:
        for email, kind, roles in (
            ("admin@dsit.example", "staff", ["admin"]),
            ("referent@ludres.example", "contact", []),
        ):
            accounts.create_account(
                session,
                email=email,
                display_name=email.split("@")[0],
                kind=kind,
                roles=roles,
                password=PASSWORD,
                hasher=state.hasher,
                settings=state.settings,
            )
    client = TestClient(gateway)
    for caller, email in (("admin", "admin@dsit.example"), ("contact", "referent@ludres.example")):
        token = client.post("/api/auth/token", data={"username": email, "password": PASSWORD})
        assert token.status_code == 200, token.text
        CALLERS[caller] = {"Authorization": f"Bearer {token.json()['access_token']}"}
    yield
    for engine in engines:
        engine.dispose()


async def _bind_registry(request: httpx.Request) -> None:
    from tests.conftest import bind_identity

    bind_identity(request, "registry")


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
OPERATIONS = operations(SCHEMA)


@pytest.mark.parametrize("caller", ["admin", "contact"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=[label(op) for op in OPERATIONS])
def test_the_public_api_answers_as_documented(operation: Any, caller: str) -> None:
    def check(case: Any) -> None:
        case.call_and_validate(headers=CALLERS[caller], checks=CHECKS)

    fuzz(operation, check, examples=4)
