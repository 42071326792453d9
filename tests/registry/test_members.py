"""Members (adhérents): validation, host rule, filters, pagination, ETag, scope, no deletion."""

from __future__ import annotations

from typing import Any

from tests.conftest import as_admin, as_contact, asgi_client, identity_headers
from tests.registry.factories import bad_checksum, create_member, member_body, siret


async def test_a_member_is_created_and_read_back(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        created = await create_member(client, "ludres", name="Ludres", siret=siret(12345678))
        read = await client.get("/members/ludres")
    assert read.status_code == 200
    assert read.json() == created
    assert created["siret"] == siret(12345678)
    assert created["invoiced"] is True
    assert created["is_host"] is False
    assert created["joined_on"] == "2017-07-13"
    assert created["left_on"] is None


async def test_a_siret_with_a_bad_checksum_is_422_naming_the_field(service_app: Any) -> None:
    body = member_body("ludres", siret=bad_checksum(siret(12345678)))
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        response = await client.post("/members", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["siret"]
    assert "checksum" in response.json()["errors"][0]["message"]


async def test_the_host_is_never_invoiced(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        host = await create_member(client, "grand-nancy", kind="metropole", is_host=True)
        refused = await client.patch("/members/grand-nancy", json={"invoiced": True})
    assert host["invoiced"] is False
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "invoiced"


async def test_there_is_only_one_host(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "grand-nancy", kind="metropole", is_host=True)
        second = await client.post("/members", json=member_body("nancy", is_host=True))
    assert second.status_code == 409
    assert second.json()["type"] == "urn:mutualis:problem:host-already-exists"


async def test_a_duplicate_code_or_siret_is_409(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        first = await create_member(client, "ludres")
        same_code = await client.post("/members", json=member_body("ludres"))
        same_siret = await client.post("/members", json=member_body("nancy", siret=first["siret"]))
    assert same_code.status_code == 409
    assert same_siret.status_code == 409
    assert same_siret.json()["type"] == "urn:mutualis:problem:siret-taken"


async def test_an_unknown_kind_and_a_bad_code_are_422(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        response = await client.post("/members", json=member_body("Ludres Ville", kind="ville"))
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"code", "kind"}


async def test_list_filters_by_kind_and_invoiced_in_code_order(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "nancy")
        await create_member(client, "ccas-nancy", kind="ccas")
        await create_member(client, "grand-nancy", kind="metropole", is_host=True)
        await create_member(client, "ludres")
        communes = await client.get("/members", params={"kind": "commune"})
        not_invoiced = await client.get("/members", params={"invoiced": "false"})
        everyone = await client.get("/members")
    assert [m["code"] for m in communes.json()["items"]] == ["ludres", "nancy"]
    assert [m["code"] for m in not_invoiced.json()["items"]] == ["grand-nancy"]
    assert [m["code"] for m in everyone.json()["items"]] == [
        "ccas-nancy",
        "grand-nancy",
        "ludres",
        "nancy",
    ]


async def test_the_list_is_paginated_with_a_cursor_and_a_link(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        for code in ("laxou", "ludres", "nancy", "pulnoy", "seichamps"):
            await create_member(client, code)
        first = await client.get("/members", params={"limit": 2})
        second = await client.get(
            "/members", params={"limit": 2, "cursor": first.json()["next_cursor"]}
        )
        last = await client.get(
            "/members", params={"limit": 2, "cursor": second.json()["next_cursor"]}
        )
    assert [m["code"] for m in first.json()["items"]] == ["laxou", "ludres"]
    assert 'rel="next"' in first.headers["link"]
    assert [m["code"] for m in second.json()["items"]] == ["nancy", "pulnoy"]
    assert [m["code"] for m in last.json()["items"]] == ["seichamps"]
    assert last.json()["next_cursor"] is None


async def test_a_member_carries_an_etag_honoured_by_if_none_match(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        first = await client.get("/members/ludres")
        again = await client.get(
            "/members/ludres", headers={"If-None-Match": first.headers["etag"]}
        )
        await client.patch("/members/ludres", json={"name": "Ville de Ludres"})
        changed = await client.get(
            "/members/ludres", headers={"If-None-Match": first.headers["etag"]}
        )
    assert again.status_code == 304
    assert changed.status_code == 200
    assert changed.json()["name"] == "Ville de Ludres"


async def test_a_member_that_leaves_is_kept_with_its_left_on_date(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "hellecourt")
        left = await client.patch("/members/hellecourt", json={"left_on": "2023-12-31"})
        listed = await client.get("/members")
    assert left.status_code == 200
    assert left.json()["left_on"] == "2023-12-31"
    assert [m["code"] for m in listed.json()["items"]] == ["hellecourt"]


async def test_deleting_a_member_with_history_is_409_with_an_explanation(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        await client.put(
            "/members/ludres/workstations/2024",
            json={"count": 120, "reference_date": "2024-01-01", "source": "declared"},
        )
        response = await client.delete("/members/ludres")
        still = await client.get("/members/ludres")
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == "urn:mutualis:problem:member-has-history"
    assert "left_on" in problem["detail"]
    assert problem["history"] == {"workstation_counts": 1}
    assert still.status_code == 200


async def test_a_member_entered_by_mistake_can_be_deleted(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "typo")
        deleted = await client.delete("/members/typo")
        gone = await client.get("/members/typo")
    assert deleted.status_code == 204
    assert gone.status_code == 404
    assert gone.json()["type"] == "urn:mutualis:problem:member-not-found"


async def test_a_contact_sees_only_its_own_member(service_app: Any) -> None:
    app = service_app("registry")
    async with asgi_client(app, headers=as_admin()) as client:
        await create_member(client, "ludres")
        await create_member(client, "nancy")
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        listed = await client.get("/members")
        other = await client.get("/members/nancy")
        own = await client.get("/members/ludres")
    assert [m["code"] for m in listed.json()["items"]] == ["ludres"]
    assert other.status_code == 404
    assert own.status_code == 200


async def test_writes_need_registry_write(service_app: Any) -> None:
    async with asgi_client(
        service_app("registry"), headers=identity_headers(roles=("project",))
    ) as client:
        response = await client.post("/members", json=member_body("ludres"))
    assert response.status_code == 403


async def test_every_write_is_audited_with_before_and_after(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        await client.patch("/members/ludres", json={"name": "Ville de Ludres"})
        trail = await client.get(
            "/audit-entries", params={"resource_type": "member", "resource_id": "ludres"}
        )
    entries = trail.json()["items"]
    assert [e["action"] for e in entries] == ["create", "update"]
    assert entries[1]["before"]["name"] == "Ludres"
    assert entries[1]["after"]["name"] == "Ville de Ludres"
    assert entries[1]["principal"] == "account:1 (Test User)"


async def test_a_required_field_cannot_be_patched_to_null(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        response = await client.patch("/members/ludres", json={"name": None})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
