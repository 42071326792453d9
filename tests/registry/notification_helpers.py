"""Helpers of the notification tests: a service principal, a member with its contacts, a post."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from tests.conftest import identity_headers
from tests.registry.factories import create_contact, create_member

PDF = b"%PDF-1.7\n% une notification de test\n%%EOF\n"


def as_billing() -> dict[str, str]:
    return identity_headers(kind="service", roles=(), subject="service:billing", name="billing")


async def member_with_contacts(client: httpx.AsyncClient, code: str = "ludres") -> list[int]:
    """A member with two finance officers, an IT referent and a DPO; the contacts' ids."""
    await create_member(client, code, name=f"Ville de {code.title()}")
    ids = []
    for email, roles in (
        (f"finances@{code}.example", ["finance_officer"]),
        (f"comptable@{code}.example", ["finance_officer", "executive"]),
        (f"referent@{code}.example", ["it_referent"]),
        (f"dpo@{code}.example", ["dpo"]),
    ):
        ids.append((await create_contact(client, code, email, roles=roles))["id"])
    return ids


def forecast_body(member: str = "ludres", run_id: int = 7, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "forecast_available",
        "member_code": member,
        "reference": f"forecast:{run_id}",
        "context": {
            "fiscal_year": 2026,
            "made_available_at": "2026-02-10T09:30:00+00:00",
            "operating": "12345.60",
            "investment": "0.00",
            "budget_deadline": "2026-04-15",
        },
        "attachments": [
            {
                "filename": f"notification-previsionnelle-2026-{member}.pdf",
                "media_type": "application/pdf",
                "content_base64": base64.b64encode(PDF).decode(),
            }
        ],
    }
    body.update(overrides)
    return body
