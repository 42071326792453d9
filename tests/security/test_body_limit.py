"""Attack 6 of the hardening review: a 50 MB body was read whole before the answer (six in
parallel took the gateway from 112 to 588 MB). The gateway now refuses a body larger than its
route allows with 413 problem+json, before reading it or as soon as it goes past the limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from tests.conftest import asgi_client
from tests.gateway.helpers import add_account, bearer

MB = 1 << 20


def too_large(response: Any, limit: int) -> None:
    assert response.status_code == 413, response.text[:300]
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == "urn:mutualis:problem:body-too-large"
    assert response.json()["limit"] == limit


async def test_a_declared_body_over_the_limit_is_refused_unread(make_gateway: Any) -> None:
    gateway = make_gateway()
    read = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal read
        for _ in range(50):
            read += MB
            yield b"a" * MB

    async with asgi_client(gateway) as client:
        big = await client.post(
            "/api/auth/sessions",
            content=body(),
            headers={"Content-Type": "application/json", "Content-Length": str(50 * MB)},
        )
    too_large(big, MB)
    assert read <= 2 * MB  # the answer came without the rest being sent


async def test_a_chunked_body_is_cut_as_soon_as_it_passes_the_limit(make_gateway: Any) -> None:
    gateway = make_gateway()
    add_account(gateway, "admin@test.example")

    async def body() -> AsyncIterator[bytes]:
        for _ in range(8):
            yield b" " * (MB // 2)

    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        chunked = await client.post(
            "/api/auth/api-tokens",
            content=body(),
            headers={**admin, "Content-Type": "application/json"},
        )
    too_large(chunked, MB)


async def test_bulk_upload_routes_take_more_and_the_limits_are_settings(make_gateway: Any) -> None:
    gateway = make_gateway(max_body_bytes=1000, max_upload_bytes=50_000)
    add_account(gateway, "admin@test.example")
    rows = "".join(f"S{i},Serveur {i},server\n" for i in range(1000))  # about 20 kB
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        upload = await client.post(
            "/api/catalogue/inventory/csv",
            params={"source": "tableur"},
            content=f"external_id,name,kind\n{rows}",
            headers={**admin, "Content-Type": "text/csv"},
        )
        ordinary = await client.post(
            "/api/catalogue/components",
            json={"code": "x", "name": "x" * 2000, "kind": "application"},
            headers=admin,
        )
        too_big_upload = await client.post(
            "/api/catalogue/inventory/csv",
            params={"source": "tableur"},
            content=f"external_id,name,kind\n{rows * 3}",
            headers={**admin, "Content-Type": "text/csv"},
        )
    assert upload.status_code == 200, upload.text[:300]
    too_large(ordinary, 1000)
    too_large(too_big_upload, 50_000)
