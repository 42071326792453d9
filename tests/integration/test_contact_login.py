"""A member's contact logs in with the member and roles the registry gives them."""

from __future__ import annotations

from typing import Any

from kit.settings import SERVICES
from tests.conftest import asgi_client, sync_client
from tests.gateway.helpers import PASSWORD, add_account, bearer
from tests.registry.factories import member_body


async def make(service_app: Any, make_gateway: Any, *, dashboard_access: bool) -> Any:
    apps = {name: service_app(name) for name in SERVICES}
    gateway = make_gateway(apps, registry_client=sync_client(apps["registry"]))
    add_account(gateway, "admin@dsit.test")
    add_account(gateway, "referent@ludres.example", kind="contact", roles=())
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@dsit.test")
        await client.post("/api/registry/members", json=member_body(code="ludres"), headers=admin)
        contact = await client.post(
            "/api/registry/members/ludres/contacts",
            headers=admin,
            json={
                "first_name": "Léa",
                "last_name": "Martin",
                "email": "referent@ludres.example",
                "roles": ["it_referent", "finance_officer"],
                "dashboard_access": dashboard_access,
            },
        )
        assert contact.status_code == 201, contact.text
    return gateway


async def test_contact_gets_member_and_roles_from_the_registry(
    service_app: Any, make_gateway: Any
) -> None:
    gateway = await make(service_app, make_gateway, dashboard_access=True)
    async with asgi_client(gateway) as client:
        opened = await client.post(
            "/api/auth/sessions", json={"email": "referent@ludres.example", "password": PASSWORD}
        )
    principal = opened.json()["principal"]
    assert opened.status_code == 201
    assert principal["kind"] == "contact"
    assert principal["member"] == "ludres"
    assert principal["name"] == "Léa Martin"  # as the registry names the person
    assert sorted(principal["roles"]) == ["finance_officer", "it_referent"]


async def test_contact_without_dashboard_access_cannot_log_in(
    service_app: Any, make_gateway: Any
) -> None:
    gateway = await make(service_app, make_gateway, dashboard_access=False)
    async with asgi_client(gateway) as client:
        refused = await client.post(
            "/api/auth/token",
            data={"username": "referent@ludres.example", "password": PASSWORD},
        )
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:mutualis:problem:not-an-authorised-contact"
