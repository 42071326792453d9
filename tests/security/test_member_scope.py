"""Attack 1 of the hardening review: a token restricted to one member writes other members' data.

Each test replays the attack through the real gateway in front of the real services, with a
token restricted to ``ludres``: every write naming another member, or a value shared by every
member, is refused with 403 ``member-scope`` naming the member, and nothing is stored.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import asgi_client
from tests.gateway.helpers import add_account, bearer
from tests.registry.factories import member_body

A, B, C = "ludres", "nancy", "laxou"


@pytest.fixture
async def platform(make_gateway: Any) -> Any:
    gateway = make_gateway()
    add_account(gateway, "admin@test.example")
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        for code in (A, B, C):
            created = await client.post(
                "/api/registry/members", json=member_body(code), headers=admin
            )
            assert created.status_code == 201, created.text
        yield client, admin


async def token(client: Any, admin: dict[str, str], scope: str) -> dict[str, str]:
    created = await client.post(
        "/api/auth/api-tokens",
        headers=admin,
        json={"name": f"{scope} {A}", "scopes": [scope], "member_code": A},
    )
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json()['token']}"}


def refused(response: Any, *members: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == "urn:mutualis:problem:member-scope"
    assert problem["members"] == list(members)
    assert "nothing was stored" in problem["detail"]


async def test_a_usage_token_of_one_member_writes_no_other_member(platform: Any) -> None:
    client, admin = platform
    assert (
        await client.post(
            "/api/catalogue/drivers", json={"code": "storage_gb", "unit": "Go"}, headers=admin
        )
    ).status_code == 201
    url = "/api/catalogue/usage/2026/storage_gb"
    seeded = await client.post(
        url,
        headers=admin,
        json={"measurements": [{"member_code": c, "quantity": "10"} for c in (A, B, C)]},
    )
    assert seeded.status_code == 200, seeded.text
    usage = await token(client, admin, "usage:write")

    other = await client.post(
        url,
        headers=usage,
        json={"source": "x", "measurements": [{"member_code": B, "quantity": "999999"}]},
    )
    mixed = await client.post(
        url,
        headers=usage,
        json={
            "measurements": [
                {"member_code": A, "quantity": "11"},
                {"member_code": B, "quantity": "0"},
            ]
        },
    )
    replace_all = await client.put(
        url, headers=usage, json={"measurements": [{"member_code": A, "quantity": "12"}]}
    )
    own = await client.post(
        url, headers=usage, json={"measurements": [{"member_code": A, "quantity": "13"}]}
    )
    stored = await client.get(url, headers=admin)

    refused(other, B)
    refused(mixed, B)
    refused(replace_all)  # a PUT deletes every member not in the call
    assert own.status_code == 200, own.text
    quantities = {m["member_code"]: m["quantity"] for m in stored.json()["items"]}
    assert {k: str(v) for k, v in quantities.items()} == {A: "13", B: "10", C: "10"}


async def test_an_indicators_token_measures_its_member_only(platform: Any) -> None:
    client, admin = platform
    created = await client.post(
        "/api/governance/master-plans/indicators",
        headers=admin,
        json={
            "code": "postes-mfa",
            "name": "Postes avec MFA",
            "definition": "Part des postes protégés par MFA",
            "unit": "%",
            "direction": "up",
            "category": "quality",
        },
    )
    assert created.status_code == 201, created.text
    measures = await token(client, admin, "indicators:write")
    url = "/api/governance/master-plans/indicators/postes-mfa/measurements"

    def batch(member: str | None) -> dict[str, Any]:
        return {
            "measurements": [
                {"period": "2026-06-30", "member_code": member, "value": "90", "source": "mfa"}
            ]
        }

    other = await client.post(url, headers=measures, json=batch(B))
    overall = await client.post(url, headers=measures, json=batch(None))
    own = await client.post(url, headers=measures, json=batch(A))
    stored = await client.get(url, headers=admin)

    refused(other, B)
    refused(overall)
    assert own.status_code == 200, own.text
    assert [m["member_code"] for m in stored.json()["items"]] == [A]


async def test_an_inventory_token_loads_components_of_its_member_only(platform: Any) -> None:
    client, admin = platform

    def load(*items: dict[str, Any], **options: Any) -> dict[str, Any]:
        return {"source": "ocs", "items": list(items), **options}

    def component(external_id: str, *members: str) -> dict[str, Any]:
        return {
            "external_id": external_id,
            "name": f"Serveur {external_id}",
            "kind": "server",
            "member_codes": list(members),
        }

    seeded = await client.post(
        "/api/catalogue/inventory", headers=admin, json=load(component("B1", B))
    )
    assert seeded.status_code == 200, seeded.text
    inventory = await token(client, admin, "inventory:write")

    other = await client.post(
        "/api/catalogue/inventory", headers=inventory, json=load(component("X1", B))
    )
    shared = await client.post(
        "/api/catalogue/inventory", headers=inventory, json=load(component("X2"))
    )
    taken_over = await client.post(
        "/api/catalogue/inventory", headers=inventory, json=load(component("B1", A))
    )
    full = await client.post(
        "/api/catalogue/inventory", headers=inventory, json=load(component("A1", A), mode="full")
    )
    csv = await client.post(
        "/api/catalogue/inventory/csv",
        headers={**inventory, "Content-Type": "text/csv"},
        params={"source": "tableur"},
        content=f"external_id,name,kind,member_codes\nT1,Serveur,server,{A}|{B}\n".encode(),
    )
    own = await client.post(
        "/api/catalogue/inventory", headers=inventory, json=load(component("A1", A))
    )
    components = await client.get("/api/catalogue/components", headers=admin)

    refused(other, B)
    refused(shared)
    refused(taken_over, B)  # B1 is stored for nancy: reloading it would take it from her
    refused(full)
    refused(csv, B)
    assert own.status_code == 200, own.text
    stored = {c["code"]: c["member_codes"] for c in components.json()["items"]}
    assert stored == {"ocs-b1": [B], "ocs-a1": [A]}
