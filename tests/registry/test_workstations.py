"""Workstation counts: the payroll-share index, with its history and bulk read for billing."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.conftest import as_admin, as_contact, asgi_client, assert_refused
from tests.registry.factories import create_member


def count(n: int, source: str = "declared", day: str = "2024-01-01") -> dict[str, Any]:
    return {"count": n, "reference_date": day, "source": source}


async def put(
    client: httpx.AsyncClient, member: str, year: int, body: dict[str, Any]
) -> httpx.Response:
    return await client.put(f"/members/{member}/workstations/{year}", json=body)


async def test_a_count_is_recorded_and_read(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        created = await put(client, "ludres", 2024, count(120))
        read = await client.get("/members/ludres/workstations/2024")
    assert created.status_code == 201
    body = read.json()
    assert (body["count"], body["reference_date"], body["source"]) == (
        120,
        "2024-01-01",
        "declared",
    )
    assert body["version"] == 1
    assert "etag" in read.headers


async def test_a_change_is_a_new_version_and_an_identical_write_is_not(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        await put(client, "ludres", 2024, count(120))
        changed = await put(client, "ludres", 2024, count(131, "inventory", "2024-03-15"))
        same = await put(client, "ludres", 2024, count(131, "inventory", "2024-03-15"))
        history = await client.get("/members/ludres/workstations/2024/history")
    assert changed.status_code == 200
    assert same.json()["version"] == 2
    assert [(v["count"], v["source"]) for v in history.json()["items"]] == [
        (120, "declared"),
        (131, "inventory"),
    ]


async def test_a_count_can_be_read_as_it_stood_on_a_past_date(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        first = (await put(client, "ludres", 2024, count(120))).json()
        await asyncio.sleep(0.01)
        await put(client, "ludres", 2024, count(131, "inventory"))
        then = await client.get(
            "/members/ludres/workstations/2024", params={"as_of": first["recorded_at"]}
        )
        now = await client.get("/members/ludres/workstations/2024")
        before_any = await client.get(
            "/members/ludres/workstations/2024", params={"as_of": "2020-01-01"}
        )
    assert then.json()["count"] == 120
    assert now.json()["count"] == 131
    assert before_any.status_code == 404
    assert before_any.json()["type"] == "urn:mutualis:problem:workstation-count-not-found"


async def test_a_bad_as_of_is_422_naming_it(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        response = await client.get("/members/ludres/workstations/2024", params={"as_of": "hier"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "as_of"


async def test_a_negative_count_or_unknown_source_is_422(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        response = await put(client, "ludres", 2024, {**count(-1), "source": "guess"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"count", "source"}


async def test_a_reference_date_far_from_the_year_is_422(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        response = await put(client, "ludres", 2024, count(10, day="2019-01-01"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reference_date"


async def test_the_bulk_read_gives_each_members_current_count_by_code(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        for code in ("nancy", "ludres", "laxou"):
            await create_member(client, code)
        await put(client, "nancy", 2024, count(900))
        await put(client, "ludres", 2024, count(120))
        await put(client, "ludres", 2024, count(125, "inventory"))
        await put(client, "laxou", 2023, count(200, day="2023-01-01"))
        first = await client.get("/workstations/2024", params={"limit": 1})
        rest = await client.get(
            "/workstations/2024", params={"limit": 1, "cursor": first.json()["next_cursor"]}
        )
    assert [
        {k: i[k] for k in ("member_code", "fiscal_year", "count", "reference_date", "source")}
        for i in first.json()["items"] + rest.json()["items"]
    ] == [
        {
            "member_code": "ludres",
            "fiscal_year": 2024,
            "count": 125,
            "reference_date": "2024-01-01",
            "source": "inventory",
        },
        {
            "member_code": "nancy",
            "fiscal_year": 2024,
            "count": 900,
            "reference_date": "2024-01-01",
            "source": "declared",
        },
    ]
    assert rest.json()["next_cursor"] is None


async def test_the_bulk_read_accepts_pages_of_ten_thousand(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        ok = await client.get("/workstations/2024", params={"limit": 10_000})
        too_big = await client.get("/workstations/2024", params={"limit": 10_001})
    assert ok.status_code == 200
    assert_refused(too_big, "query.limit")


async def test_a_member_contact_sees_only_its_own_count(service_app: Any) -> None:
    app = service_app("registry")
    async with asgi_client(app, headers=as_admin()) as client:
        for code in ("ludres", "nancy"):
            await create_member(client, code)
            await put(client, code, 2024, count(100))
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        bulk = await client.get("/workstations/2024")
        other = await client.get("/members/nancy/workstations/2024")
        write = await put(client, "ludres", 2024, count(1))
    assert [i["member_code"] for i in bulk.json()["items"]] == ["ludres"]
    assert other.status_code == 404
    assert write.status_code == 403


async def test_as_of_a_date_means_at_the_end_of_that_day_in_paris(service_app: Any) -> None:
    today = dt.datetime.now(ZoneInfo("Europe/Paris")).date()
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        await put(client, "ludres", 2024, count(120))
        on_today = await client.get(
            "/members/ludres/workstations/2024", params={"as_of": today.isoformat()}
        )
        yesterday = await client.get(
            "/members/ludres/workstations/2024",
            params={"as_of": (today - dt.timedelta(days=1)).isoformat()},
        )
    assert on_today.json()["count"] == 120
    assert yesterday.status_code == 404


async def test_a_members_history_lists_every_version_of_every_year(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        await put(client, "ludres", 2024, count(120))
        await put(client, "ludres", 2024, count(125))
        await put(client, "ludres", 2025, count(130, day="2025-01-01"))
        history = await client.get("/members/ludres/workstations")
    assert [(i["fiscal_year"], i["version"], i["count"]) for i in history.json()["items"]] == [
        (2025, 1, 130),
        (2024, 1, 120),
        (2024, 2, 125),
    ]
