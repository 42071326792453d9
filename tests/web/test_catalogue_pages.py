"""Catalogue pages on the real stack: offerings, components filtered in place, CSV import."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import asgi_client
from tests.gateway.helpers import bearer
from tests.web.conftest import sign_in

HEADER = (
    "external_id,code,name,kind,service_code,member_codes,in_service_on,end_of_support_on,"
    "retired_on\n"
)


def csrf_of(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


async def seed(gateway: Any) -> None:
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@dsit.test")
        offering = {"code": "messagerie", "name": "Messagerie", "domain": "collaboration"}
        created = await client.post("/api/catalogue/services", json=offering, headers=admin)
        assert created.status_code == 201, created.text
        for code, kind in (("srv-mail", "server"), ("exchange", "application")):
            component = {
                "code": code,
                "name": code.upper(),
                "kind": kind,
                "service_code": "messagerie",
            }
            answer = await client.post("/api/catalogue/components", json=component, headers=admin)
            assert answer.status_code == 201, answer.text


async def upload(client: httpx.AsyncClient, content: str, **form: str) -> httpx.Response:
    page = await client.get("/catalogue/inventaire")
    data = {"source": "tableur", "mode": "upsert", "csrf_token": csrf_of(page.text), **form}
    files = {"file": ("inventaire.csv", content.encode(), "text/csv")}
    return await client.post("/catalogue/inventaire", data=data, files=files)


async def test_the_catalogue_lists_its_offerings(web_stack: dict[str, Any]) -> None:
    await seed(web_stack["gateway"])
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        page = await client.get("/catalogue")
    assert page.status_code == 200
    assert "Messagerie" in page.text
    assert '<a href="/catalogue" aria-current="page">Catalogue</a>' in page.text


async def test_components_filter_by_kind_as_an_htmx_fragment(web_stack: dict[str, Any]) -> None:
    await seed(web_stack["gateway"])
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        full = await client.get("/catalogue/composants")
        servers = await client.get(
            "/catalogue/composants?kind=server", headers={"HX-Request": "true"}
        )
    assert "SRV-MAIL" in full.text
    assert "EXCHANGE" in full.text
    assert servers.text.lstrip().startswith('<section id="composants"')
    assert "SRV-MAIL" in servers.text
    assert "EXCHANGE" not in servers.text


async def test_a_csv_import_reports_each_created_and_rejected_row(
    web_stack: dict[str, Any],
) -> None:
    content = HEADER + "SRV-1,,Serveur un,server,,,2021-03-01,,\nSRV-2,,Serveur deux,toaster,,,,,\n"
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        report = await upload(client, content)
        components = await client.get("/catalogue/composants")
    assert report.status_code == 200
    assert "<strong>1</strong> créé" in report.text
    assert "<strong>1</strong> rejeté" in report.text
    rejected = report.text.split('<tr class="item-rejected">')[1].split("</tr>")[0]
    assert "<td>3</td>" in rejected
    assert "SRV-2" in rejected
    assert "kind" in rejected
    assert "Serveur un" in components.text


async def test_a_dry_run_import_stores_nothing(web_stack: dict[str, Any]) -> None:
    content = HEADER + "SRV-9,,Serveur neuf,server,,,,,\n"
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        report = await upload(client, content, dry_run="true")
        components = await client.get("/catalogue/composants")
    assert "simulation : rien n'a été enregistré" in report.text
    assert "<strong>1</strong> créé" in report.text
    assert "Serveur neuf" not in components.text


async def test_an_import_without_file_nor_source_shows_errors_by_field(
    web_stack: dict[str, Any],
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        response = await upload(client, "", source="")
    assert response.status_code == 422
    assert 'id="file-erreur"' in response.text
    assert 'id="source-erreur"' in response.text


async def test_a_file_the_api_cannot_read_is_explained(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        page = await client.get("/catalogue/inventaire")
        response = await client.post(
            "/catalogue/inventaire",
            data={"source": "tableur", "csrf_token": csrf_of(page.text)},
            files={"file": ("x.csv", b"\xff\xfe not utf-8", "text/csv")},
        )
    assert response.status_code == 422
    assert "UTF-8" in response.text
    assert 'id="file-erreur"' in response.text


async def test_a_contact_cannot_open_the_catalogue_back_office(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "referent@ludres.example")
        page = await client.get("/catalogue/composants")
        upload_page = await client.get("/catalogue/inventaire")
    assert page.status_code == 403
    assert upload_page.status_code == 403
