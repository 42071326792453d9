"""Notifications: recipients by role, rendered in French, sent to a real SMTP server, the proof."""

from __future__ import annotations

import hashlib
from typing import Any

from services.registry.notifications.worker import deliver_due
from tests.conftest import as_admin, as_contact, asgi_client, assert_refused
from tests.mailserver import smtp_server
from tests.registry.notification_helpers import PDF, as_billing, forecast_body, member_with_contacts


def mail_app(service_app: Any, port: int = 1) -> Any:
    return service_app(
        "registry", smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False, mail_worker=False
    )


async def test_a_forecast_goes_to_each_finance_officer_with_its_pdf_and_the_proof(
    service_app: Any,
) -> None:
    with smtp_server() as (server, port):
        app = mail_app(service_app, port)
        async with asgi_client(app, headers=as_admin()) as admin:
            await member_with_contacts(admin)
        async with asgi_client(app, headers=as_billing()) as billing:
            created = await billing.post("/notifications", json=forecast_body())
            assert created.status_code == 201, created.text
            assert [d["status"] for d in created.json()["deliveries"]] == ["queued", "queued"]
            assert deliver_due(app) == 2
            proof = (await billing.get("/notifications", params={"reference": "forecast:7"})).json()
    digest = hashlib.sha256(PDF).hexdigest()
    assert sorted(m.rcpt_tos[0] for m in server.received) == [
        "comptable@ludres.example",
        "finances@ludres.example",
    ]
    mail = server.received[0]
    assert mail.subject == "Notification prévisionnelle 2026 - Ville de Ludres"
    text = mail.body("plain")
    assert "La notification prévisionnelle 2026 de Ville de Ludres est disponible" in text
    assert "Fonctionnement : 12\u202f345,60 €" in text
    assert "au plus tard le 15/04/2026" in text
    assert "Mise à disposition le 10/02/2026 à 10:30" in text
    assert digest in text
    assert digest in mail.body("html")
    assert "http://127.0.0.1:8000/tableau-de-bord#cout" in text
    assert mail.attachments() == [("notification-previsionnelle-2026-ludres.pdf", PDF)]
    [notification] = proof["items"]
    assert notification["attachments"] == [
        {
            "filename": "notification-previsionnelle-2026-ludres.pdf",
            "media_type": "application/pdf",
            "sha256": digest,
            "size": len(PDF),
        }
    ]
    assert notification["requested_by"] == "service:billing (billing)"
    for delivery in notification["deliveries"]:
        assert delivery["status"] == "sent"
        assert delivery["role"] == "finance_officer"
        assert delivery["smtp_code"] == 250
        assert delivery["smtp_answer"].startswith("2.0.0 Ok: queued as T")
        assert delivery["sent_at"] is not None
    assert notification["accepted_at"] == max(d["sent_at"] for d in notification["deliveries"])


async def test_the_same_notification_asked_twice_is_queued_once(service_app: Any) -> None:
    app = mail_app(service_app)
    async with asgi_client(app, headers=as_admin()) as admin:
        await member_with_contacts(admin)
    async with asgi_client(app, headers=as_billing()) as billing:
        first = await billing.post("/notifications", json=forecast_body())
        again = await billing.post("/notifications", json=forecast_body())
        listed = (await billing.get("/notifications", params={"member_code": "ludres"})).json()
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert len(listed["items"]) == 1
    assert len(listed["items"][0]["deliveries"]) == 2


async def test_each_kind_reaches_the_contacts_of_its_role(service_app: Any) -> None:
    app = mail_app(service_app)
    async with asgi_client(app, headers=as_admin()) as admin:
        await member_with_contacts(admin)
        decision = await admin.post("/notifications", json={
            "kind": "decision_due", "member_code": "ludres", "reference": "action:3",
            "context": {"title": "Migrer la messagerie", "due_on": "2026-06-30"}})  # fmt: skip
        gdpr = await admin.post("/notifications", json={
            "kind": "gdpr_request_due", "member_code": "ludres", "reference": "gdpr-request:9",
            "context": {"request_kind": "access", "due_on": "2026-03-01"}})  # fmt: skip
    assert decision.status_code == 201, decision.text
    assert [d["email"] for d in decision.json()["deliveries"]] == ["referent@ludres.example"]
    assert [d["email"] for d in gdpr.json()["deliveries"]] == ["dpo@ludres.example"]


async def test_bad_requests_are_refused_in_french_naming_the_field(service_app: Any) -> None:
    app = mail_app(service_app)
    async with asgi_client(app, headers=as_admin()) as admin:
        await member_with_contacts(admin)
    french = {**as_billing(), "Accept-Language": "fr"}
    async with asgi_client(app, headers=french) as billing:
        no_year = forecast_body(context={})
        missing = await billing.post("/notifications", json=no_year)
        bad = forecast_body()
        bad["attachments"][0]["content_base64"] = "pas du base64 !"
        not_base64 = await billing.post("/notifications", json=bad)
        unknown = await billing.post("/notifications", json=forecast_body(member="nulle-part"))
        titles = await billing.post("/notifications", json={
            "kind": "titles_issued", "member_code": "ludres", "reference": "invoice:1",
            "context": {"titles": [{"reference": "2026-12"}]}})  # fmt: skip
        kind = await billing.post("/notifications", json={**forecast_body(), "kind": "spam"})
    assert_refused(missing, "context.fiscal_year")
    assert missing.json()["errors"][0]["message"] == "Valeur requise pour ce message."
    assert_refused(not_base64, "attachments.0.content_base64")
    assert_refused(unknown, "member_code")
    assert_refused(titles, "context")
    assert_refused(kind, "kind")


async def test_a_contact_cannot_send_and_sees_only_its_own_members_notifications(
    service_app: Any,
) -> None:
    app = mail_app(service_app)
    async with asgi_client(app, headers=as_admin()) as admin:
        await member_with_contacts(admin, "ludres")
        await member_with_contacts(admin, "nancy")
    async with asgi_client(app, headers=as_billing()) as billing:
        await billing.post("/notifications", json=forecast_body("ludres"))
        await billing.post("/notifications", json=forecast_body("nancy"))
    async with asgi_client(app, headers=as_contact("ludres")) as contact:
        refused = await contact.post("/notifications", json=forecast_body("ludres", 8))
        own = (await contact.get("/notifications")).json()["items"]
        other = (await contact.get("/notifications", params={"member_code": "nancy"})).json()
        other_one = await contact.get(f"/notifications/{own[0]['id'] + 1}")
    assert refused.status_code == 403
    assert [n["member_code"] for n in own] == ["ludres"]
    assert other["items"] == []
    assert other_one.status_code == 404


async def test_a_contact_opts_out_of_what_the_law_does_not_require(service_app: Any) -> None:
    app = mail_app(service_app)
    async with asgi_client(app, headers={**as_admin(), "Accept-Language": "fr"}) as admin:
        ids = await member_with_contacts(admin)
        referent = ids[2]
        required = await admin.put(
            f"/contacts/{ids[0]}/notification-opt-outs", json={"kinds": ["forecast_available"]}
        )
        opted = await admin.put(
            f"/contacts/{referent}/notification-opt-outs", json={"kinds": ["decision_due"]}
        )
        read = await admin.get(f"/contacts/{referent}/notification-opt-outs")
        decision = await admin.post("/notifications", json={
            "kind": "decision_due", "member_code": "ludres", "reference": "action:3",
            "context": {"title": "Migrer la messagerie", "due_on": "2026-06-30"}})  # fmt: skip
    assert_refused(required, "kinds")
    assert "prévu par les textes" in required.json()["errors"][0]["message"]
    assert opted.status_code == 200
    assert read.json() == {"kinds": ["decision_due"]}
    assert decision.json()["deliveries"] == []


async def test_the_auditors_export_lists_every_delivery_in_french(service_app: Any) -> None:
    with smtp_server() as (_server, port):
        app = mail_app(service_app, port)
        async with asgi_client(app, headers=as_admin()) as admin:
            await member_with_contacts(admin)
            await admin.post("/notifications", json=forecast_body())
            deliver_due(app)
            export = await admin.get("/notifications/export.csv", params={"member_code": "ludres"})
    assert export.headers["content-type"].startswith("text/csv")
    lines = export.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[:3] == ["Notification", "Date de la demande", "Adhérent"]
    assert "Accepté par le serveur le" in header
    assert "Réponse du serveur" in header
    assert len(lines) == 3
    row = dict(zip(header, lines[1].split(";"), strict=True))
    assert row["Type"] == "Notification prévisionnelle"
    assert row["État"] == "envoyé"
    assert row["Rôle"] == "Responsable des finances"
    assert row["Code SMTP"] == "250"
    assert hashlib.sha256(PDF).hexdigest() in row["Pièces jointes (SHA-256)"]
