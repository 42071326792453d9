"""Every service shows the before/after of its writes to those allowed to read the audit."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import as_admin, asgi_client, identity_headers


async def test_a_write_appears_in_the_service_audit_trail(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        created = await client.post("/drivers", json={"code": "accounts", "unit": "comptes"})
        trail = await client.get("/audit-entries", params={"resource_type": "driver"})
    assert created.status_code == 201
    entry = trail.json()["items"][-1]
    assert entry["resource_id"] == "accounts"
    assert entry["before"] is None
    assert entry["after"]["unit"] == "comptes"
    assert entry["principal"].startswith("account:1")


@pytest.mark.parametrize("service", ["registry", "catalogue", "governance"])
async def test_only_auditors_read_the_trail(service: str, service_app: Any) -> None:
    app = service_app(service)
    async with asgi_client(app) as client:
        admin = await client.get("/audit-entries", headers=as_admin())
        finance = await client.get("/audit-entries", headers=identity_headers(roles=("finance",)))
    assert admin.status_code == 200
    assert finance.status_code == 403


async def test_billing_keeps_an_audit_trail_too(service_app: Any) -> None:
    async with asgi_client(service_app("billing"), headers=as_admin()) as client:
        await client.put("/fiscal-years/2025", json={"payroll_envelope": "1000.00"})
        trail = await client.get("/audit-entries")
    assert trail.status_code == 200
    assert trail.json()["items"][-1]["after"]["payroll_envelope"] == "1000.00"
