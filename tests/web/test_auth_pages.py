"""Login, logout, and pages offered or refused by role."""

from __future__ import annotations

from typing import Any

from tests.conftest import asgi_client
from tests.web.conftest import sign_in


async def test_a_page_asks_for_login_first(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        response = await client.get("/adherents")
        htmx = await client.get("/adherents", headers={"HX-Request": "true"})
    assert response.status_code == 303
    assert response.headers["location"] == "/connexion?suivant=/adherents"
    assert htmx.headers["hx-redirect"].startswith("/connexion")


async def test_staff_signs_in_sees_members_and_signs_out(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        signed = await sign_in(client, "admin@dsit.test")
        page = await client.get("/adherents")
        partial = await client.get("/adherents?kind=commune", headers={"HX-Request": "true"})
        out = await client.post("/deconnexion")
        after = await client.get("/adherents")
    assert signed.status_code == 303
    assert signed.headers["location"] == "/adherents"
    assert "HttpOnly" in signed.headers["set-cookie"]
    assert page.status_code == 200
    assert "Ludres" in page.text
    assert "Nancy" in page.text
    assert '<a href="/adherents" aria-current="page">Adhérents</a>' in page.text
    assert "<html" not in partial.text
    assert partial.text.lstrip().startswith('<section id="adherents"')
    assert out.status_code == 303
    assert after.status_code == 303


async def test_a_wrong_password_shows_the_form_again(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        response = await sign_in(client, "admin@dsit.test", "wrong password")
    assert response.status_code == 401
    assert 'role="alert"' in response.text
    assert "incorrect" in response.text
    assert 'value="admin@dsit.test"' in response.text


async def test_login_without_its_form_token_is_refused(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        response = await client.post(
            "/connexion", data={"email": "admin@dsit.test", "password": "x", "csrf_token": "forged"}
        )
    assert response.status_code == 400


async def test_a_contact_is_not_offered_nor_given_back_office_pages(
    web_stack: dict[str, Any],
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        signed = await sign_in(client, "referent@ludres.example")
        typed = await client.get("/adherents")
        member = await client.get("/adherents/nancy")
        status = await client.get("/statut")
    assert signed.headers["location"] == "/tableau-de-bord"
    assert typed.status_code == 403
    assert "Accès refusé" in typed.text
    assert member.status_code == 403
    assert 'href="/adherents"' not in status.text


async def test_no_open_redirect_after_login(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        form = await client.get("/connexion?suivant=//evil.example/")
        token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        response = await client.post(
            "/connexion",
            data={
                "email": "admin@dsit.test",
                "password": "correct horse battery staple",
                "csrf_token": token,
                "suivant": "//evil.example/",
            },
        )
    assert response.headers["location"] == "/adherents"
