"""Attack 11 of the hardening review, the smaller findings: tokens for an unknown member or
already expired, guessable passwords, authenticated answers kept by caches, SQLite files
readable by every user of the machine."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from kit.db import create_db_engine
from tests.conftest import asgi_client
from tests.gateway.helpers import PASSWORD, add_account, bearer, gateway_with_contact
from tests.registry.factories import member_body
from tests.web.conftest import sign_in


async def test_a_token_for_an_unknown_member_or_already_expired_is_refused(
    make_gateway: Any,
) -> None:
    gateway = make_gateway()
    add_account(gateway, "admin@test.example")
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        await client.post("/api/registry/members", json=member_body("ludres"), headers=admin)

        def token(**body: Any) -> Any:
            return client.post(
                "/api/auth/api-tokens",
                headers=admin,
                json={"name": "t", "scopes": ["read"], **body},
            )

        unknown = await token(member_code="atlantide")
        past = await token(expires_at="2020-01-01T00:00:00+01:00")
        naive = await token(expires_at="2030-01-01T00:00:00")
        known = await token(member_code="ludres", expires_at="2030-01-01T00:00:00+01:00")
    for refused, field in ((unknown, "member_code"), (past, "expires_at"), (naive, "expires_at")):
        assert refused.status_code == 422, refused.text
        assert field in {e["field"] for e in refused.json()["errors"]}
    assert known.status_code == 201, known.text


@pytest.mark.parametrize(
    "password", ["xxxxxxxxxxxx", "azertyuiop123", "nouveau@dsit.example", "motdepasse2026"]
)
async def test_a_guessable_password_is_refused(make_gateway: Any, password: str) -> None:
    gateway = make_gateway()
    add_account(gateway, "admin@test.example")
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        created = await client.post(
            "/api/auth/accounts",
            headers=admin,
            json={
                "email": "nouveau@dsit.example",
                "display_name": "Nouveau",
                "kind": "staff",
                "roles": ["finance"],
                "password": password,
            },
        )
    assert created.status_code == 422, created.text
    assert created.json()["errors"][0]["field"] == "password"


async def test_authenticated_answers_are_not_stored_by_caches(make_gateway: Any) -> None:
    gateway = make_gateway()
    add_account(gateway, "admin@test.example")
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        authenticated = await client.get("/api/registry/members", headers=admin)
        public = await client.get("/api/health")
    assert authenticated.headers["cache-control"] == "no-store"
    assert "cache-control" not in public.headers or public.headers["cache-control"] != "no-store"


async def test_an_authenticated_web_page_is_not_stored_but_static_files_are(web_stack: Any) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        page = await client.get("/adherents")
        static = await client.get("/static/js/htmx-2.0.11.min.js")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert static.headers.get("cache-control") != "no-store"


def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "registry.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
    engine.dispose()
    for name in os.listdir(path.parent):
        mode = stat.S_IMODE((path.parent / name).stat().st_mode)
        assert mode & 0o077 == 0, f"{name}: {oct(mode)}"


async def test_a_contacts_erasure_removes_its_email_from_the_gateway_too(
    make_gateway: Any,
) -> None:
    gateway, admin, contact_id = await gateway_with_contact(
        make_gateway, email="lea.martin@ludres.example"
    )
    async with asgi_client(gateway) as client:
        await client.post(  # a failed login, audited with the email
            "/api/auth/token", data={"username": "lea.martin@ludres.example", "password": "faux"}
        )
        login = await client.post(
            "/api/auth/token",
            data={"username": "lea.martin@ludres.example", "password": PASSWORD},
        )
        erased = await client.post(f"/api/registry/contacts/{contact_id}/erase", headers=admin)
    assert login.status_code == 200, login.text
    assert erased.status_code == 200, erased.text
    engine = create_engine(gateway.state.settings.database_url)
    with engine.connect() as conn:
        accounts = conn.execute(text("SELECT email, is_active FROM accounts")).all()
        audited = conn.execute(
            text("SELECT count(*) FROM audit_entries WHERE email = :e"),
            {"e": "lea.martin@ludres.example"},
        ).scalar()
    engine.dispose()
    assert "lea.martin@ludres.example" not in {email for email, _ in accounts}
    assert sorted(active for _, active in accounts) == [False, True]  # hers off, the admin on
    assert audited == 0
