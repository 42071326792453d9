"""IS components: codes, kinds, offering, members, lifecycle for obsolescence."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.catalogue.models import AuditEntry
from tests.catalogue.helpers import create_component, create_service
from tests.conftest import as_admin, as_contact, asgi_client


async def test_a_component_is_read_back_with_an_etag(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_service(client, "messagerie")
        await create_component(
            client,
            "exchange",
            service_code="messagerie",
            member_codes=["nancy", "laxou"],
            in_service_on="2020-01-01",
        )
        first = await client.get("/components/exchange")
        cached = await client.get(
            "/components/exchange", headers={"If-None-Match": first.headers["ETag"]}
        )
    body = first.json()
    assert (body["service_code"], body["member_codes"]) == ("messagerie", ["laxou", "nancy"])
    assert (body["source"], body["external_id"], body["status"]) == (
        "manual",
        "exchange",
        "in_service",
    )
    assert cached.status_code == 304


async def test_an_unknown_offering_is_a_422_on_service_code(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        response = await client.post(
            "/components", json={"code": "x", "name": "x", "kind": "server", "service_code": "nope"}
        )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "service_code"


async def test_obsolescence_lists_components_whose_support_ends_before_a_date(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_component(client, "old", end_of_support_on="2025-06-30")
        await create_component(client, "new", end_of_support_on="2030-06-30")
        await create_component(client, "unknown")
        ending = await client.get("/components", params={"end_of_support_before": "2026-01-01"})
    assert [c["code"] for c in ending.json()["items"]] == ["old"]


async def test_retiring_before_service_is_refused(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_component(client, "srv", in_service_on="2024-01-01")
        response = await client.patch("/components/srv", json={"retired_on": "2023-01-01"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "retired_on"


async def test_a_member_contact_sees_only_its_own_member_on_components(service_app: Any) -> None:
    app = service_app("catalogue")
    async with asgi_client(app, headers=as_admin()) as client:
        await create_component(client, "exchange", member_codes=["nancy", "ludres"])
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        component = await client.get("/components/exchange")
    assert component.json()["member_codes"] == ["ludres"]


async def test_every_write_is_audited_with_its_principal(service_app: Any) -> None:
    app = service_app("catalogue")
    async with asgi_client(app, headers=as_admin()) as client:
        await create_component(client, "exchange")
        await client.patch("/components/exchange", json={"name": "Exchange 2019"})
        await client.post("/inventory", json={"source": "ocs", "items": []})
    with app.state.test_sessionmaker() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.resource_type, e.resource_id) for e in entries] == [
        ("create", "component", "exchange"),
        ("update", "component", "exchange"),
        ("ingest-upsert", "inventory", "ocs"),
    ]
    assert entries[1].before["name"] == "Exchange"
    assert entries[1].after["name"] == "Exchange 2019"
    assert entries[0].principal.startswith("account:1")
