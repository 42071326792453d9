"""Small factories for catalogue tests: each creates through the real HTTP API."""

from __future__ import annotations

from typing import Any

import httpx


async def create_service(client: httpx.AsyncClient, code: str = "messagerie", **fields: Any) -> Any:
    body = {
        "code": code,
        "name": "Messagerie",
        "domain": "applications-metier",
        "status": "active",
        **fields,
    }
    response = await client.post("/services", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def create_component(client: httpx.AsyncClient, code: str = "exchange", **fields: Any) -> Any:
    body = {"code": code, "name": code.title(), "kind": "application", **fields}
    response = await client.post("/components", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def create_driver(
    client: httpx.AsyncClient, code: str = "storage_gb", unit: str = "Go"
) -> Any:
    response = await client.post("/drivers", json={"code": code, "unit": unit})
    assert response.status_code == 201, response.text
    return response.json()


def direct_line(component: str = "exchange", **fields: Any) -> dict[str, Any]:
    return {
        "component_code": component,
        "fiscal_year": 2025,
        "section": "operating",
        "nature": "maintenance",
        "amount": "1000.00",
        "mode": "direct",
        "allocation": [
            {"member_code": "nancy", "weight": "3"},
            {"member_code": "ludres", "weight": "1"},
        ],
        **fields,
    }
