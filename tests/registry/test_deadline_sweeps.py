"""The registry's convention-deadline sweeper (on a controlled date: once per deadline, to the
executive or else the finance officer) and sending a dead delivery again (admin only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.registry.conventions.reminders import sweep
from services.registry.notifications.worker import deliver_due
from tests.conftest import as_admin, asgi_client, identity_headers
from tests.mailserver import smtp_server
from tests.registry.factories import adhere, create_contact, create_convention, create_member
from tests.registry.notification_helpers import as_billing, forecast_body, member_with_contacts

CONVENTION = {"code": "mutualisation-2024", "title": "Convention de mutualisation 2024",
              "starts_on": "2024-01-01", "ends_on": "2024-12-31", "tacit_renewal": True,
              "notice_months": 3, "max_ends_on": "2026-12-31"}  # fmt: skip


async def _two_adhering_members(app: Any) -> None:
    """Ludres has an executive; Laxou only a finance officer; Nancy left before the date."""
    async with asgi_client(app, headers=as_admin()) as admin:
        await create_convention(admin, **CONVENTION)
        await member_with_contacts(admin, "ludres")  # its comptable is also the executive
        await create_member(admin, "laxou", name="Ville de Laxou")
        await create_contact(admin, "laxou", "finances@laxou.example", roles=["finance_officer"])
        await create_member(admin, "nancy", name="Ville de Nancy")
        await create_contact(admin, "nancy", "dg@nancy.example", roles=["executive"])
        await adhere(admin, CONVENTION["code"], "ludres")
        await adhere(admin, CONVENTION["code"], "laxou")
        await adhere(admin, CONVENTION["code"], "nancy", left_on="2024-06-30")


async def _notifications(app: Any) -> list[dict[str, Any]]:
    async with asgi_client(app, headers=as_admin()) as admin:
        answer = await admin.get("/notifications", params={"kind": "convention_deadline"})
    return sorted(answer.json()["items"], key=lambda n: (n["reference"], n["member_code"]))


async def test_each_convention_deadline_is_queued_once_per_adhering_member(
    service_app: Any,
) -> None:
    app = service_app("registry")
    await _two_adhering_members(app)
    before = sweep(app, today=dt.date(2024, 7, 1))  # the notice date is 92 days away
    first = sweep(app, today=dt.date(2024, 8, 15))  # 47 days: within the 60
    again = sweep(app, today=dt.date(2024, 8, 16))
    later = sweep(app, today=dt.date(2024, 11, 15))  # the renewal on 2025-01-01
    notifications = await _notifications(app)
    assert (before, first, again, later) == (0, 2, 0, 2)
    by_ref = {(n["reference"], n["member_code"]): n for n in notifications}
    notice = by_ref[("convention:mutualisation-2024:notice:2024-10-01", "ludres")]
    assert [(d["email"], d["role"]) for d in notice["deliveries"]] == [
        ("comptable@ludres.example", "executive")
    ]
    fallback = by_ref[("convention:mutualisation-2024:notice:2024-10-01", "laxou")]
    assert [(d["email"], d["role"]) for d in fallback["deliveries"]] == [
        ("finances@laxou.example", "finance_officer")
    ]
    assert "nancy" not in {n["member_code"] for n in notifications}  # left before the date
    assert notice["subject"] == (
        "Convention « Convention de mutualisation 2024 » : échéance du 01/10/2024"
    )
    assert ("convention:mutualisation-2024:renewal:2025-01-01", "laxou") in by_ref


async def test_a_dead_delivery_is_sent_again_by_an_administrator(service_app: Any) -> None:
    with smtp_server() as (server, port):
        app = service_app("registry", smtp_host="127.0.0.1", smtp_port=port,
                          smtp_starttls=False, mail_worker=False, mail_retry_delays=[])  # fmt: skip
        async with asgi_client(app, headers=as_admin()) as admin:
            await member_with_contacts(admin)
        async with asgi_client(app, headers=as_billing()) as billing:
            created = (await billing.post("/notifications", json=forecast_body())).json()
        server.refuse(["451 4.2.2 Mailbox full", "451 4.2.2 Mailbox full"])
        deliver_due(app)  # no delay left: each temporary refusal is final
        dead = created["deliveries"][0]["id"]
        contact = identity_headers(kind="contact", roles=(), member="ludres", subject="account:7")
        async with asgi_client(app, headers=contact) as member:
            refused = await member.post(f"/notifications/deliveries/{dead}/retry")
        async with asgi_client(app, headers=as_admin()) as admin:
            dead_row = (await admin.get(f"/notifications/{created['id']}")).json()
            retried = await admin.post(f"/notifications/deliveries/{dead}/retry")
            assert deliver_due(app) == 1  # only the one sent again
            sent = (await admin.get(f"/notifications/{created['id']}")).json()
            twice = await admin.post(
                f"/notifications/deliveries/{dead}/retry", headers={"Accept-Language": "fr"}
            )
            unknown = await admin.post("/notifications/deliveries/999999/retry")
            audit = await admin.get("/audit-entries", params={"resource_type": "delivery"})
    assert [d["status"] for d in dead_row["deliveries"]] == ["dead", "dead"]
    assert refused.status_code == 403
    assert retried.status_code == 200, retried.text
    assert (retried.json()["status"], retried.json()["attempts"]) == ("queued", 0)
    states = {d["id"]: d for d in sent["deliveries"]}
    assert states[dead]["status"] == "sent"
    assert states[dead]["smtp_code"] == 250
    assert [d["status"] for d in sent["deliveries"]].count("dead") == 1
    assert twice.status_code == 409
    assert twice.json()["type"].endswith("delivery-not-retryable")
    assert "Seul un envoi en échec peut être renvoyé" in twice.json()["detail"]
    assert unknown.status_code == 404
    assert server.received[-1].rcpt_tos == [states[dead]["email"]]
    entries = audit.json()["items"]
    assert any(e["action"] == "retry" and e["before"]["status"] == "dead" for e in entries)


async def test_a_contacts_language_is_french_the_only_one_the_members_read(
    service_app: Any,
) -> None:
    app = service_app("registry")
    async with asgi_client(app, headers=as_admin()) as admin:
        await create_member(admin, "ludres")
        made = await create_contact(admin, "ludres", "dsi@ludres.example")
        english = await admin.post("/members/ludres/contacts", json={
            "first_name": "Ann", "last_name": "Smith", "email": "ann@ludres.example",
            "language": "en"}, headers={"Accept-Language": "fr"})  # fmt: skip
    assert made["language"] == "fr"
    assert english.status_code == 422
    assert [e["field"] for e in english.json()["errors"]] == ["language"]
