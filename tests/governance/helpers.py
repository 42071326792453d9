"""Small factories for governance tests, all through the HTTP API of the real app."""

from __future__ import annotations

from typing import Any

import httpx


async def ok(response: Any) -> Any:
    assert response.status_code < 300, response.text
    return response.json()


async def body(client: httpx.AsyncClient, code: str = "conference", **extra: Any) -> Any:
    data = {
        "code": code,
        "name": f"Instance {code}",
        "level": "political",
        "frequency": "annual",
        **extra,
    }
    return await ok(await client.post("/bodies", json=data))


async def meeting(client: httpx.AsyncClient, body_code: str = "conference", **extra: Any) -> Any:
    data = {"body_code": body_code, "title": "Séance", "held_on": "2025-03-12", **extra}
    return await ok(await client.post("/meetings", json=data))


async def indicator(client: httpx.AsyncClient, code: str, **extra: Any) -> Any:
    data = {
        "code": code,
        "name": code,
        "definition": "Définition",
        "unit": "%",
        "direction": "up",
        "category": "plan",
        "axis_code": "securite",
        **extra,
    }
    return await ok(await client.post("/master-plans/indicators", json=data))


async def action(client: httpx.AsyncClient, code: str, **extra: Any) -> Any:
    data = {
        "code": code,
        "axis_code": "securite",
        "title": f"Action {code}",
        "owner": "RSSI",
        **extra,
    }
    return await ok(await client.post("/master-plans/actions", json=data))
