"""Members carry the debtor fields a revenue title needs (PES V2 codes, Chorus Pro references)."""

from __future__ import annotations

from typing import Any

from tests.conftest import as_admin, asgi_client
from tests.registry.factories import create_member, member_body

DEBTOR = {
    "category": "23",
    "legal_nature": "09",
    "service_code_required": True,
    "service_code": "DSI-01",
    "commitment_number_required": False,
    "commitment_number": None,
}


async def test_a_member_without_debtor_fields_reads_them_empty(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        member = await create_member(client, "ludres")
    assert member["debtor"] == {
        "category": None,
        "legal_nature": None,
        "service_code_required": False,
        "service_code": None,
        "commitment_number_required": False,
        "commitment_number": None,
    }


async def test_debtor_fields_are_stored_and_replaced_by_patch(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "nancy", debtor=DEBTOR)
        assert (await client.get("/members/nancy")).json()["debtor"] == DEBTOR
        changed = {**DEBTOR, "commitment_number_required": True, "commitment_number": "EJ-7"}
        response = await client.patch("/members/nancy", json={"debtor": changed})
        assert response.status_code == 200, response.text
        assert (await client.get("/members/nancy")).json()["debtor"] == changed


async def test_a_required_chorus_reference_without_a_value_is_422(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        body = member_body("laxou", debtor={**DEBTOR, "service_code": None})
        response = await client.post("/members", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("debtor")


async def test_an_unknown_debtor_category_is_422(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        response = await client.post(
            "/members", json=member_body("laxou", debtor={"category": "99"})
        )
    assert response.status_code == 422
    assert "debtor" in response.json()["errors"][0]["field"]
