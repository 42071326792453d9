"""GDPR registers through the API: processor register, records, breaches, requests, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from kit.clock import FixedClock
from services.governance.gdpr import exports, rules
from services.governance.gdpr.rules import request_deadline
from tests.conftest import as_admin, as_contact, asgi_client, assert_refused, identity_headers
from tests.governance.helpers import ok
from web.views import governance_gdpr as gdpr_views


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
    assert_refused(early, "controller_informed_at")


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
    assert_refused(extended, "extension_reason")


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


def _breach(reference: str, aware_at: str, **extra: Any) -> dict[str, Any]:
    return {
        "reference": reference,
        "controller_code": "ludres",
        "title": "Perte d'un ordinateur portable",
        "facts": "Portable non chiffré oublié dans un train",
        "risk": "risk",
        "aware_at": aware_at,
        "controller_informed_at": aware_at,
        **extra,
    }


async def test_the_72_hour_clock_at_its_bound_on_an_injected_clock(service_app: Any) -> None:
    """Due up to the 72nd hour included, overdue one second later; notified exactly at the
    deadline is not late."""
    app = service_app("governance")
    aware = dt.datetime(2025, 2, 3, 8, 0, tzinfo=dt.UTC)
    app.state.clock = FixedClock(aware + dt.timedelta(hours=72))
    async with asgi_client(app, headers=dpo()) as client:
        created = await ok(
            await client.post("/gdpr/breaches", json=_breach("VIO-10", aware.isoformat()))
        )
        on_time = await ok(
            await client.post(
                "/gdpr/breaches",
                json=_breach(
                    "VIO-11",
                    aware.isoformat(),
                    authority_notified_at=(aware + dt.timedelta(hours=72)).isoformat(),
                ),
            )
        )
        late = await ok(
            await client.post(
                "/gdpr/breaches",
                json=_breach(
                    "VIO-12",
                    aware.isoformat(),
                    authority_notified_at=(aware + dt.timedelta(hours=72, seconds=1)).isoformat(),
                ),
            )
        )
        app.state.clock.set(aware + dt.timedelta(hours=72, seconds=1))
        after = await ok(await client.get(f"/gdpr/breaches/{created['id']}"))
        app.state.clock.set(aware + dt.timedelta(hours=48))
        day_two = await ok(await client.get(f"/gdpr/breaches/{created['id']}"))
    assert created["flags"] == ["authority-notification-due"]
    assert created["hours_remaining"] == 0
    assert on_time["flags"] == []
    assert late["flags"] == ["authority-notified-late"]
    assert after["flags"] == ["authority-notification-overdue"]
    assert day_two["hours_remaining"] == 24


async def test_an_extended_request_is_due_three_months_after_receipt(service_app: Any) -> None:
    """Art. 12.3: one month, plus two more when extended — on the injected clock."""
    app = service_app("governance")
    app.state.clock = FixedClock(dt.datetime(2025, 4, 1, 12, 0, tzinfo=dt.UTC))
    async with asgi_client(app, headers=dpo()) as client:
        extended = await ok(
            await client.post(
                "/gdpr/requests",
                json={
                    "reference": "DRT-20",
                    "controller_code": "ludres",
                    "kind": "access",
                    "received_on": "2025-01-31",
                    "extended": True,
                    "extension_reason": "Demande complexe portant sur dix ans d'archives",
                },
            )
        )
    assert extended["due_on"] == "2025-04-30"
    assert extended["alert"] is None  # 29 days left on 2025-04-01: neither due soon nor late


def test_an_answer_after_the_deadline_is_flagged_late_and_not_on_the_day() -> None:
    received = dt.date(2025, 1, 31)
    today = dt.date(2025, 6, 1)

    def alert(answered_on: dt.date, *, extended: bool = False) -> str | None:
        return request_deadline(
            received_on=received, extended=extended, answered_on=answered_on, today=today
        )["alert"]

    assert alert(dt.date(2025, 2, 28)) is None
    assert alert(dt.date(2025, 3, 1)) == "answered-late"
    assert alert(dt.date(2025, 4, 30), extended=True) is None
    assert alert(dt.date(2025, 5, 1), extended=True) == "answered-late"


def test_a_request_is_due_soon_from_seven_days_before_its_deadline() -> None:
    def alert(today: dt.date) -> str | None:
        return request_deadline(
            received_on=dt.date(2025, 3, 3), extended=False, answered_on=None, today=today
        )["alert"]

    assert alert(dt.date(2025, 3, 26)) is None  # due 2025-04-03: eight days left
    assert alert(dt.date(2025, 3, 27)) == "due-soon"  # seven days left
    assert alert(dt.date(2025, 4, 3)) == "due-soon"  # the day itself
    assert alert(dt.date(2025, 4, 4)) == "overdue"


async def test_the_registers_export_in_french_with_labels_and_paris_time(
    service_app: Any,
) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=dpo()) as client:
        await ok(await client.post("/gdpr/breaches", json=_breach("VIO-7", "2025-02-03T09:00:00Z")))
        exported = await client.get("/gdpr/breaches/export.csv")
    text = exported.content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text), delimiter=";"))[:2]
    assert header[:4] == ["N°", "Référence", "Responsable de traitement (adhérent)", "Violation"]
    values = dict(zip(header, row, strict=True))
    assert values["Connue de la DSIT le"] == "03/02/2025 10:00"  # 09:00 UTC, Paris winter time
    assert values["Risque"] in exports.LABELS["risk"].values()
    assert "_" not in "".join(header)


def test_the_exports_and_the_pages_label_the_registers_alike() -> None:
    assert exports.LABELS["risk"] == gdpr_views.RISKS
    assert exports.LABELS["flags"] == gdpr_views.BREACH_FLAGS
    assert exports.LABELS["kind"] == gdpr_views.REQUEST_KINDS
    assert exports.LABELS["alert"] == gdpr_views.REQUEST_ALERTS
    assert exports.LABELS["outcome"] == gdpr_views.OUTCOMES
    assert exports.LABELS["legal_basis"] == gdpr_views.LEGAL_BASES
    assert set(rules.RECORD_FIELDS) | set(rules.ART28_TERMS) <= set(exports.MISSING)
