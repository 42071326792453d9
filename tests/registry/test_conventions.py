"""Conventions: terms, amendments and extensions, adhesions, coverage on a date, deadlines."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import as_admin, as_contact, asgi_client
from tests.registry.factories import adhere, create_convention, create_member

OLD = "convention-2017"
NEW = "convention-2024"


async def old_convention(client: httpx.AsyncClient, *, extended: bool = True) -> None:
    """The 2017 convention, prolonged by amendment to September 2023, then (optionally)
    extended — prorogée — until the new convention starts on 2024-01-01."""
    await create_convention(
        client,
        code=OLD,
        title="Convention de mutualisation informatique 2017",
        starts_on="2017-10-01",
        ends_on="2022-09-30",
        deliberation_ref="Conseil métropolitain du 13 juillet 2017",
        deliberated_on="2017-07-13",
    )
    response = await client.post(
        f"/conventions/{OLD}/amendments",
        json={
            "kind": "amendment",
            "reference": "Avenant n°1",
            "deliberated_on": "2022-09-20",
            "summary": "Prolongation d'un an",
            "extends_to": "2023-09-30",
        },
    )
    assert response.status_code == 201, response.text
    if extended:
        response = await client.post(
            f"/conventions/{OLD}/amendments",
            json={
                "kind": "extension",
                "reference": "Prorogation 2023",
                "deliberated_on": "2023-09-25",
                "extends_to": "2023-12-31",
            },
        )
        assert response.status_code == 201, response.text


async def new_convention(client: httpx.AsyncClient) -> None:
    await create_convention(
        client,
        code=NEW,
        title="Convention de mutualisation des systèmes d'information 2024",
        starts_on="2024-01-01",
        ends_on="2024-12-31",
        tacit_renewal=True,
        notice_months=3,
        previous_code=OLD,
    )


async def two_conventions_three_members(client: httpx.AsyncClient, *, extended: bool) -> None:
    """ludres renews; hellecourt stays only under 2017; tomblaine joins in 2024."""
    for code in ("ludres", "hellecourt", "tomblaine"):
        await create_member(client, code)
    await old_convention(client, extended=extended)
    await new_convention(client)
    await adhere(client, OLD, "ludres", signed_on="2017-10-01")
    await adhere(client, OLD, "hellecourt", signed_on="2018-10-19")
    await adhere(client, NEW, "ludres", deliberation_ref="Ludres n°5", deliberated_on="2023-09-25")
    await adhere(client, NEW, "tomblaine", signed_on="2023-11-15")


async def covered(client: httpx.AsyncClient, day: str) -> list[str]:
    response = await client.get("/members", params={"covered_on": day})
    assert response.status_code == 200, response.text
    return [m["code"] for m in response.json()["items"]]


async def test_coverage_follows_the_amendment_the_extension_and_the_new_convention(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await two_conventions_three_members(client, extended=True)
        end_of_amendment = await covered(client, "2023-09-30")
        extended = await covered(client, "2023-12-31")
        new_start = await covered(client, "2024-01-01")
    assert end_of_amendment == ["hellecourt", "ludres"]
    assert extended == ["hellecourt", "ludres"]
    assert new_start == ["ludres", "tomblaine"]


async def test_without_the_extension_nobody_is_covered_after_september_2023(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await two_conventions_three_members(client, extended=False)
        assert await covered(client, "2023-09-30") == ["hellecourt", "ludres"]
        assert await covered(client, "2023-10-01") == []


async def test_a_convention_shows_its_amendments_and_its_end_in_force(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await old_convention(client)
        await new_convention(client)
        old = (await client.get(f"/conventions/{OLD}")).json()
        new = (await client.get(f"/conventions/{NEW}")).json()
    assert [a["reference"] for a in old["amendments"]] == ["Avenant n°1", "Prorogation 2023"]
    assert old["effective_ends_on"] == "2023-12-31"
    assert new["max_ends_on"] == "2028-12-31"
    assert new["effective_ends_on"] == "2028-12-31"
    assert new["previous_code"] == OLD


async def test_a_convention_lasts_five_years_at_most(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        response = await client.post(
            "/conventions",
            json={
                "code": "trop-longue",
                "title": "x",
                "starts_on": "2024-01-01",
                "ends_on": "2029-01-01",
            },
        )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ends_on"


async def test_an_extension_must_say_until_when(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await old_convention(client, extended=False)
        response = await client.post(
            f"/conventions/{OLD}/amendments",
            json={"kind": "extension", "reference": "Prorogation"},
        )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "extends_to"


async def test_a_member_that_left_a_convention_is_no_longer_covered(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        await new_convention_alone(client)
        await adhere(client, NEW, "ludres")
        left = await client.patch(
            f"/conventions/{NEW}/adhesions/ludres", json={"left_on": "2025-12-31"}
        )
        before = await covered(client, "2025-12-31")
        after = await covered(client, "2026-01-01")
    assert left.status_code == 200
    assert before == ["ludres"]
    assert after == []


async def test_coverage_starts_on_the_day_of_signature_and_of_joining(service_app: Any) -> None:
    """Both bounds are inclusive: covered on the day the adhesion is signed and on the day the
    member joined, not the day before."""
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres", joined_on="2024-03-01")
        await create_member(client, "laxou", joined_on="2017-07-13")
        await new_convention_alone(client)
        await adhere(client, NEW, "ludres", signed_on="2024-01-01")
        await adhere(client, NEW, "laxou", signed_on="2024-02-15")
        before_signature = await covered(client, "2024-02-14")
        signature_day = await covered(client, "2024-02-15")
        before_joining = await covered(client, "2024-02-29")
        joining_day = await covered(client, "2024-03-01")
    assert before_signature == []
    assert signature_day == ["laxou"]
    assert before_joining == ["laxou"]
    assert joining_day == ["laxou", "ludres"]


async def new_convention_alone(client: httpx.AsyncClient) -> None:
    await create_convention(
        client,
        code=NEW,
        title="Convention 2024",
        starts_on="2024-01-01",
        ends_on="2024-12-31",
        tacit_renewal=True,
    )


async def test_notice_and_renewal_deadlines_in_the_next_days(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await new_convention_alone(client)
        autumn = await client.get(
            "/conventions/deadlines", params={"from": "2024-09-01", "within_days": 122}
        )
        summer = await client.get(
            "/conventions/deadlines", params={"from": "2024-06-01", "within_days": 30}
        )
    assert [(d["kind"], d["due_on"]) for d in autumn.json()["items"]] == [
        ("notice", "2024-10-01"),
        ("renewal", "2025-01-01"),
    ]
    assert summer.json()["items"] == []


async def test_the_last_term_ends_in_an_expiry_not_a_renewal(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await new_convention_alone(client)
        response = await client.get(
            "/conventions/deadlines", params={"from": "2028-09-01", "within_days": 180}
        )
    assert [(d["kind"], d["due_on"]) for d in response.json()["items"]] == [
        ("expiry", "2028-12-31")
    ]


async def test_adhering_twice_is_409_and_an_unknown_member_is_422(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        await new_convention_alone(client)
        await adhere(client, NEW, "ludres")
        twice = await client.post(f"/conventions/{NEW}/adhesions", json={"member_code": "ludres"})
        unknown = await client.post(f"/conventions/{NEW}/adhesions", json={"member_code": "nope"})
    assert twice.status_code == 409
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "member_code"


async def test_a_contact_sees_only_its_own_adhesions(service_app: Any) -> None:
    app = service_app("registry")
    async with asgi_client(app, headers=as_admin()) as client:
        await create_member(client, "ludres")
        await create_member(client, "nancy")
        await new_convention_alone(client)
        await adhere(client, NEW, "ludres")
        await adhere(client, NEW, "nancy")
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        listed = await client.get(f"/conventions/{NEW}/adhesions")
        other = await client.get("/members/nancy/adhesions")
        covered_members = await covered(client, "2024-06-01")
    assert [a["member_code"] for a in listed.json()["items"]] == ["ludres"]
    assert other.status_code == 404
    assert covered_members == ["ludres"]


async def test_a_denounced_convention_stops_covering_after_its_termination(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
        await new_convention_alone(client)
        await adhere(client, NEW, "ludres")
        denounced = await client.patch(f"/conventions/{NEW}", json={"terminated_on": "2025-12-31"})
        last_day = await covered(client, "2025-12-31")
        after = await covered(client, "2026-01-01")
    assert denounced.json()["effective_ends_on"] == "2025-12-31"
    assert last_day == ["ludres"]
    assert after == []
