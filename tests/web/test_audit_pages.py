"""Audit pages on the real stack: the gateway's logins and writes, the registry's trail."""

from __future__ import annotations

from typing import Any

from tests.conftest import asgi_client
from tests.gateway.helpers import add_account
from tests.web.conftest import sign_in


async def test_the_gateway_log_lists_logins_and_filters_by_event(
    web_stack: dict[str, Any],
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test", "wrong password")
        await sign_in(client, "admin@dsit.test")
        page = await client.get("/journal")
        failed = await client.get("/journal?event=login_failed", headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert "Connexion réussie" in page.text
    assert "Échec de connexion" in page.text
    assert failed.text.lstrip().startswith('<section id="journal"')
    assert "Échec de connexion" in failed.text
    assert "Connexion réussie" not in failed.text


async def test_the_registry_trail_shows_before_and_after(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        page = await client.get("/journal/registry?resource_type=member")
        contacts = await client.get("/journal/registry?resource_type=contact")
    assert page.status_code == 200
    assert "Adhérent ludres" in page.text
    assert "Adhérent nancy" in page.text
    assert "contact" not in page.text.split("<tbody>")[1].split("</tbody>")[0]
    assert "referent@ludres.example" in contacts.text


async def test_an_unknown_trail_is_a_404_page(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        page = await client.get("/journal/nowhere")
    assert page.status_code == 404


async def test_staff_without_audit_read_cannot_open_the_log(web_stack: dict[str, Any]) -> None:
    add_account(web_stack["gateway"], "finance@dsit.test", roles=("finance",))
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        page = await client.get("/journal")
        trail = await client.get("/journal/registry")
    assert page.status_code == 403
    assert trail.status_code == 403
