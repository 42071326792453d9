"""Contacts (interlocuteurs habilités): roles, unique email, lookup by email, GDPR."""

from __future__ import annotations

from typing import Any

from tests.conftest import as_admin, as_contact, asgi_client, identity_headers
from tests.registry.factories import create_contact, create_member


async def test_a_contact_is_created_with_roles_and_dashboard_access(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        created = await create_contact(
            client, "ludres", "Claire.Martin@Ludres.example", roles=["dpo", "it_referent"]
        )
        listed = await client.get("/members/ludres/contacts")
    assert created["email"] == "claire.martin@ludres.example"
    assert created["roles"] == ["dpo", "it_referent"]
    assert created["dashboard_access"] is True
    assert created["erased"] is False
    assert listed.json()["items"] == [created]


async def test_an_unknown_role_or_a_bad_email_is_422(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        response = await client.post(
            "/members/ludres/contacts",
            json={"first_name": "A", "last_name": "B", "email": "no-at-sign", "roles": ["mayor"]},
        )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"email", "roles.0"}


async def test_an_email_is_unique_whatever_its_case(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        await create_member(client, "nancy")
        await create_contact(client, "ludres", "dsi@example.org")
        response = await client.post(
            "/members/nancy/contacts",
            json={"first_name": "A", "last_name": "B", "email": "DSI@Example.org"},
        )
    assert response.status_code == 409
    assert response.json()["type"] == "urn:mutualis:problem:contact-email-taken"


async def test_contacts_are_found_by_email_case_insensitively(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        contact = await create_contact(client, "ludres", "referent@ludres.example")
        await create_contact(client, "ludres", "finances@ludres.example")
        found = await client.get("/contacts", params={"email": "Referent@LUDRES.example"})
        none = await client.get("/contacts", params={"email": "nobody@ludres.example"})
    assert found.json()["items"] == [contact]
    assert found.json()["items"][0]["member_code"] == "ludres"
    assert none.json()["items"] == []


async def test_a_member_contact_sees_only_its_members_contacts(service_app: Any) -> None:
    app = service_app("registry")
    async with asgi_client(app, headers=as_admin()) as client:
        await create_member(client, "ludres")
        await create_member(client, "nancy")
        await create_contact(client, "ludres", "a@ludres.example")
        other = await create_contact(client, "nancy", "b@nancy.example")
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        everyone = await client.get("/contacts")
        by_email = await client.get("/contacts", params={"email": "b@nancy.example"})
        direct = await client.get(f"/contacts/{other['id']}")
        listed = await client.get("/members/nancy/contacts")
    assert [c["email"] for c in everyone.json()["items"]] == ["a@ludres.example"]
    assert by_email.json()["items"] == []
    assert direct.status_code == 404
    assert listed.status_code == 404


async def test_a_contact_is_updated_and_read_with_an_etag(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        contact = await create_contact(client, "ludres", "a@ludres.example")
        updated = await client.patch(
            f"/contacts/{contact['id']}",
            json={"roles": ["finance_officer"], "dashboard_access": False},
        )
        read = await client.get(f"/contacts/{contact['id']}")
        cached = await client.get(
            f"/contacts/{contact['id']}", headers={"If-None-Match": read.headers["etag"]}
        )
    assert updated.json()["roles"] == ["finance_officer"]
    assert read.json()["dashboard_access"] is False
    assert cached.status_code == 304


async def test_the_gdpr_export_holds_everything_on_the_person(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres", name="Ludres")
        contact = await create_contact(client, "ludres", "a@ludres.example")
        await client.patch(f"/contacts/{contact['id']}", json={"phone": "03 83 11 22 33"})
        export = await client.get(f"/contacts/{contact['id']}/export")
    body = export.json()
    assert export.status_code == 200
    assert body["contact"]["email"] == "a@ludres.example"
    assert body["contact"]["phone"] == "03 83 11 22 33"
    assert body["member"] == {"code": "ludres", "name": "Ludres"}
    assert [h["action"] for h in body["history"]] == ["create", "update"]
    assert body["history"][1]["before"]["phone"] == "+33 3 83 00 00 00"


async def test_erasure_pseudonymises_the_person_and_its_history(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        contact = await create_contact(client, "ludres", "claire@ludres.example")
        erased = await client.post(f"/contacts/{contact['id']}/erase")
        by_email = await client.get("/contacts", params={"email": "claire@ludres.example"})
        export = (await client.get(f"/contacts/{contact['id']}/export")).json()
        trail = await client.get(
            "/audit-entries", params={"resource_type": "contact", "resource_id": contact["id"]}
        )
    assert erased.status_code == 200
    assert erased.json()["erased"] is True
    assert erased.json()["dashboard_access"] is False
    assert erased.json()["member_code"] == "ludres"
    assert by_email.json()["items"] == []
    assert "Claire" not in trail.text
    assert "claire@ludres.example" not in trail.text
    assert "claire@ludres.example" not in str(export)
    assert [e["action"] for e in trail.json()["items"]] == ["create", "erase"]


async def test_an_erased_contact_cannot_be_changed(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        contact = await create_contact(client, "ludres", "a@ludres.example")
        await client.post(f"/contacts/{contact['id']}/erase")
        response = await client.patch(f"/contacts/{contact['id']}", json={"first_name": "B"})
    assert response.status_code == 409
    assert response.json()["type"] == "urn:mutualis:problem:contact-erased"


async def test_gdpr_export_and_erasure_need_gdpr_write(service_app: Any) -> None:
    app = service_app("registry")
    async with asgi_client(app, headers=as_admin()) as client:
        await create_member(client, "ludres")
        contact = await create_contact(client, "ludres", "a@ludres.example")
    path = f"/contacts/{contact['id']}"
    async with asgi_client(app, headers=identity_headers(roles=("finance",))) as client:
        finance_export = await client.get(f"{path}/export")
        finance_erase = await client.post(f"{path}/erase")
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        own_member_export = await client.get(f"{path}/export")
    async with asgi_client(app, headers=identity_headers(roles=("dpo",))) as client:
        dpo_export = await client.get(f"{path}/export")
    assert finance_export.status_code == 403
    assert finance_erase.status_code == 403
    assert own_member_export.status_code == 403
    assert dpo_export.status_code == 200
