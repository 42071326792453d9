"""The service catalogue: offerings by domain, their history, who subscribes."""

from __future__ import annotations

from typing import Any

from tests.catalogue.helpers import create_service
from tests.conftest import as_admin, as_contact, asgi_client

LEVELS = [{"indicator": "Disponibilité", "commitment": "99,5 % en heures ouvrées"}]


async def test_an_offering_is_listed_by_domain(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_service(client, "messagerie", service_levels=LEVELS)
        await create_service(client, "stockage", domain="infrastructure")
        infra = await client.get("/services", params={"domain": "infrastructure"})
        single = await client.get("/services/messagerie")
    assert [s["code"] for s in infra.json()["items"]] == ["stockage"]
    assert single.json()["service_levels"] == LEVELS
    assert single.headers["ETag"]


async def test_every_change_is_kept_in_the_history(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_service(client, "messagerie", status="draft")
        await client.patch("/services/messagerie", json={"status": "active", "note": "Ouverture"})
        await client.patch("/services/messagerie", json={"description": "Exchange hébergé"})
        history = await client.get("/services/messagerie/history")
    changes = history.json()["items"]
    assert [c["change"] for c in changes] == ["created", "status", "updated"]
    assert changes[1]["changes"] == {"status": {"from": "draft", "to": "active"}}
    assert changes[1]["note"] == "Ouverture"
    assert changes[2]["changes"]["description"]["to"] == "Exchange hébergé"


async def test_members_do_not_see_draft_offerings(service_app: Any) -> None:
    app = service_app("catalogue")
    async with asgi_client(app, headers=as_admin()) as client:
        await create_service(client, "messagerie")
        await create_service(client, "ia-generative", status="draft")
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        listed = await client.get("/services")
        draft = await client.get("/services/ia-generative")
        feed = await client.get("/service-changes")
    assert [s["code"] for s in listed.json()["items"]] == ["messagerie"]
    assert draft.status_code == 404
    assert {c["service_code"] for c in feed.json()["items"]} == {"messagerie"}


async def test_a_duplicate_code_is_a_conflict(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_service(client, "messagerie")
        again = await client.post(
            "/services", json={"code": "messagerie", "name": "x", "domain": "support"}
        )
    assert again.status_code == 409
    assert again.json()["type"] == "urn:mutualis:problem:duplicate-code"


async def test_a_bad_status_is_a_422_naming_the_field(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        response = await client.post(
            "/services", json={"code": "x", "name": "x", "domain": "support", "status": "open"}
        )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


async def test_subscribers_are_kept_and_a_member_sees_only_its_own(service_app: Any) -> None:
    app = service_app("catalogue")
    async with asgi_client(app, headers=as_admin()) as client:
        await create_service(client, "messagerie")
        first = await client.put(
            "/services/messagerie/subscribers/ludres", json={"since": "2024-01-01"}
        )
        again = await client.put(
            "/services/messagerie/subscribers/ludres", json={"since": "2024-01-01"}
        )
        await client.put("/services/messagerie/subscribers/nancy", json={})
        everyone = await client.get("/services/messagerie/subscribers")
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        own = await client.get("/services/messagerie/subscribers")
        write = await client.put("/services/messagerie/subscribers/ludres", json={})
    assert (first.status_code, again.status_code) == (201, 200)
    assert [s["member_code"] for s in everyone.json()["items"]] == ["ludres", "nancy"]
    assert own.json()["items"] == [
        {"service_code": "messagerie", "member_code": "ludres", "since": "2024-01-01"}
    ]
    assert write.status_code == 403


async def test_an_unsubscribed_member_is_no_longer_listed(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_service(client, "messagerie")
        await client.put("/services/messagerie/subscribers/ludres", json={})
        deleted = await client.delete("/services/messagerie/subscribers/ludres")
        missing = await client.delete("/services/messagerie/subscribers/ludres")
        listed = await client.get("/services/messagerie/subscribers")
    assert deleted.status_code == 204
    assert missing.status_code == 404
    assert listed.json()["items"] == []


async def test_a_members_subscriptions_are_listed_across_services(service_app: Any) -> None:
    app = service_app("catalogue")
    async with asgi_client(app, headers=as_admin()) as client:
        for code, status in (("stockage", "active"), ("messagerie", "active"), ("ia", "draft")):
            await create_service(client, code, status=status)
            await client.put(f"/services/{code}/subscribers/ludres", json={"since": "2024-01-01"})
        await client.put("/services/stockage/subscribers/nancy", json={})
        staff = await client.get("/subscriptions", params={"member_code": "ludres", "limit": 2})
        rest = await client.get(
            "/subscriptions",
            params={"member_code": "ludres", "cursor": staff.json()["next_cursor"]},
        )
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        own = await client.get("/subscriptions", params={"member_code": "ludres"})
        other = await client.get("/subscriptions", params={"member_code": "nancy"})
    assert [s["service_code"] for s in staff.json()["items"]] == ["ia", "messagerie"]
    assert [s["service_code"] for s in rest.json()["items"]] == ["stockage"]
    # a contact sees the published catalogue's only, and never another member's
    assert own.json()["items"] == [
        {"service_code": code, "member_code": "ludres", "since": "2024-01-01"}
        for code in ("messagerie", "stockage")
    ]
    assert other.status_code == 404  # another member does not exist for a contact
