"""Accounts, logins, lockout, sessions with CSRF, machine tokens, audit — through the API."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, select

from gateway.auth.principal import SESSION_COOKIE
from gateway.models import Account
from gateway.settings import GatewaySettings
from tests.conftest import asgi_client
from tests.gateway.helpers import PASSWORD, add_account, bearer
from tests.registry.factories import member_body


async def test_password_login_gives_a_bearer_token_for_the_api(make_gateway: Any) -> None:
    gateway = make_gateway()
    add_account(gateway, "finance@test.example", roles=("finance",))
    async with asgi_client(gateway) as client:
        headers = await bearer(client, "Finance@Test.example")
        me = await client.get("/api/auth/me", headers=headers)
        anonymous = await client.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json()["principal"]["roles"] == ["finance"]
    assert "invoices:issue" in me.json()["permissions"]
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")


async def test_a_wrong_password_is_a_401_problem(make_gateway: Any) -> None:
    gateway = make_gateway()
    add_account(gateway, "a@test.example")
    async with asgi_client(gateway) as client:
        wrong = await client.post(
            "/api/auth/token", data={"username": "a@test.example", "password": "nope"}
        )
        unknown = await client.post(
            "/api/auth/token", data={"username": "who@test.example", "password": "nope"}
        )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["type"] == "urn:mutualis:problem:bad-credentials"
    assert wrong.json()["detail"] == unknown.json()["detail"]  # nothing tells which is wrong


async def test_ten_wrong_passwords_lock_the_account_and_are_audited(make_gateway: Any) -> None:
    gateway = make_gateway(ip_failures_per_minute=1000)
    add_account(gateway, "victim@test.example", roles=("finance",))
    add_account(gateway, "admin@test.example")
    async with asgi_client(gateway) as client:
        statuses = [
            (
                await client.post(
                    "/api/auth/token",
                    data={"username": "victim@test.example", "password": f"bad{i}"},
                )
            ).status_code
            for i in range(10)
        ]
        right = await client.post(
            "/api/auth/token", data={"username": "victim@test.example", "password": PASSWORD}
        )
        admin = await bearer(client, "admin@test.example")
        audit = await client.get(
            "/api/auth/audit", params={"email": "victim@test.example", "limit": 50}, headers=admin
        )
    assert statuses == [401] * 9 + [429]
    assert right.status_code == 429  # even the right password waits for the lock to end
    assert right.json()["type"] == "urn:mutualis:problem:account-locked"
    assert int(right.headers["retry-after"]) > 60
    events = [e["event"] for e in audit.json()["items"]]
    assert events.count("login_failed") == 10
    assert "account_locked" in events
    assert "login_locked" in events


async def test_an_admin_reset_unlocks_with_a_temporary_password(make_gateway: Any) -> None:
    gateway = make_gateway(lockout_threshold=2)
    victim = add_account(gateway, "victim@test.example", roles=("dpo",))
    add_account(gateway, "admin@test.example")
    async with asgi_client(gateway) as client:
        for _ in range(2):
            await client.post(
                "/api/auth/token", data={"username": "victim@test.example", "password": "bad"}
            )
        admin = await bearer(client, "admin@test.example")
        reset = await client.post(f"/api/auth/accounts/{victim}/password-reset", headers=admin)
        temporary = reset.json()["temporary_password"]
        session = await client.post(
            "/api/auth/sessions", json={"email": "victim@test.example", "password": temporary}
        )
    assert reset.status_code == 200
    assert session.status_code == 201
    assert session.json()["must_change_password"] is True


async def test_change_own_password(make_gateway: Any) -> None:
    gateway = make_gateway()
    add_account(gateway, "p@test.example", roles=("project",))
    async with asgi_client(gateway) as client:
        headers = await bearer(client, "p@test.example")
        weak = await client.post(
            "/api/auth/password",
            headers=headers,
            json={"current_password": PASSWORD, "new_password": "short"},
        )
        done = await client.post(
            "/api/auth/password",
            headers=headers,
            json={"current_password": PASSWORD, "new_password": "a much longer passphrase"},
        )
        old = await client.post(
            "/api/auth/token", data={"username": "p@test.example", "password": PASSWORD}
        )
        await bearer(client, "p@test.example", "a much longer passphrase")
    assert weak.status_code == 422
    assert weak.json()["errors"][0]["field"] == "new_password"
    assert done.status_code == 204
    assert old.status_code == 401


async def test_web_session_cookie_csrf_and_logout(make_gateway: Any) -> None:
    gateway = make_gateway()
    add_account(gateway, "f@test.example", roles=("finance",))
    async with asgi_client(gateway) as client:
        opened = await client.post(
            "/api/auth/sessions", json={"email": "f@test.example", "password": PASSWORD}
        )
        cookie = opened.headers["set-cookie"]
        csrf = opened.json()["csrf_token"]
        me = await client.get("/api/auth/me")
        no_csrf = await client.post("/api/billing/fiscal-years", json={})
        with_csrf = await client.post(
            "/api/billing/fiscal-years", json={}, headers={"X-CSRF-Token": csrf}
        )
        logout = await client.delete("/api/auth/sessions/current", headers={"X-CSRF-Token": csrf})
        client.cookies.set("mutualis_session", opened.json()["session_token"])
        after = await client.get("/api/auth/me")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie  # only behind https (MUTUALIS_GATEWAY_HTTPS=true)
    assert me.json()["csrf_token"] == csrf
    assert no_csrf.status_code == 403
    assert no_csrf.json()["type"] == "urn:mutualis:problem:csrf-failed"
    assert with_csrf.status_code not in (401, 403)  # reached billing
    assert logout.status_code == 204
    assert after.status_code == 401
    assert after.json()["type"] == "urn:mutualis:problem:session-expired"


@pytest.mark.parametrize(
    "overrides",
    [{"session_idle_minutes": 0}, {"session_absolute_hours": 0}],
    ids=["idle", "absolute"],
)
async def test_sessions_expire(make_gateway: Any, overrides: dict[str, int]) -> None:
    """The same login opens a session that works with the default lifetimes and is expired at
    once with a zero one (so the 401 is the expiry, not a failed login)."""
    for settings, expected in (({}, 200), (overrides, 401)):
        gateway = make_gateway(**settings)
        add_account(gateway, f"f{expected}@test.example", roles=("finance",))
        async with asgi_client(gateway) as client:
            opened = await client.post(
                "/api/auth/sessions",
                json={"email": f"f{expected}@test.example", "password": PASSWORD},
            )
            assert opened.status_code == 201, opened.text
            # the session's own token, sent whatever the cookie's max-age told the client
            token = opened.json()["session_token"]
            client.cookies.clear()
            me = await client.get("/api/auth/me", headers={"Cookie": f"{SESSION_COOKIE}={token}"})
        assert me.status_code == expected, me.text
    assert me.json()["type"] == "urn:mutualis:problem:session-expired"


async def test_secure_cookie_and_hsts_behind_https(make_gateway: Any) -> None:
    gateway = make_gateway(https=True)
    add_account(gateway, "f@test.example", roles=("finance",))
    async with asgi_client(gateway) as client:
        opened = await client.post(
            "/api/auth/sessions", json={"email": "f@test.example", "password": PASSWORD}
        )
    assert "Secure" in opened.headers["set-cookie"]
    assert opened.headers["strict-transport-security"].startswith("max-age=")


async def test_machine_token_is_shown_once_scoped_and_revocable(make_gateway: Any) -> None:
    gateway = make_gateway()
    add_account(gateway, "admin@test.example")
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        created = await client.post(
            "/api/auth/api-tokens",
            headers=admin,
            json={"name": "Hélios export", "scopes": ["invoices:read"]},
        )
        token = created.json()["token"]
        machine = {"Authorization": f"Bearer {token}"}
        billing = await client.get("/api/billing/openapi.json", headers=machine)
        registry = await client.get("/api/registry/members", headers=machine)
        listed = (await client.get("/api/auth/api-tokens", headers=admin)).json()["items"]
        revoked = await client.delete(f"/api/auth/api-tokens/{created.json()['id']}", headers=admin)
        after = await client.get("/api/billing/openapi.json", headers=machine)
    assert created.status_code == 201
    assert token.startswith("mut_")
    assert "token" not in listed[0]
    assert listed[0]["prefix"] == token[:10]
    assert listed[0]["last_used_at"] is not None
    assert billing.status_code == 200
    assert registry.status_code == 403
    assert revoked.json()["revoked_at"] is not None
    assert after.status_code == 401


async def test_unknown_scope_is_refused(make_gateway: Any) -> None:
    gateway = make_gateway()
    add_account(gateway, "admin@test.example")
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        response = await client.post(
            "/api/auth/api-tokens", headers=admin, json={"name": "x", "scopes": ["everything"]}
        )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "scopes"


async def test_member_restricted_token_cannot_name_another_member(make_gateway: Any) -> None:
    gateway = make_gateway()
    add_account(gateway, "admin@test.example")
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        for code in ("ludres", "nancy"):  # a token is restricted to a member that exists
            await client.post("/api/registry/members", json=member_body(code), headers=admin)
        created = await client.post(
            "/api/auth/api-tokens",
            headers=admin,
            json={"name": "Ludres finance", "scopes": ["read"], "member_code": "ludres"},
        )
        machine = {"Authorization": f"Bearer {created.json()['token']}"}
        other = await client.get("/api/registry/members/nancy/contacts", headers=machine)
        other_query = await client.get("/api/billing/invoices?member_code=nancy", headers=machine)
        own = await client.get("/api/registry/members/ludres", headers=machine)
    assert other.status_code == 404
    assert other.json()["type"] == "urn:mutualis:problem:member-not-found"
    assert other_query.status_code == 404
    assert own.status_code != 403


async def test_only_admins_manage_accounts(make_gateway: Any) -> None:
    gateway = make_gateway()
    add_account(gateway, "f@test.example", roles=("finance",))
    async with asgi_client(gateway) as client:
        finance = await bearer(client, "f@test.example")
        response = await client.get("/api/auth/accounts", headers=finance)
        create = await client.post(
            "/api/auth/api-tokens", headers=finance, json={"name": "x", "scopes": ["read"]}
        )
    assert response.status_code == 403
    assert create.status_code == 403


async def test_writes_through_the_gateway_are_audited(make_gateway: Any) -> None:
    gateway = make_gateway()
    add_account(gateway, "admin@test.example")
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        await client.post("/api/catalogue/services", json={}, headers=admin)
        audit = await client.get("/api/auth/audit", params={"event": "write"}, headers=admin)
    entry = audit.json()["items"][0]
    assert entry["method"] == "POST"
    assert entry["path"] == "/api/catalogue/services"
    assert entry["principal"].startswith("account:")


async def test_secrets_are_never_stored_or_logged_in_clear(
    make_gateway: Any, gateway_database: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    gateway = make_gateway()
    add_account(gateway, "admin@test.example")
    async with asgi_client(gateway) as client:
        await client.post(
            "/api/auth/token", data={"username": "admin@test.example", "password": "typo-secret-42"}
        )
        admin = await bearer(client, "admin@test.example")
        session = await client.post(
            "/api/auth/sessions", json={"email": "admin@test.example", "password": PASSWORD}
        )
        created = await client.post(
            "/api/auth/api-tokens", headers=admin, json={"name": "x", "scopes": ["read"]}
        )
    secrets = [
        PASSWORD,
        "typo-secret-42",
        created.json()["token"],
        session.json()["session_token"],
        admin["Authorization"].split()[1],
    ]
    engine = create_engine(gateway_database)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        dump = " ".join(
            str(row) for table in metadata.tables.values() for row in conn.execute(select(table))
        )
    engine.dispose()
    logs = caplog.text
    for secret in secrets:
        assert secret not in dump
        assert secret not in logs
    assert "$argon2id$" in dump


async def test_production_refuses_to_start_with_demo_accounts(make_gateway: Any) -> None:
    gateway = make_gateway()
    with gateway.state.sessionmaker.begin() as session:
        session.add(
            Account(
                email="admin@dsit.example",
                display_name="demo",
                kind="staff",
                roles=["admin"],
                password_hash="x",
                is_demo=True,
            )
        )
    gateway.state.settings.environment = "production"
    with pytest.raises(RuntimeError, match="demo accounts"):
        async with gateway.router.lifespan_context(gateway):
            pass


def test_production_refuses_placeholder_secrets() -> None:
    with pytest.raises(ValueError, match="TOKEN_SECRET"):
        GatewaySettings(environment="production", internal_secret="x" * 40)
    with pytest.raises(ValueError, match="INTERNAL_SECRET"):
        GatewaySettings(environment="production", token_secret="y" * 40)
    ok = GatewaySettings(environment="production", internal_secret="x" * 40, token_secret="y" * 40)
    assert ok.password_hash_profile == "default"


async def test_security_headers_on_every_answer(make_gateway: Any) -> None:
    async with asgi_client(make_gateway()) as client:
        health = await client.get("/api/health")
        denied = await client.get("/api/registry/members")
    for response in (health, denied):
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
    assert denied.status_code == 401


async def test_an_identity_sent_by_a_client_is_replaced(make_gateway: Any) -> None:
    """The header a service trusts is always the gateway's own, never the caller's."""
    seen: dict[str, str] = {}

    async def header_probe(scope: Any, receive: Any, send: Any) -> None:
        seen.update({k.decode(): v.decode() for k, v in scope["headers"]})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    gateway = make_gateway({"governance": header_probe})
    add_account(gateway, "p@test.example", roles=("project",))
    async with asgi_client(gateway) as client:
        headers = await bearer(client, "p@test.example")
        headers["X-Mutualis-Identity"] = "forged"
        await client.get("/api/governance/anything", headers=headers)
    assert seen["x-mutualis-identity"] != "forged"
    assert "authorization" not in seen
    assert "cookie" not in seen
