"""Demo data fills an empty catalogue once, and billing's reads work on it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from services.catalogue import demo
from tests.conftest import as_admin, asgi_client


async def test_demo_data_loads_once_and_gives_billing_its_inputs(service_app: Any) -> None:
    app = service_app("catalogue")
    with app.state.test_sessionmaker() as session:
        first = demo.load(session)
        session.commit()
    with app.state.test_sessionmaker() as session:
        second = demo.load(session)
    async with asgi_client(app, headers=as_admin()) as client:
        lines = (await client.get("/yearly-cost-lines/2026", params={"limit": 10000})).json()
        usage = (await client.get("/usage/2026", params={"limit": 10000})).json()
        drivers = (await client.get("/drivers")).json()
    assert (first, second) == (True, False)
    assert lines["next_cursor"] is None
    assert {i["mode"] for i in lines["items"]} == {"direct", "indirect"}
    assert all(
        sum(Decimal(a["weight"]) for a in i["allocation"]) > 0
        for i in lines["items"]
        if i["mode"] == "direct"
    )
    used = {i["driver_code"] for i in lines["items"] if i["mode"] == "indirect"}
    assert used <= {d["code"] for d in drivers["items"]}
    assert {u["member_code"] for u in usage["items"]} >= {
        "grand-nancy",
        "syndicat-creche-frimousse",
    }
