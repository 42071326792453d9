"""The demo loader fills an empty registry once, with data the API accepts and serves."""

from __future__ import annotations

from typing import Any

from stdnum.fr import siret

from services.registry import demo
from tests.conftest import as_admin, asgi_client


async def test_demo_data_loads_once_and_is_served_by_the_api(service_app: Any) -> None:
    app = service_app("registry")
    with app.state.test_sessionmaker() as session:
        first = demo.load(session)
        session.commit()
    with app.state.test_sessionmaker() as session:
        second = demo.load(session)
    async with asgi_client(app, headers=as_admin()) as client:
        members = (await client.get("/members", params={"limit": 500})).json()["items"]
        covered_2023 = await client.get(
            "/members", params={"covered_on": "2023-12-31", "limit": 500}
        )
        covered_2024 = await client.get(
            "/members", params={"covered_on": "2024-01-01", "limit": 500}
        )
        referent = await client.get("/contacts", params={"email": "referent@ludres.example"})
        counts = (await client.get("/workstations/2024")).json()["items"]
        calendars = (await client.get("/budget-calendars/2024")).json()["items"]
    assert (first, second) == (True, False)
    codes = {m["code"] for m in members}
    assert len(members) == 26
    assert {"grand-nancy", "ludres", "nancy", "vandoeuvre-les-nancy", "saint-max"} <= codes
    assert {"ccas-nancy", "opera-national-de-lorraine"} <= codes
    host = [m for m in members if m["is_host"]]
    assert [(m["code"], m["invoiced"]) for m in host] == [("grand-nancy", False)]
    assert all(siret.is_valid(m["siret"]) for m in members)
    assert len(covered_2023.json()["items"]) == len(covered_2024.json()["items"]) == 26
    assert referent.json()["items"][0]["dashboard_access"] is True
    assert referent.json()["items"][0]["roles"] == ["it_referent"]
    assert len(counts) == len(calendars) == 26


async def test_every_demo_member_has_a_dashboard_it_referent(service_app: Any) -> None:
    app = service_app("registry")
    with app.state.test_sessionmaker() as session:
        demo.load(session)
        session.commit()
    async with asgi_client(app, headers=as_admin()) as client:
        contacts = (await client.get("/contacts", params={"limit": 500})).json()["items"]
    referents = {
        c["member_code"]
        for c in contacts
        if c["email"] == f"referent@{c['member_code']}.example"
        and c["dashboard_access"]
        and "it_referent" in c["roles"]
    }
    assert referents == {code for code, *_ in demo.MEMBERS}
    assert len(contacts) > len(referents)
