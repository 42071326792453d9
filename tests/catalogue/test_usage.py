"""Usage per (fiscal year, driver, member): bulk upsert, replacement, scoped reads."""

from __future__ import annotations

from typing import Any

from tests.catalogue.helpers import create_driver
from tests.conftest import as_admin, as_contact, asgi_client, identity_headers

MIXED = {
    "reference_date": "2025-12-31",
    "source": "netapp",
    "measurements": [
        {"member_code": "nancy", "quantity": "1200.5"},
        {"member_code": "laxou", "quantity": "-3"},
        {"member_code": "Ludres!", "quantity": "10"},
        {"member_code": "ludres", "quantity": "80"},
        {"member_code": "nancy", "quantity": "1"},
    ],
}


async def test_bad_measurements_are_rejected_by_row_and_field_and_the_rest_stored(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_driver(client)
        response = await client.post("/usage/2025/storage_gb", json=MIXED)
        stored = await client.get("/usage/2025/storage_gb")
    body = response.json()
    assert body["summary"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 3}
    rejected = {r["index"]: r["errors"][0]["field"] for r in body["items"] if r["errors"]}
    assert rejected == {1: "quantity", 2: "member_code", 4: "member_code"}
    assert stored.json()["items"] == [
        {
            "driver_code": "storage_gb",
            "member_code": "ludres",
            "quantity": "80",
            "reference_date": "2025-12-31",
            "source": "netapp",
        },
        {
            "driver_code": "storage_gb",
            "member_code": "nancy",
            "quantity": "1200.5",
            "reference_date": "2025-12-31",
            "source": "netapp",
        },
    ]


async def test_the_same_usage_call_replayed_changes_nothing(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_driver(client)
        await client.post("/usage/2025/storage_gb", json=MIXED)
        again = await client.post("/usage/2025/storage_gb", json=MIXED)
        stored = await client.get("/usage/2025")
    assert again.json()["summary"] == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 3}
    assert len(stored.json()["items"]) == 2


async def test_put_replaces_the_drivers_measurements_of_the_year(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_driver(client)
        await client.post("/usage/2025/storage_gb", json=MIXED)
        await client.post(
            "/usage/2024/storage_gb",
            json={"measurements": [{"member_code": "laxou", "quantity": "5"}]},
        )
        replaced = await client.put(
            "/usage/2025/storage_gb",
            json={"measurements": [{"member_code": "nancy", "quantity": "1300"}]},
        )
        y2025 = await client.get("/usage/2025")
        y2024 = await client.get("/usage/2024")
    assert replaced.json()["summary"] == {
        "created": 0,
        "updated": 1,
        "unchanged": 0,
        "rejected": 0,
        "deleted": 1,
    }
    assert [(u["member_code"], u["quantity"]) for u in y2025.json()["items"]] == [("nancy", "1300")]
    assert len(y2024.json()["items"]) == 1


async def test_usage_of_a_year_is_ordered_by_driver_then_member_across_pages(
    service_app: Any,
) -> None:
    members = ["nancy", "laxou", "ludres"]
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        for driver in ("storage_gb", "accounts"):
            await create_driver(client, driver, "u")
            await client.post(
                f"/usage/2025/{driver}",
                json={"measurements": [{"member_code": m, "quantity": "1"} for m in members]},
            )
        first = await client.get("/usage/2025", params={"limit": 4})
        second = await client.get(
            "/usage/2025", params={"limit": 4, "cursor": first.json()["next_cursor"]}
        )
    keys = [
        (u["driver_code"], u["member_code"]) for u in first.json()["items"] + second.json()["items"]
    ]
    assert keys == sorted(keys)
    assert len(keys) == 6
    assert 'rel="next"' in first.headers["Link"]
    assert second.json()["next_cursor"] is None


async def test_a_member_contact_reads_only_its_own_usage(service_app: Any) -> None:
    app = service_app("catalogue")
    async with asgi_client(app, headers=as_admin()) as client:
        await create_driver(client)
        await client.post("/usage/2025/storage_gb", json=MIXED)
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        year = await client.get("/usage/2025")
        driver = await client.get("/usage/2025/storage_gb")
        write = await client.post("/usage/2025/storage_gb", json=MIXED)
    assert [u["member_code"] for u in year.json()["items"]] == ["ludres"]
    assert [u["member_code"] for u in driver.json()["items"]] == ["ludres"]
    assert write.status_code == 403


async def test_a_usage_token_may_write_usage_but_not_the_catalogue(service_app: Any) -> None:
    app = service_app("catalogue")
    async with asgi_client(app, headers=as_admin()) as client:
        await create_driver(client)
    token = identity_headers(kind="machine", roles=(), scopes=("usage:write",))
    async with asgi_client(app, headers=token) as client:
        usage = await client.post("/usage/2025/storage_gb", json=MIXED)
        driver = await client.post("/drivers", json={"code": "x", "unit": "u"})
    assert usage.status_code == 200
    assert driver.status_code == 403


async def test_usage_of_an_unknown_driver_is_404(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        response = await client.post("/usage/2025/nope", json=MIXED)
    assert response.status_code == 404
    assert response.json()["type"] == "urn:mutualis:problem:driver-not-found"


async def test_a_usage_dry_run_writes_nothing(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_driver(client)
        dry = await client.post("/usage/2025/storage_gb", json={**MIXED, "dry_run": True})
        stored = await client.get("/usage/2025")
    assert dry.json()["summary"]["created"] == 2
    assert stored.json()["items"] == []


async def test_drivers_are_listed_with_code_label_unit_and_description(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await client.post(
            "/drivers",
            json={
                "code": "accounts",
                "label": "Comptes",
                "unit": "comptes",
                "description": "Comptes de messagerie",
            },
        )
        await create_driver(client)
        duplicate = await client.post("/drivers", json={"code": "accounts", "unit": "x"})
        listed = await client.get("/drivers")
    assert listed.json()["items"] == [
        {
            "code": "accounts",
            "label": "Comptes",
            "unit": "comptes",
            "description": "Comptes de messagerie",
        },
        {"code": "storage_gb", "label": "", "unit": "Go", "description": ""},
    ]
    assert duplicate.status_code == 409


async def test_an_idempotency_key_on_usage_replays_the_first_answer(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_driver(client)
        headers = {"Idempotency-Key": "usage-2025-12"}
        first = await client.post("/usage/2025/storage_gb", json=MIXED, headers=headers)
        changed = {**MIXED, "measurements": [{"member_code": "nancy", "quantity": "9"}]}
        await client.post("/usage/2025/storage_gb", json=changed)
        retry = await client.post("/usage/2025/storage_gb", json=MIXED, headers=headers)
        stored = await client.get("/usage/2025/storage_gb")
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    nancy = next(u for u in stored.json()["items"] if u["member_code"] == "nancy")
    assert nancy["quantity"] == "9"
