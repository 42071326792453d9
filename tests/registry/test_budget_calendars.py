"""Budget calendars: BP, BS and DM dates per member and fiscal year; bulk read for billing."""

from __future__ import annotations

from typing import Any

from tests.conftest import as_admin, as_contact, asgi_client
from tests.registry.factories import create_member


async def test_a_calendar_is_saved_and_read_with_sorted_dm_dates(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        created = await client.put(
            "/members/ludres/budget-calendar/2024",
            json={
                "bp_voted_on": "2024-03-28",
                "bs_voted_on": "2024-06-27",
                "dm_dates": ["2024-11-21", "2024-09-26"],
            },
        )
        read = await client.get("/members/ludres/budget-calendar/2024")
    assert created.status_code == 201
    assert read.json() == {
        "member_code": "ludres",
        "fiscal_year": 2024,
        "bp_voted_on": "2024-03-28",
        "bs_voted_on": "2024-06-27",
        "dm_dates": ["2024-09-26", "2024-11-21"],
    }
    assert "etag" in read.headers


async def test_a_calendar_is_replaced_by_a_second_put(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        await client.put("/members/ludres/budget-calendar/2024", json={})
        replaced = await client.put(
            "/members/ludres/budget-calendar/2024", json={"bp_voted_on": "2023-12-14"}
        )
    assert replaced.status_code == 200
    assert replaced.json()["bp_voted_on"] == "2023-12-14"


async def test_dates_out_of_order_are_422_naming_each_field(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        response = await client.put(
            "/members/ludres/budget-calendar/2024",
            json={
                "bp_voted_on": "2024-04-10",
                "bs_voted_on": "2024-03-01",
                "dm_dates": ["2024-10-01", "2026-01-01"],
            },
        )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["bs_voted_on", "dm_dates.1"]


async def test_a_bp_voted_outside_its_year_is_422(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        response = await client.put(
            "/members/ludres/budget-calendar/2024", json={"bp_voted_on": "2022-03-01"}
        )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "bp_voted_on"


async def test_a_missing_calendar_is_404(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        response = await client.get("/members/ludres/budget-calendar/2024")
    assert response.status_code == 404
    assert response.json()["type"] == "urn:mutualis:problem:budget-calendar-not-found"


async def test_the_bulk_read_gives_every_calendar_of_the_year_by_code(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        for code in ("nancy", "ludres"):
            await create_member(client, code)
        await client.put("/members/nancy/budget-calendar/2024", json={"bp_voted_on": "2024-03-25"})
        await client.put("/members/ludres/budget-calendar/2024", json={"bp_voted_on": "2024-03-28"})
        await client.put("/members/ludres/budget-calendar/2025", json={"bp_voted_on": "2025-03-27"})
        response = await client.get("/budget-calendars/2024")
    assert response.json()["items"] == [
        {
            "member_code": "ludres",
            "fiscal_year": 2024,
            "bp_voted_on": "2024-03-28",
            "bs_voted_on": None,
            "dm_dates": [],
        },
        {
            "member_code": "nancy",
            "fiscal_year": 2024,
            "bp_voted_on": "2024-03-25",
            "bs_voted_on": None,
            "dm_dates": [],
        },
    ]


async def test_a_member_contact_reads_only_its_own_calendar(service_app: Any) -> None:
    app = service_app("registry")
    async with asgi_client(app, headers=as_admin()) as client:
        for code in ("ludres", "nancy"):
            await create_member(client, code)
            await client.put(f"/members/{code}/budget-calendar/2024", json={})
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        bulk = await client.get("/budget-calendars/2024")
        other = await client.get("/members/nancy/budget-calendar/2024")
    assert [c["member_code"] for c in bulk.json()["items"]] == ["ludres"]
    assert other.status_code == 404
