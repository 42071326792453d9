"""Small typed helpers that build registry resources through the API."""

from __future__ import annotations

from typing import Any

import httpx
from stdnum import luhn


def siret(n: int) -> str:
    """A fictional SIRET with valid checksums (SIREN and SIRET), distinct for each ``n``."""
    siren = f"{n:08d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


def bad_checksum(number: str) -> str:
    last = (int(number[-1]) + 1) % 10
    return number[:-1] + str(last)


_seq = iter(range(10_000_000, 99_999_999))


def member_body(code: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": code,
        "name": code.replace("-", " ").title(),
        "kind": "commune",
        "siret": siret(next(_seq)),
        "address": {"line": "1 place de la Mairie", "postal_code": "54710", "city": "Ludres"},
        "joined_on": "2017-07-13",
    }
    body.update(overrides)
    return body


async def create_member(client: httpx.AsyncClient, code: str, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/members", json=member_body(code, **overrides))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def create_contact(
    client: httpx.AsyncClient, member: str, email: str, **overrides: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "first_name": "Claire",
        "last_name": "Martin",
        "email": email,
        "phone": "+33 3 83 00 00 00",
        "roles": ["it_referent"],
        "dashboard_access": True,
    }
    body.update(overrides)
    response = await client.post(f"/members/{member}/contacts", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def create_convention(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await client.post("/conventions", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def adhere(client: httpx.AsyncClient, convention: str, member: str, **body: Any) -> None:
    response = await client.post(
        f"/conventions/{convention}/adhesions", json={"member_code": member, **body}
    )
    assert response.status_code == 201, response.text
