"""Bodies, meetings and decisions through the API, with member scope."""

from __future__ import annotations

from typing import Any

from tests.conftest import as_admin, as_contact, asgi_client
from tests.governance.helpers import body, meeting, ok


async def test_meeting_records_agenda_invited_and_present_members(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await body(client, "comite-strategique", level="strategic", frequency="half_yearly")
        created = await meeting(
            client,
            "comite-strategique",
            agenda=["Portefeuille", "Plan de charges"],
            invited_members=["ludres", "laxou"],
            present_members=["ludres"],
            people=[
                {"name": "Mme Exemple", "role": "DGS", "member_code": "ludres", "present": True}
            ],
        )
        read = await ok(await client.get(f"/meetings/{created['id']}"))
    assert read["agenda"] == ["Portefeuille", "Plan de charges"]
    assert read["members"] == [
        {"member_code": "laxou", "present": False},
        {"member_code": "ludres", "present": True},
    ]
    assert read["level"] == "strategic"
    assert read["decisions"] == []


async def test_present_member_must_have_been_invited(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await body(client)
        response = await client.post(
            "/meetings",
            json={
                "body_code": "conference",
                "title": "Séance",
                "held_on": "2025-03-12",
                "invited_members": ["ludres"],
                "present_members": ["nancy"],
            },
        )
    assert response.status_code == 422
    assert "nancy" in response.json()["detail"] + str(response.json()["errors"])


async def test_contact_sees_open_meetings_and_its_own_not_others(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await body(client, "comite-sig", level="user_committee", frequency="ad_hoc")
        open_to_all = await meeting(client, "comite-sig")
        ludres = await meeting(client, "comite-sig", invited_members=["ludres"])
        laxou = await meeting(client, "comite-sig", invited_members=["laxou"])
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        listed = await ok(await client.get("/meetings"))
        other = await client.get(f"/meetings/{laxou['id']}")
    assert [m["id"] for m in listed["items"]] == [open_to_all["id"], ludres["id"]]
    assert other.status_code == 404


async def test_decision_is_numbered_and_closed_with_a_date(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await body(client)
        m = await meeting(client)
        first = await ok(
            await client.post(
                f"/meetings/{m['id']}/decisions",
                json={"title": "Adopter le rapport", "owner": "DSIT", "due_on": "2020-01-31"},
            )
        )
        second = await ok(
            await client.post(
                f"/meetings/{m['id']}/decisions", json={"title": "Lancer l'étude", "owner": "DSIT"}
            )
        )
        overdue = await ok(await client.get("/decisions?overdue=true"))
        closed = await ok(
            await client.patch(
                f"/decisions/{first['id']}", json={"status": "done", "closed_on": "2025-04-01"}
            )
        )
        still_open = await ok(await client.get("/decisions?open=true"))
    assert (first["number"], second["number"]) == (1, 2)
    assert first["overdue"] is True
    assert [d["id"] for d in overdue["items"]] == [first["id"]]
    assert closed["closed_on"] == "2025-04-01"
    assert closed["overdue"] is False
    assert [d["id"] for d in still_open["items"]] == [second["id"]]


async def test_contact_does_not_see_decision_of_another_member(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await body(client)
        m = await meeting(client)
        shared = await ok(
            await client.post(
                f"/meetings/{m['id']}/decisions", json={"title": "Pour tous", "owner": "DSIT"}
            )
        )
        laxou = await ok(
            await client.post(
                f"/meetings/{m['id']}/decisions",
                json={"title": "Pour Laxou", "owner": "DSIT", "member_code": "laxou"},
            )
        )
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        listed = await ok(await client.get("/decisions"))
        hidden = await client.get(f"/decisions/{laxou['id']}")
        read = await ok(await client.get(f"/meetings/{m['id']}"))
    assert [d["id"] for d in listed["items"]] == [shared["id"]]
    assert hidden.status_code == 404
    assert [d["id"] for d in read["decisions"]] == [shared["id"]]


async def test_contact_cannot_write(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        response = await client.post(
            "/bodies", json={"code": "x", "name": "X", "level": "political", "frequency": "annual"}
        )
    assert response.status_code == 403


async def test_duplicate_body_code_is_a_conflict(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await body(client)
        response = await client.post(
            "/bodies",
            json={
                "code": "conference",
                "name": "Autre",
                "level": "political",
                "frequency": "annual",
            },
        )
    assert response.status_code == 409
    assert response.json()["type"] == "urn:mutualis:problem:body-exists"


async def test_meetings_newest_first_page_by_page_with_their_total(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await body(client, "comite-strategique", level="strategic", frequency="half_yearly")
        for day in ("2026-01-10", "2026-03-12", "2025-11-05"):
            await meeting(client, "comite-strategique", title=f"Séance du {day}", held_on=day)
        first = await ok(await client.get("/meetings?order=newest&limit=2"))
        second = await ok(
            await client.get(f"/meetings?order=newest&limit=2&cursor={first['next_cursor']}")
        )
        forged = await client.get("/meetings?order=newest&cursor=WzFd")  # [1]: not [date, id]
    assert [m["held_on"] for m in first["items"]] == ["2026-03-12", "2026-01-10"]
    assert [m["held_on"] for m in second["items"]] == ["2025-11-05"]
    assert first["total"] == second["total"] == 3
    assert second["next_cursor"] is None
    assert forged.status_code == 422
