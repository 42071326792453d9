"""Attack 10 of the hardening review (in part): the ``Link`` headers of the services reached
integrators unchanged, naming internal addresses they cannot reach, and timestamps came without
their time zone on SQLite."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import asgi_client
from tests.gateway.helpers import add_account, bearer
from tests.registry.factories import member_body


async def test_next_links_name_the_public_gateway_address(make_gateway: Any) -> None:
    gateway = make_gateway(public_address="https://mutualis.grand-nancy.example")
    add_account(gateway, "admin@test.example")
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        for code in ("laxou", "ludres", "nancy"):
            await client.post("/api/registry/members", json=member_body(code), headers=admin)
        first = await client.get("/api/registry/members", params={"limit": 2}, headers=admin)
        link = first.headers["link"]
        target = link[link.index("<") + 1 : link.index(">")]
        assert target.startswith("https://mutualis.grand-nancy.example/api/registry/members?")
        assert 'rel="next"' in link
        second = await client.get(
            target.removeprefix("https://mutualis.grand-nancy.example"), headers=admin
        )
    assert [m["code"] for m in second.json()["items"]] == ["nancy"]


async def test_timestamps_carry_their_offset(make_gateway: Any) -> None:
    gateway = make_gateway()
    add_account(gateway, "admin@test.example")
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        await client.post("/api/registry/members", json=member_body("ludres"), headers=admin)
        changes = (await client.get("/api/registry/audit-entries", headers=admin)).json()
        accounts = (await client.get("/api/auth/accounts", headers=admin)).json()
        audit = (await client.get("/api/auth/audit", headers=admin)).json()
    stamps = [changes["items"][0]["occurred_at"], audit["items"][0]["occurred_at"]]
    stamps += [a["last_login_at"] for a in accounts["items"] if a["last_login_at"]]
    for stamp in stamps:
        assert dt.datetime.fromisoformat(stamp).utcoffset() is not None, stamp


async def test_every_operation_documents_its_problem_responses(make_gateway: Any) -> None:
    """The merged document (gateway and services) names, for every operation, the problems it
    may answer, as RFC 9457 bodies; FastAPI's own 422 shape, never answered, is gone. (The
    fuzzing of tests/integration/test_gateway_fuzz.py checks the answers against it.)"""
    async with asgi_client(make_gateway()) as client:
        document = (await client.get("/api/openapi.json")).json()
    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
    ]
    assert len(operations) > 150
    services = {path.split("/")[2] for path, _, _ in operations if path.startswith("/api/")}
    assert {"registry", "catalogue", "billing", "governance", "auth"} <= services
    for path, method, operation in operations:
        expected = {"400", "401", "403", "404", "422", "503", "default"}
        if method in ("post", "put", "patch", "delete"):
            expected |= {"409", "413"}
        responses = operation["responses"]
        assert expected <= set(responses), (method, path, sorted(responses))
        for status in expected:
            content = responses[status]["content"]
            if path == "/api/catalogue/glpi-agent":  # the agent's protocol answers its own JSON
                content = {k: v for k, v in content.items() if k == "application/problem+json"}
            assert list(content) == ["application/problem+json"], (method, path, status)
            assert content["application/problem+json"]["schema"]["$ref"].endswith("ProblemDetails")
    assert not any("HTTPValidationError" in name for name in document["components"]["schemas"])
    agent = document["paths"]["/api/catalogue/glpi-agent"]["post"]["responses"]
    assert {"application/json", "application/x-compress-zlib"} <= set(agent["400"]["content"])
