"""``/yearly-cost-lines/{year}``: what billing uses for a fiscal year."""

from __future__ import annotations

from typing import Any

from tests.catalogue.helpers import create_component, create_driver, create_service, direct_line
from tests.conftest import as_admin, as_contact, asgi_client

INVESTMENT = direct_line(
    section="investment",
    nature="acquisition",
    amount="100.00",
    depreciation_years=3,
    fiscal_year=2024,
)


async def test_a_spread_investment_counts_its_yearly_share_and_the_years_add_up(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_component(client)
        created = (await client.post("/cost-lines", json=INVESTMENT)).json()
        years = {
            y: (await client.get(f"/yearly-cost-lines/{y}")).json()["items"]
            for y in (2023, 2024, 2025, 2026, 2027)
        }
    assert years[2023] == []
    assert years[2027] == []
    amounts = [years[y][0]["amount"] for y in (2024, 2025, 2026)]
    assert amounts == ["33.33", "33.33", "33.34"]
    item = years[2026][0]
    assert item["cost_line_id"] == created["id"]
    assert item["fiscal_year"] == 2026
    assert (item["line_fiscal_year"], item["line_amount"]) == (2024, "100.00")


async def test_yearly_items_carry_what_billing_needs_in_cost_line_order(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_service(client, "stockage", domain="infrastructure")
        await create_component(client, "san", service_code="stockage")
        await create_driver(client)
        ids = []
        for amount in ("10.00", "20.00", "30.00"):
            line = direct_line(
                "san", mode="indirect", allocation=[], driver_code="storage_gb", amount=amount
            )
            ids.append((await client.post("/cost-lines", json=line)).json()["id"])
        await client.post("/cost-lines", json=direct_line("san", fiscal_year=2024))
        first = await client.get("/yearly-cost-lines/2025", params={"limit": 2})
        rest = await client.get(
            "/yearly-cost-lines/2025", params={"limit": 2, "cursor": first.json()["next_cursor"]}
        )
    items = first.json()["items"] + rest.json()["items"]
    assert [i["cost_line_id"] for i in items] == ids
    assert items[0] == {
        "cost_line_id": ids[0],
        "component_code": "san",
        "component_name": "San",  # names too: the run keeps them for its documents
        "service_code": "stockage",
        "service_name": "Messagerie",
        "fiscal_year": 2025,
        "section": "operating",
        "mode": "indirect",
        "driver_code": "storage_gb",
        "nature": "maintenance",
        "amount": "10.00",
        "allocation": [],
        "line_fiscal_year": 2025,
        "line_amount": "10.00",
        "depreciation_years": None,
    }


async def test_a_member_contact_sees_only_its_own_weights_in_yearly_lines(
    service_app: Any,
) -> None:
    app = service_app("catalogue")
    async with asgi_client(app, headers=as_admin()) as client:
        await create_component(client)
        await client.post("/cost-lines", json=direct_line())
    async with asgi_client(app, headers=as_contact("nancy")) as client:
        items = (await client.get("/yearly-cost-lines/2025")).json()["items"]
    assert items[0]["allocation"] == [{"member_code": "nancy", "weight": "3"}]


async def test_a_year_out_of_range_is_a_422(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        response = await client.get("/yearly-cost-lines/1999")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.year"
