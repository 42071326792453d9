"""The gateway forwards to the real service apps, names a service that is down or slow, and
carries the request id through every hop."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from gateway.openapi import merge_documents
from kit.settings import SERVICES
from tests.conftest import asgi_client
from tests.gateway.helpers import add_account, bearer


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def all_services(service_app: Any) -> dict[str, Any]:
    return {name: service_app(name) for name in SERVICES}


@pytest.fixture
def gateway_for(make_gateway: Any) -> Any:
    """A gateway with an admin account whose bearer token every request carries."""

    def make(service_apps: dict[str, Any], **overrides: Any) -> Any:
        gateway = make_gateway(service_apps, **overrides)
        add_account(gateway, "admin@test.example")
        return gateway

    return make


@asynccontextmanager
async def admin_client(gateway: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(gateway) as client:
        client.headers.update(await bearer(client, "admin@test.example"))
        yield client


async def test_forwards_path_query_and_answer(
    all_services: dict[str, Any], gateway_for: Any
) -> None:
    async with admin_client(gateway_for(all_services)) as client:
        response = await client.get("/api/registry/readyz", params={"x": "1"})
        missing = await client.get("/api/catalogue/no-such-thing")
    assert response.status_code == 200
    assert response.json()["service"] == "registry"
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["instance"] == "/no-such-thing"  # the service's own answer


async def test_streams_request_bodies_to_the_service(
    all_services: dict[str, Any], gateway_for: Any
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": '
        yield b'"x"}'

    async with admin_client(gateway_for(all_services)) as client:
        response = await client.post(
            "/api/billing/healthz", content=chunks(), headers={"content-type": "application/json"}
        )
    assert response.status_code == 405  # the body reached billing, which has no such write
    assert response.json()["type"] == "urn:mutualis:problem:method-not-allowed"


async def test_health_reports_every_service(all_services: dict[str, Any], gateway_for: Any) -> None:
    async with admin_client(gateway_for(all_services)) as client:
        report = (await client.get("/api/health")).json()
    assert report["status"] == "ok"
    assert {n: s["status"] for n, s in report["services"].items()} == dict.fromkeys(SERVICES, "ok")


async def test_a_service_down_is_named_and_the_others_still_answer(
    all_services: dict[str, Any], gateway_for: Any
) -> None:
    del all_services["registry"]
    gateway = gateway_for(all_services, registry_url=f"http://127.0.0.1:{closed_port()}")
    async with admin_client(gateway) as client:
        down = await client.get("/api/registry/members")
        others = [await client.get(f"/api/{name}/healthz") for name in all_services]
        health = await client.get("/api/health")
    assert down.status_code == 503
    assert down.headers["content-type"] == "application/problem+json"
    assert down.json()["service"] == "registry"
    assert "registry" in down.json()["detail"]
    assert [r.status_code for r in others] == [200, 200, 200]
    assert health.status_code == 503
    report = health.json()
    assert report["status"] == "degraded"
    assert report["services"]["registry"]["status"] == "down"
    assert report["services"]["billing"]["status"] == "ok"


async def test_a_slow_service_times_out_with_504(
    all_services: dict[str, Any], gateway_for: Any
) -> None:
    accepted: list[asyncio.StreamWriter] = []

    async def never_answer(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)  # keep the connection open, say nothing

    server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    del all_services["governance"]
    gateway = gateway_for(all_services, governance_url=f"http://127.0.0.1:{port}", read_timeout=0.3)
    try:
        async with admin_client(gateway) as client:
            response = await client.get("/api/governance/meetings")
    finally:
        for writer in accepted:
            writer.close()
        server.close()
    assert response.status_code == 504
    assert response.json()["service"] == "governance"


async def test_unknown_service_is_a_404(all_services: dict[str, Any], gateway_for: Any) -> None:
    async with admin_client(gateway_for(all_services)) as client:
        response = await client.get("/api/payroll/anything")
    assert response.status_code == 404
    assert response.json()["type"] == "urn:mutualis:problem:unknown-service"


async def test_request_id_is_passed_to_the_service_and_logged_by_both(
    all_services: dict[str, Any], gateway_for: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mutualis.access")
    async with admin_client(gateway_for(all_services)) as client:
        response = await client.get(
            "/api/registry/openapi.json", headers={"X-Request-ID": "hop-77"}
        )
    assert response.headers["x-request-id"] == "hop-77"
    lines = [r for r in caplog.records if getattr(r, "request_id", None) == "hop-77"]
    paths = sorted(r.getMessage().split()[1] for r in lines)
    assert paths == ["/api/registry/openapi.json", "/openapi.json"]  # gateway's and registry's


async def test_merged_openapi_publishes_gateway_paths(
    all_services: dict[str, Any], gateway_for: Any
) -> None:
    async with admin_client(gateway_for(all_services)) as client:
        document = (await client.get("/api/openapi.json")).json()
    assert "/api/health" in document["paths"]
    assert "/api/registry/readyz" not in document["paths"]  # probes are not public API


def test_merge_prefixes_paths_schemas_and_refs() -> None:
    ref = {"$ref": "#/components/schemas/Member"}
    registry = {
        "paths": {"/members": {"get": {"operationId": "list", "responses": {"200": ref}}}},
        "components": {"schemas": {"Member": {"type": "object"}}},
    }
    billing = {
        "paths": {"/runs": {"post": {"operationId": "list", "requestBody": ref}}},
        "components": {"schemas": {"Member": {"type": "string"}}},
    }
    merged = merge_documents({"paths": {}}, {"registry": registry, "billing": billing})
    get = merged["paths"]["/api/registry/members"]["get"]
    assert get["responses"]["200"] == {"$ref": "#/components/schemas/registry__Member"}
    assert get["operationId"] == "registry__list"
    assert merged["paths"]["/api/billing/runs"]["post"]["tags"] == ["billing"]
    assert merged["components"]["schemas"]["billing__Member"] == {"type": "string"}
