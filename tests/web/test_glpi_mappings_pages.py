"""The Correspondances GLPI page on the real stack: mappings listed with French labels and
member names, edited as one form (add, change, remove) that replaces the whole list."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx

from tests.conftest import asgi_client
from tests.gateway.helpers import add_account, bearer
from tests.web.conftest import sign_in

PAGE = "/catalogue/correspondances-glpi"
NANCY = "Entité racine > Ville de Nancy"


def csrf_of(text: str) -> str:
    return text.split('name="csrf_token" value="')[1].split('"')[0]


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


async def stored(gateway: Any) -> list[dict[str, str]]:
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@dsit.test")
        answer = await client.get("/api/catalogue/glpi/member-mappings", headers=admin)
    assert answer.status_code == 200, answer.text
    items: list[dict[str, str]] = answer.json()["items"]
    return items


async def save(client: httpx.AsyncClient, rows: list[tuple[str, str, str]], **extra: Any) -> Any:
    page = await client.get(PAGE)
    data: dict[str, Any] = {
        "csrf_token": csrf_of(page.text),
        "match": [r[0] for r in rows],
        "value": [r[1] for r in rows],
        "member_code": [r[2] for r in rows],
        **extra,
    }
    return await client.post(PAGE, data=data)


async def test_mappings_are_added_listed_in_french_edited_and_removed(
    web_stack: dict[str, Any],
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        empty = await client.get(PAGE)
        added = await save(
            client,
            [
                ("tag", "ludres-agents", "ludres"),
                ("entity", "Entité racine > Ville de Nancy", "nancy"),
                ("tag", "", ""),  # a blank row of the form: ignored
            ],
        )
        listed = await client.get(added.headers["location"])
        after_add = await stored(web_stack["gateway"])
        # the stored rows come first in the form (tags then entities): 0 is the tag, 1 the entity
        edited = await save(
            client,
            [("tag", "ludres-agents", "nancy"), ("entity", NANCY, "nancy")],
            remove=["1"],
        )
        after_edit = await stored(web_stack["gateway"])
        catalogue = await client.get("/catalogue")
    assert empty.status_code == 200
    assert "Aucune correspondance" in text_of(empty.text)
    assert added.status_code == 303
    assert added.headers["location"] == f"{PAGE}?modifie"
    assert after_add == [
        {"match": "entity", "value": "Entité racine > Ville de Nancy", "member_code": "nancy"},
        {"match": "tag", "value": "ludres-agents", "member_code": "ludres"},
    ]
    shown = text_of(listed.text)
    assert "Modifications enregistrées." in shown
    table = text_of(listed.text.split("<table>")[1])
    assert "Étiquette de l'agent ludres-agents Ludres" in table
    assert "Entité GLPI Entité racine > Ville de Nancy Nancy" in table
    assert ">ludres<" not in listed.text.split("<table>")[1]  # names, not codes
    assert edited.status_code == 303
    assert after_edit == [{"match": "tag", "value": "ludres-agents", "member_code": "nancy"}]
    assert f'href="{PAGE}"' in catalogue.text
    assert "/api/catalogue/glpi-agent" in shown


async def test_rows_to_correct_are_named_in_french_and_nothing_is_stored(
    web_stack: dict[str, Any],
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        refused = await save(
            client,
            [
                ("tag", "ludres-agents", "ludres"),
                ("tag", "LUDRES-AGENTS", "nancy"),
                ("entity", "", "nancy"),
                ("tag", "sans-adherent", ""),
            ],
        )
    shown = text_of(refused.text)
    assert refused.status_code == 422
    assert "3 lignes à corriger : rien n'a été enregistré." in shown
    assert "Cette correspondance figure déjà plus haut." in shown
    assert "Indiquez le chemin de l'entité." in shown
    assert "Choisissez l'adhérent." in shown
    assert 'value="sans-adherent"' in refused.text  # what was typed is shown again
    assert await stored(web_stack["gateway"]) == []


async def test_a_reader_sees_the_mappings_without_the_form(web_stack: dict[str, Any]) -> None:
    add_account(web_stack["gateway"], "projets@dsit.test", roles=("project",))
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        await save(client, [("tag", "ludres-agents", "ludres")])
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "projets@dsit.test")
        page = await client.get(PAGE)
        token = csrf_of((await client.get("/catalogue")).text) if "csrf_token" in page.text else ""
        posted = await client.post(
            PAGE, data={"csrf_token": token, "match": "tag", "value": "x", "member_code": "nancy"}
        )
    assert page.status_code == 200
    assert "ludres-agents" in page.text
    assert "Enregistrer les correspondances" not in page.text
    assert posted.status_code == 403
    assert await stored(web_stack["gateway"]) == [
        {"match": "tag", "value": "ludres-agents", "member_code": "ludres"}
    ]


async def test_a_contact_cannot_open_the_page(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "referent@ludres.example")
        page = await client.get(PAGE)
    assert page.status_code in (403, 404)
