"""GDPR registers through the API: processor register, records, breaches, requests, exports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import as_admin, as_contact, asgi_client, identity_headers
from tests.governance.helpers import ok


def dpo() -> dict[str, str]:
    """Signed when used: the identity lives 60 seconds, as the gateway's does."""
    return identity_headers(roles=("dpo",), subject="account:3", name="DPO")


def entry(controller: str, **extra: Any) -> dict[str, Any]:
    return {
        "category_code": "messagerie",
        "category_name": "Messagerie",
        "controller_code": controller,
        "processing_carried_out": "Hébergement",
        "security_measures": "Chiffrement, sauvegardes",
        **extra,
    }


async def test_processor_register_has_one_entry_per_category_and_controller(
    service_app: Any,
) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=dpo()) as client:
        await ok(await client.post("/gdpr/processing", json=entry("ludres")))
        await ok(await client.post("/gdpr/processing", json=entry("laxou")))
        again = await client.post("/gdpr/processing", json=entry("ludres"))
    assert again.status_code == 409


async def test_processor_entry_names_only_known_sub_processors(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=dpo()) as client:
        response = await client.post(
            "/gdpr/processing", json=entry("ludres", sub_processors=["inconnu"])
        )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "sub_processors"


async def test_contact_reads_only_entries_where_its_member_is_controller(
    service_app: Any,
) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=dpo()) as client:
        await ok(await client.post("/gdpr/processing", json=entry("ludres")))
        laxou = await ok(await client.post("/gdpr/processing", json=entry("laxou")))
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        listed = await ok(await client.get("/gdpr/processing"))
        hidden = await client.get(f"/gdpr/processing/{laxou['id']}")
        exported = await client.get("/gdpr/processing/export.csv")
        write = await client.post("/gdpr/processing", json=entry("ludres", category_code="x"))
    assert [e["controller_code"] for e in listed["items"]] == ["ludres"]
    assert hidden.status_code == 404
    assert "laxou" not in exported.content.decode()
    assert write.status_code == 403


async def test_record_completeness_names_the_missing_art_30_fields(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=dpo()) as client:
        created = await ok(
            await client.post(
                "/gdpr/records",
                json={
                    "controller_code": "ludres",
                    "name": "État civil",
                    "purposes": "Tenue des actes",
                    "legal_basis": "legal_obligation",
                    "data_subjects": ["usagers"],
                    "data_categories": ["identité"],
                    "transfers": "Hors UE",
                },
            )
        )
        patched = await ok(
            await client.patch(
                f"/gdpr/records/{created['id']}",
                json={
                    "recipients": ["agents"],
                    "retention": "75 ans",
                    "security_measures": "Habilitations",
                    "transfer_safeguards": "Clauses types",
                },
            )
        )
    assert created["completeness"] == {
        "complete": False,
        "missing": ["recipients", "retention", "security_measures", "transfer_safeguards"],
    }
    assert patched["completeness"] == {"complete": True, "missing": []}


async def test_breach_not_notified_after_72_hours_is_flagged_with_its_timeline(
    service_app: Any,
) -> None:
    app = service_app("governance")
    aware = dt.datetime.now(dt.UTC) - dt.timedelta(hours=80)
    async with asgi_client(app, headers=dpo()) as client:
        breach = await ok(
            await client.post(
                "/gdpr/breaches",
                json={
                    "reference": "VIO-1",
                    "controller_code": "ludres",
                    "title": "Rançongiciel",
                    "facts": "Chiffrement d'un serveur",
                    "risk": "high_risk",
                    "aware_at": aware.isoformat(),
                    "controller_informed_at": (aware + dt.timedelta(hours=2)).isoformat(),
                },
            )
        )
    assert "authority-notification-overdue" in breach["flags"]
    assert "people-to-inform" in breach["flags"]
    assert breach["hours_remaining"] < 0
    assert [e["event"] for e in breach["timeline"]] == ["aware_at", "controller_informed_at"]


async def test_breach_notified_within_72_hours_has_no_clock_flag(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=dpo()) as client:
        breach = await ok(
            await client.post(
                "/gdpr/breaches",
                json={
                    "reference": "VIO-2",
                    "controller_code": "ludres",
                    "title": "Courriel mal adressé",
                    "facts": "Envoi à un mauvais destinataire",
                    "risk": "risk",
                    "aware_at": "2025-02-03T09:00:00+01:00",
                    "controller_informed_at": "2025-02-03T10:00:00+01:00",
                    "authority_notified_at": "2025-02-05T18:00:00+01:00",
                },
            )
        )
        early = await client.post(
            "/gdpr/breaches",
            json={
                "reference": "VIO-3",
                "controller_code": "ludres",
                "title": "X",
                "facts": "Y",
                "risk": "none",
                "aware_at": "2025-02-03T09:00:00+01:00",
                "controller_informed_at": "2025-02-01T09:00:00+01:00",
            },
        )
    assert breach["flags"] == []
    deadline = dt.datetime.fromisoformat(breach["deadline_at"])
    assert deadline == dt.datetime(2025, 2, 6, 8, 0, tzinfo=dt.UTC)
    assert early.status_code == 422


async def test_request_deadline_is_one_month_and_alerts_when_overdue(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        late = await ok(
            await client.post(
                "/gdpr/requests",
                json={
                    "reference": "DRT-1",
                    "controller_code": "ludres",
                    "kind": "access",
                    "received_on": "2025-01-31",
                },
            )
        )
        extended = await client.post(
            "/gdpr/requests",
            json={
                "reference": "DRT-2",
                "controller_code": "ludres",
                "kind": "erasure",
                "received_on": "2025-01-31",
                "extended": True,
            },
        )
    assert (late["due_on"], late["alert"]) == ("2025-02-28", "overdue")
    assert extended.status_code == 422


async def test_breach_register_exports_as_pdf(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=dpo()) as client:
        await ok(
            await client.post(
                "/gdpr/breaches",
                json={
                    "reference": "VIO-9",
                    "controller_code": "ludres",
                    "title": "Perte d'un portable",
                    "facts": "Oubli dans un train",
                    "risk": "none",
                    "aware_at": "2025-02-03T09:00:00+01:00",
                },
            )
        )
        pdf = await client.get("/gdpr/breaches/export.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
