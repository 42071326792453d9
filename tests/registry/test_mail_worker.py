"""The mail worker against a real SMTP server: temporary refusals retried with backoff, permanent
ones failed, the dead letter, the sending thread and the development catch-all."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

from services.registry.notifications.worker import deliver_due, start_mail, stop_mail
from tests.conftest import as_admin, asgi_client
from tests.mailserver import free_port, smtp_server
from tests.registry.notification_helpers import PDF, as_billing, forecast_body, member_with_contacts


def mail_app(service_app: Any, port: int, **overrides: Any) -> Any:
    settings = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False,
                "mail_worker": False, **overrides}  # fmt: skip
    return service_app("registry", **settings)


async def _queue_forecast(app: Any) -> list[dict[str, Any]]:
    async with asgi_client(app, headers=as_admin()) as admin:
        await member_with_contacts(admin)
    async with asgi_client(app, headers=as_billing()) as billing:
        created = await billing.post("/notifications", json=forecast_body())
    assert created.status_code == 201, created.text
    return list(created.json()["deliveries"])


async def _deliveries(app: Any) -> list[dict[str, Any]]:
    async with asgi_client(app, headers=as_admin()) as admin:
        listed = (await admin.get("/notifications", params={"member_code": "ludres"})).json()
    return list(listed["items"][0]["deliveries"])


async def test_a_temporary_refusal_is_retried_after_its_delay_then_sent(service_app: Any) -> None:
    with smtp_server() as (server, port):
        app = mail_app(service_app, port)
        await _queue_forecast(app)
        server.refuse(["451 4.7.1 Greylisted, try again later"])
        before = dt.datetime.now(dt.UTC)
        assert deliver_due(app) == 2
        first = await _deliveries(app)
        assert deliver_due(app) == 0  # not due yet: the delay is a minute
        later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=61)
        assert deliver_due(app, now=later) == 1
        second = await _deliveries(app)
    refused = first[0]
    assert refused["status"] == "queued"
    assert refused["attempts"] == 1
    assert refused["smtp_code"] == 451
    assert refused["smtp_answer"] == "4.7.1 Greylisted, try again later"
    retry_at = dt.datetime.fromisoformat(refused["next_attempt_at"])
    assert before + dt.timedelta(seconds=59) < retry_at < before + dt.timedelta(seconds=75)
    assert first[1]["status"] == "sent"
    assert second[0]["status"] == "sent"
    assert second[0]["attempts"] == 2
    assert second[0]["smtp_code"] == 250
    assert second[0]["last_error"] is None
    assert [m.rcpt_tos for m in server.received] == [
        ["comptable@ludres.example"],
        ["finances@ludres.example"],
    ]


async def test_a_permanent_refusal_fails_at_once_with_the_servers_answer(
    service_app: Any,
) -> None:
    with smtp_server() as (server, port):
        app = mail_app(service_app, port)
        await _queue_forecast(app)
        server.refuse(["550 5.1.1 <finances@ludres.example>: Recipient address rejected"])
        deliver_due(app)
        far = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
        assert deliver_due(app, now=far) == 0  # a failed delivery is never tried again
        deliveries = await _deliveries(app)
    assert deliveries[0]["status"] == "failed"
    assert deliveries[0]["smtp_code"] == 550
    assert "Recipient address rejected" in deliveries[0]["smtp_answer"]
    assert deliveries[0]["next_attempt_at"] is None
    assert len(server.received) == 1


async def test_past_the_last_delay_a_delivery_is_dead(service_app: Any) -> None:
    with smtp_server() as (server, port):
        app = mail_app(service_app, port, mail_retry_delays=[60, 300])
        await _queue_forecast(app)
        server.refuse(["421 4.3.2 Service not available"] * 5)  # 3 for the first, 2 for the other
        now = dt.datetime.now(dt.UTC)
        for hours in (0, 1, 2):
            deliver_due(app, now=now + dt.timedelta(hours=hours))
        deliveries = await _deliveries(app)
    assert deliveries[0]["status"] == "dead"
    assert deliveries[0]["attempts"] == 3
    assert deliveries[0]["smtp_code"] == 421
    assert deliveries[1]["status"] == "sent"
    assert deliveries[1]["attempts"] == 3


async def test_no_server_answering_is_a_temporary_failure(service_app: Any) -> None:
    app = mail_app(service_app, free_port())  # nothing listens there
    await _queue_forecast(app)
    deliver_due(app)
    deliveries = await _deliveries(app)
    assert {d["status"] for d in deliveries} == {"queued"}
    assert deliveries[0]["smtp_code"] is None
    assert "ConnectionRefusedError" in deliveries[0]["last_error"]


async def test_the_worker_thread_sends_and_stops_with_the_app(service_app: Any) -> None:
    with smtp_server() as (server, port):
        app = mail_app(service_app, port, mail_worker=True, mail_poll_seconds=0.1)
        await _queue_forecast(app)
        start_mail(app)
        try:
            deadline = time.monotonic() + 60
            while len(server.received) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            stop_mail(app)
    assert len(server.received) == 2
    assert not any(t.name == "registry-mail" for t in threading.enumerate())


async def test_the_development_catch_all_keeps_the_mails_for_the_back_office(
    service_app: Any,
) -> None:
    app = service_app("registry", dev_mailbox=True, dev_mailbox_port=free_port(), mail_worker=False)
    async with asgi_client(app, headers=as_admin()) as admin:
        off = await admin.get("/dev-mailbox")
    await _queue_forecast(app)
    start_mail(app)
    try:
        assert deliver_due(app) == 2
        async with asgi_client(app, headers=as_admin()) as admin:
            listed = (await admin.get("/dev-mailbox")).json()["items"]
            mail = (await admin.get(f"/dev-mailbox/{listed[0]['id']}")).json()
            pdf = await admin.get(f"/dev-mailbox/{listed[0]['id']}/attachments/0")
            deliveries = await _deliveries(app)
    finally:
        stop_mail(app)
    assert off.status_code == 404
    assert [m["rcpt_tos"] for m in listed] == [
        ["comptable@ludres.example"],
        ["finances@ludres.example"],
    ]
    assert mail["subject"] == "Notification prévisionnelle 2026 - Ville de Ludres"
    assert "est disponible" in mail["text"]
    assert "<p>" in mail["html"]
    assert mail["attachments"][0]["filename"] == "notification-previsionnelle-2026-ludres.pdf"
    assert pdf.content == PDF
    assert deliveries[0]["status"] == "sent"
    assert "development mailbox" in deliveries[0]["smtp_answer"]
    assert not any(t.name == "registry-mail" for t in threading.enumerate())
