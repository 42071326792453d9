"""Accounts and machine tokens pages on the real stack (administrators only)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import asgi_client
from tests.gateway.helpers import add_account
from tests.web.conftest import sign_in


def csrf_of(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


async def post_form(
    client: httpx.AsyncClient, page: str, action: str, **data: Any
) -> httpx.Response:
    shown = await client.get(page)
    return await client.post(action, data={"csrf_token": csrf_of(shown.text), **data})


async def test_an_admin_creates_an_account_and_sees_it_listed(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        created = await post_form(
            client,
            "/comptes",
            "/comptes",
            email="dpo@dsit.test",
            display_name="Déléguée",
            kind="staff",
            roles=["dpo"],
            password="a long enough password 123",
        )
        listed = await client.get(created.headers["location"])
    assert created.status_code == 303
    assert "Compte créé." in listed.text
    assert "dpo@dsit.test" in listed.text
    assert "Délégué à la protection des données" in listed.text


async def test_the_account_form_shows_the_api_error_next_to_the_email(
    web_stack: dict[str, Any],
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        refused = await post_form(
            client,
            "/comptes",
            "/comptes",
            email="not-an-email",
            display_name="X",
            kind="staff",
            password="a long enough password 123",
        )
    assert refused.status_code == 422
    assert 'id="compte-email-erreur"' in refused.text
    assert 'value="not-an-email"' in refused.text


async def test_a_password_reset_unlocks_and_shows_the_temporary_password_once(
    web_stack: dict[str, Any],
) -> None:
    add_account(web_stack["gateway"], "locked@dsit.test", roles=("finance",))
    async with asgi_client(web_stack["web"]) as visitor:
        for _ in range(10):
            await sign_in(visitor, "locked@dsit.test", "wrong password")
        still_locked = await sign_in(visitor, "locked@dsit.test")
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        before = await client.get("/comptes")
        row = before.text.split("locked@dsit.test")[1].split("</tr>")[0]
        action = row.split('action="')[1].split('"')[0]
        reset = await client.post(action, data={"csrf_token": csrf_of(before.text)})
        after = await client.get("/comptes")
    temporary = reset.text.split('id="secret-valeur">')[1].split("<")[0]
    async with asgi_client(web_stack["web"]) as again:
        signed = await sign_in(again, "locked@dsit.test", temporary)
    assert still_locked.status_code == 429
    assert "verrouillé jusqu" in row
    assert action.endswith("/mot-de-passe")
    assert temporary
    assert temporary not in after.text
    assert "verrouillé jusqu" not in after.text.split("locked@dsit.test")[1].split("</tr>")[0]
    assert signed.status_code == 303


async def test_a_new_token_is_shown_once_then_only_its_prefix(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        created = await post_form(
            client, "/comptes/jetons", "/comptes/jetons", name="GLPI", scopes=["inventory:write"]
        )
        listed = await client.get("/comptes/jetons")
    token = created.text.split('id="jeton-valeur">')[1].split("<")[0]
    assert created.status_code == 201
    assert token.startswith("mut_")
    assert token not in listed.text
    assert "GLPI" in listed.text
    assert "inventory:write" in listed.text


async def test_a_token_without_scopes_is_refused_next_to_the_scopes(
    web_stack: dict[str, Any],
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        refused = await post_form(client, "/comptes/jetons", "/comptes/jetons", name="GLPI")
    assert refused.status_code == 422
    assert 'id="jeton-scopes-erreur"' in refused.text


async def test_a_token_is_revoked_once_confirmed_then_shown_revoked(
    web_stack: dict[str, Any],
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        await post_form(
            client, "/comptes/jetons", "/comptes/jetons", name="Supervision", scopes=["read"]
        )
        listed = await client.get("/comptes/jetons")
        action = listed.text.split('action="/comptes/jetons/')[1].split('"')[0]
        token = {"csrf_token": csrf_of(listed.text)}
        asked = await client.post(f"/comptes/jetons/{action}", data=token)
        still = await client.get("/comptes/jetons")
        revoked = await client.post(f"/comptes/jetons/{action}", data={**token, "confirm": "1"})
        after = await client.get("/comptes/jetons")
    assert 'id="confirmer-revocation"' in asked.text
    assert "Lecture de tout ce qui est lisible" in asked.text  # its scope, by its label
    assert "La révocation est définitive" in asked.text
    assert "révoqué le" not in still.text  # nothing revoked before the confirmation
    assert revoked.status_code == 303
    assert "révoqué le" in after.text
    assert 'action="/comptes/jetons/' + action not in after.text


async def test_staff_without_accounts_admin_cannot_open_accounts(
    web_stack: dict[str, Any],
) -> None:
    add_account(web_stack["gateway"], "finance@dsit.test", roles=("finance",))
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        page = await client.get("/comptes")
        tokens = await client.get("/comptes/jetons")
        menu = await client.get("/adherents")
    assert page.status_code == 403
    assert tokens.status_code == 403
    assert 'href="/comptes"' not in menu.text
