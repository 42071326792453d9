"""Attack 2 of the hardening review: sessions and tokens outlived the account.

After an account is deactivated, an admin demoted, a password reset, or a contact's dashboard
access removed or the contact erased, the session opened before (and the bearer token issued
before) keep their rights no longer: the principal is re-read on every request.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import asgi_client
from tests.gateway.helpers import PASSWORD, add_account, bearer, gateway_with_contact


async def session_of(client: Any, email: str) -> dict[str, str]:
    """A web session's cookie and CSRF header, as the web app sends them."""
    opened = await client.post("/api/auth/sessions", json={"email": email, "password": PASSWORD})
    assert opened.status_code == 201, opened.text
    client.cookies.clear()  # each credential is sent explicitly below
    return {
        "Cookie": f"mutualis_session={opened.json()['session_token']}",
        "X-CSRF-Token": opened.json()["csrf_token"],
    }


async def new_admin(client: Any, headers: dict[str, str]) -> Any:
    return await client.post(
        "/api/auth/accounts",
        headers=headers,
        json={
            "email": "intrus@dsit.test",
            "display_name": "Intrus",
            "kind": "staff",
            "roles": ["admin"],
            "password": "Une phrase de passe assez longue 42",
        },
    )


async def test_a_deactivated_admin_can_do_nothing_with_its_open_session_or_token(
    make_gateway: Any,
) -> None:
    gateway = make_gateway()
    add_account(gateway, "chef@dsit.test")
    victim = add_account(gateway, "parti@dsit.test")
    async with asgi_client(gateway) as client:
        boss = await bearer(client, "chef@dsit.test")
        session = await session_of(client, "parti@dsit.test")
        token = await bearer(client, "parti@dsit.test")
        before = await client.get("/api/auth/me", headers=session)
        off = await client.patch(
            f"/api/auth/accounts/{victim}", headers=boss, json={"is_active": False}
        )
        me = await client.get("/api/auth/me", headers=session)
        admin = await new_admin(client, session)
        api_token = await client.post(
            "/api/auth/api-tokens", headers=session, json={"name": "t", "scopes": ["read"]}
        )
        forwarded = await client.get("/api/registry/members", headers=token)
        with_token = await new_admin(client, token)
    assert before.status_code == 200
    assert off.status_code == 200, off.text
    for refused in (me, admin, api_token, forwarded, with_token):
        assert refused.status_code == 401, refused.text
        assert refused.json()["type"] == "urn:mutualis:problem:account-inactive"


async def test_a_demoted_admin_keeps_only_its_new_role(make_gateway: Any) -> None:
    gateway = make_gateway()
    add_account(gateway, "chef@dsit.test")
    demoted = add_account(gateway, "ex-admin@dsit.test")
    async with asgi_client(gateway) as client:
        boss = await bearer(client, "chef@dsit.test")
        session = await session_of(client, "ex-admin@dsit.test")
        token = await bearer(client, "ex-admin@dsit.test")
        changed = await client.patch(
            f"/api/auth/accounts/{demoted}", headers=boss, json={"roles": ["finance"]}
        )
        me = await client.get("/api/auth/me", headers=session)
        by_session = await new_admin(client, session)
        by_token = await new_admin(client, token)
    assert changed.status_code == 200, changed.text
    assert me.json()["principal"]["roles"] == ["finance"]
    assert by_session.status_code == 403
    assert by_token.status_code == 403


async def test_a_password_reset_ends_the_sessions_and_tokens_issued_before(
    make_gateway: Any,
) -> None:
    gateway = make_gateway()
    add_account(gateway, "chef@dsit.test")
    victim = add_account(gateway, "vole@dsit.test", roles=("finance",))
    async with asgi_client(gateway) as client:
        boss = await bearer(client, "chef@dsit.test")
        session = await session_of(client, "vole@dsit.test")
        token = await bearer(client, "vole@dsit.test")
        reset = await client.post(f"/api/auth/accounts/{victim}/password-reset", headers=boss)
        by_session = await client.get("/api/auth/me", headers=session)
        by_token = await client.get("/api/auth/me", headers=token)
        fresh = await client.post(
            "/api/auth/token",
            data={"username": "vole@dsit.test", "password": reset.json()["temporary_password"]},
        )
    assert reset.status_code == 200, reset.text
    assert by_session.status_code == 401
    assert by_token.status_code == 401
    assert by_token.json()["type"] == "urn:mutualis:problem:token-invalid"
    assert fresh.status_code == 200  # the new password works


async def test_a_contact_whose_dashboard_access_is_removed_is_out_at_once(
    service_app: Any, make_gateway: Any
) -> None:
    gateway, admin, contact_id = await gateway_with_contact(make_gateway)
    async with asgi_client(gateway) as client:
        session = await session_of(client, "referent@ludres.example")
        token = await bearer(client, "referent@ludres.example")
        before = await client.get("/api/registry/members/ludres", headers=session)
        removed = await client.patch(
            f"/api/registry/contacts/{contact_id}", headers=admin, json={"dashboard_access": False}
        )
        by_session = await client.get("/api/registry/members/ludres", headers=session)
        by_token = await client.get("/api/registry/members/ludres", headers=token)
    assert before.status_code == 200
    assert removed.status_code == 200, removed.text
    for refused in (by_session, by_token):
        assert refused.status_code == 401, refused.text
        assert refused.json()["type"] == "urn:mutualis:problem:not-an-authorised-contact"


async def test_an_erased_contact_is_out_at_once(service_app: Any, make_gateway: Any) -> None:
    gateway, admin, contact_id = await gateway_with_contact(make_gateway)
    async with asgi_client(gateway) as client:
        session = await session_of(client, "referent@ludres.example")
        erased = await client.post(f"/api/registry/contacts/{contact_id}/erase", headers=admin)
        after = await client.get("/api/auth/me", headers=session)
    assert erased.status_code == 200, erased.text
    assert after.status_code == 401
