"""Attack 9 of the hardening review: inputs that were server errors are now 4xx answers (a
problem+json from the API, the French error page from the web app), and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import as_admin, asgi_client
from tests.gateway.helpers import add_account, bearer


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body


async def test_control_characters_in_a_path_through_the_gateway(make_gateway: Any) -> None:
    gateway = make_gateway()
    add_account(gateway, "admin@test.example")
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        answers = [
            await client.get(f"/api/catalogue/components/x{c}", headers=admin)
            for c in ("%00", "%0A", "%1F", "%7F")
        ]
    for answer in answers:
        assert problem(answer, 400)["type"] == "urn:mutualis:problem:bad-path"


@pytest.mark.parametrize("route", ["/api/auth/audit", "/api/auth/accounts", "/api/auth/api-tokens"])
@pytest.mark.parametrize("cursor", ["WyJ4Il0", "WzEsMl0", "bnVsbA", "!!!"])
async def test_a_forged_cursor_on_the_gateways_lists(
    make_gateway: Any, route: str, cursor: str
) -> None:
    gateway = make_gateway()
    add_account(gateway, "admin@test.example")
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        answer = await client.get(route, params={"cursor": cursor}, headers=admin)
    assert "cursor" in {e["field"] for e in problem(answer, 422)["errors"]}


async def test_a_null_where_a_cost_line_needs_a_value(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await client.post("/components", json={"code": "sig", "name": "SIG", "kind": "application"})
        created = await client.post(
            "/cost-lines",
            json={
                "component_code": "sig",
                "fiscal_year": 2026,
                "section": "operating",
                "nature": "maintenance",
                "amount": "100.00",
                "mode": "direct",
                "allocation": [{"member_code": "ludres", "weight": "1"}],
            },
        )
        line = created.json()["id"]
        nulls = [
            await client.patch(f"/cost-lines/{line}", json={field: None})
            for field in ("section", "amount", "nature", "mode", "fiscal_year", "component_code")
        ]
        cleared = await client.patch(f"/cost-lines/{line}", json={"depreciation_years": None})
        stored = await client.get(f"/cost-lines/{line}")
    for answer, field in zip(
        nulls, ("section", "amount", "nature", "mode", "fiscal_year", "component_code"), strict=True
    ):
        assert field in {e["field"] for e in problem(answer, 422)["errors"]}
    assert cleared.status_code == 200, cleared.text  # a field that may be empty is cleared
    assert stored.json()["section"] == "operating"
    assert stored.json()["amount"] == "100.00"


async def test_a_malformed_form_and_a_nul_in_a_web_path_get_the_french_error_page(
    web_stack: Any,
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        truncated = await client.post(
            "/connexion",
            content=b'--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\nabc',
            headers={"Content-Type": "multipart/form-data; boundary=xyz"},
        )
        no_boundary = await client.post(
            "/connexion", content=b"--\r\n\r\n", headers={"Content-Type": "multipart/form-data"}
        )
        nul = await client.get("/adherents%00")
        newline = await client.get("/adherents%0A")
    for answer in (truncated, no_boundary, nul, newline):
        assert answer.status_code == 400, answer.text[:300]
        assert "Demande invalide" in answer.text
        assert "Traceback" not in answer.text
