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
