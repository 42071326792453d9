"""Cost lines follow the billing rules: weights for direct lines, a driver for indirect ones."""

from __future__ import annotations

from typing import Any

from tests.catalogue.helpers import create_component, create_driver, direct_line
from tests.conftest import as_admin, as_contact, asgi_client, assert_refused


async def test_a_direct_line_is_stored_with_its_weights(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_component(client)
        created = await client.post("/cost-lines", json=direct_line())
        fetched = await client.get(f"/cost-lines/{created.json()['id']}")
    assert created.status_code == 201
    line = fetched.json()
    assert line["amount"] == "1000.00"
    assert line["allocation"] == [
        {"member_code": "ludres", "weight": "1"},
        {"member_code": "nancy", "weight": "3"},
    ]
    assert line["yearly_amounts"] == [{"fiscal_year": 2025, "amount": "1000.00"}]


async def test_a_direct_line_without_weights_is_refused_with_a_clear_message(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_component(client)
        response = await client.post("/cost-lines", json=direct_line(allocation=[]))
        listed = await client.get("/cost-lines")
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "urn:mutualis:problem:invalid-cost-line"
    assert problem["errors"][0]["field"] == "allocation"
    assert "weights per member" in problem["detail"]
    assert listed.json()["items"] == []


async def test_a_direct_line_whose_weights_are_all_zero_is_refused(service_app: Any) -> None:
    zero = [{"member_code": "nancy", "weight": "0"}, {"member_code": "ludres", "weight": "0.000"}]
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_component(client)
        response = await client.post("/cost-lines", json=direct_line(allocation=zero))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["allocation"]
    assert "all zero" in response.json()["errors"][0]["message"]


async def test_an_indirect_line_without_driver_is_refused(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_component(client)
        response = await client.post(
            "/cost-lines", json=direct_line(mode="indirect", allocation=[])
        )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "driver_code"
    assert "needs a driver" in response.json()["detail"]


async def test_an_indirect_line_names_a_known_driver(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_component(client)
        unknown = await client.post(
            "/cost-lines", json=direct_line(mode="indirect", allocation=[], driver_code="accounts")
        )
        await create_driver(client, "accounts", "comptes")
        known = await client.post(
            "/cost-lines", json=direct_line(mode="indirect", allocation=[], driver_code="accounts")
        )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0] == {
        "field": "driver_code",
        "type": "unknown",
        "message": "No driver 'accounts'",
    }
    assert known.status_code == 201
    assert known.json()["driver_code"] == "accounts"


async def test_an_amount_with_more_than_two_decimals_or_a_float_is_refused(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_component(client)
        too_precise = await client.post("/cost-lines", json=direct_line(amount="10.001"))
        negative = await client.post("/cost-lines", json=direct_line(amount="-5"))
    assert too_precise.status_code == 422
    assert too_precise.json()["errors"][0]["field"] == "amount"
    assert_refused(negative, "amount")


async def test_only_an_investment_can_be_spread(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_component(client)
        response = await client.post("/cost-lines", json=direct_line(depreciation_years=3))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "depreciation_years"


async def test_a_spread_investment_shows_yearly_amounts_adding_up(service_app: Any) -> None:
    line = direct_line(
        section="investment",
        nature="acquisition",
        amount="1000.00",
        depreciation_years=3,
        fiscal_year=2024,
    )
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_component(client)
        created = (await client.post("/cost-lines", json=line)).json()
    assert created["yearly_amounts"] == [
        {"fiscal_year": 2024, "amount": "333.33"},
        {"fiscal_year": 2025, "amount": "333.33"},
        {"fiscal_year": 2026, "amount": "333.34"},
    ]


async def test_an_update_is_checked_against_the_rules_again(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_component(client)
        created = (await client.post("/cost-lines", json=direct_line())).json()
        to_indirect = await client.patch(f"/cost-lines/{created['id']}", json={"mode": "indirect"})
        new_amount = await client.patch(f"/cost-lines/{created['id']}", json={"amount": "12.50"})
    assert to_indirect.status_code == 422
    fields = {e["field"] for e in to_indirect.json()["errors"]}
    assert fields == {"driver_code", "allocation"}
    assert new_amount.status_code == 200
    assert new_amount.json()["amount"] == "12.50"
    assert len(new_amount.json()["allocation"]) == 2


async def test_a_member_contact_sees_only_its_own_weight(service_app: Any) -> None:
    app = service_app("catalogue")
    async with asgi_client(app, headers=as_admin()) as client:
        await create_component(client)
        created = (await client.post("/cost-lines", json=direct_line())).json()
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        listed = await client.get("/cost-lines")
        single = await client.get(f"/cost-lines/{created['id']}")
        write = await client.post("/cost-lines", json=direct_line())
    assert listed.json()["items"][0]["allocation"] == [{"member_code": "ludres", "weight": "1"}]
    assert single.json()["allocation"] == [{"member_code": "ludres", "weight": "1"}]
    assert write.status_code == 403


async def test_a_deleted_cost_line_is_gone(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_component(client)
        created = (await client.post("/cost-lines", json=direct_line())).json()
        deleted = await client.delete(f"/cost-lines/{created['id']}")
        fetched = await client.get(f"/cost-lines/{created['id']}")
    assert deleted.status_code == 204
    assert fetched.status_code == 404
