"""Inventory ingestion: idempotent upsert by (source, external id), per-item results."""

from __future__ import annotations

from typing import Any

from tests.catalogue.helpers import create_service
from tests.conftest import as_admin, as_contact, asgi_client, identity_headers


def item(external_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "external_id": external_id,
        "name": f"Serveur {external_id}",
        "kind": "server",
        **fields,
    }


def load(items: list[Any], **options: Any) -> dict[str, Any]:
    return {"source": "ocs", "items": items, **options}


MIXED = [
    item("A1", member_codes=["nancy"]),
    item("A2", kind="spaceship"),
    item("A3", in_service_on="2024-02-30"),
    item("A4", service_code="messagerie"),
    {"external_id": "A5"},
]


async def test_bad_rows_are_rejected_by_row_and_field_and_the_rest_stored(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_service(client, "messagerie")
        response = await client.post("/inventory", json=load(MIXED))
        stored = await client.get("/components", params={"source": "ocs"})
    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 3}
    statuses = [(r["index"], r["key"], r["status"]) for r in body["items"]]
    assert statuses == [
        (0, "A1", "created"),
        (1, "A2", "rejected"),
        (2, "A3", "rejected"),
        (3, "A4", "created"),
        (4, "A5", "rejected"),
    ]
    assert [e["field"] for e in body["items"][1]["errors"]] == ["kind"]
    assert [e["field"] for e in body["items"][2]["errors"]] == ["in_service_on"]
    assert sorted(e["field"] for e in body["items"][4]["errors"]) == ["kind", "name"]
    assert [c["external_id"] for c in stored.json()["items"]] == ["A1", "A4"]
    assert stored.json()["items"][1]["service_code"] == "messagerie"


async def test_the_same_call_replayed_changes_nothing_and_duplicates_nothing(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_service(client, "messagerie")
        await client.post("/inventory", json=load(MIXED))
        again = await client.post("/inventory", json=load(MIXED))
        stored = await client.get("/components", params={"source": "ocs"})
    assert again.json()["summary"] == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 3}
    assert len(stored.json()["items"]) == 2


async def test_a_changed_item_is_updated_with_the_fields_that_changed(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await client.post("/inventory", json=load([item("A1")]))
        response = await client.post(
            "/inventory", json=load([item("A1", name="Serveur renommé", member_codes=["laxou"])])
        )
        component = await client.get("/components/ocs-a1")
    result = response.json()["items"][0]
    assert (result["status"], result["changed_fields"]) == ("updated", ["member_codes", "name"])
    assert component.json()["name"] == "Serveur renommé"
    assert component.json()["member_codes"] == ["laxou"]


async def test_all_or_nothing_stores_nothing_when_an_item_is_rejected(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        response = await client.post("/inventory", json=load(MIXED, all_or_nothing=True))
        stored = await client.get("/components")
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "urn:mutualis:problem:bulk-rejected"
    assert {"items[1].kind", "items[3].service_code"} <= {e["field"] for e in problem["errors"]}
    assert stored.json()["items"] == []


async def test_a_dry_run_reports_what_would_change_and_writes_nothing(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await client.post("/inventory", json=load([item("A1")]))
        dry = await client.post(
            "/inventory", json=load([item("A1", name="Nouveau nom"), item("B1")], dry_run=True)
        )
        stored = await client.get("/components")
    assert dry.json()["dry_run"] is True
    assert [r["status"] for r in dry.json()["items"]] == ["updated", "created"]
    assert [(c["code"], c["name"]) for c in stored.json()["items"]] == [("ocs-a1", "Serveur A1")]


async def test_a_full_load_retires_the_sources_missing_components(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await client.post("/inventory", json=load([item("A1"), item("A2")]))
        other = await client.post("/inventory", json={"source": "glpi", "items": [item("A9")]})
        full = await client.post("/inventory", json=load([item("A1")], mode="full"))
        retired = await client.get("/components", params={"retired": "true"})
        in_service = await client.get("/components", params={"retired": "false"})
    assert other.status_code == 200
    assert full.json()["summary"]["retired"] == 1
    assert [(r["key"], r["status"]) for r in full.json()["items"]] == [
        ("A1", "unchanged"),
        ("A2", "retired"),
    ]
    assert [c["code"] for c in retired.json()["items"]] == ["ocs-a2"]
    assert retired.json()["items"][0]["status"] == "retired"
    assert [c["code"] for c in in_service.json()["items"]] == ["glpi-a9", "ocs-a1"]


async def test_locked_fields_survive_the_next_load(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await client.post("/inventory", json=load([item("A1", end_of_support_on="2026-01-01")]))
        edit = await client.patch(
            "/components/ocs-a1",
            json={"name": "Serveur paie (nom DSIT)", "locked_fields": ["name"]},
        )
        reload = await client.post(
            "/inventory", json=load([item("A1", end_of_support_on="2028-01-01")])
        )
        component = (await client.get("/components/ocs-a1")).json()
    assert edit.status_code == 200
    assert reload.json()["items"][0]["changed_fields"] == ["end_of_support_on"]
    assert component["name"] == "Serveur paie (nom DSIT)"
    assert component["end_of_support_on"] == "2028-01-01"
    assert component["locked_fields"] == ["name"]


async def test_a_code_held_by_another_component_rejects_the_item(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await client.post(
            "/components", json={"code": "paie", "name": "Paie", "kind": "application"}
        )
        response = await client.post("/inventory", json=load([item("P1", code="paie")]))
    assert response.json()["items"][0]["status"] == "rejected"
    assert response.json()["items"][0]["errors"][0]["field"] == "code"


async def test_an_idempotency_key_replays_the_first_answer(service_app: Any) -> None:
    headers = {**as_admin(), "Idempotency-Key": "load-2026-11-30"}
    async with asgi_client(service_app("catalogue"), headers=headers) as client:
        first = await client.post("/inventory", json=load([item("A1")]))
        retry = await client.post("/inventory", json=load([item("A1")]))
        reused = await client.post("/inventory", json=load([item("A2")]))
    assert first.json()["summary"]["created"] == 1
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert reused.status_code == 409
    assert reused.json()["type"] == "urn:mutualis:problem:idempotency-key-reused"


async def test_more_than_ten_thousand_items_are_refused(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        response = await client.post("/inventory", json=load([item("x")] * 10_001))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "items"


async def test_ingestion_needs_the_inventory_permission(service_app: Any) -> None:
    token = identity_headers(kind="machine", roles=(), scopes=("inventory:write",))
    app = service_app("catalogue")
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        contact = await client.post("/inventory", json=load([item("A1")]))
    async with asgi_client(app, headers=token) as client:
        machine = await client.post("/inventory", json=load([item("A1")]))
    assert contact.status_code == 403
    assert machine.status_code == 200
