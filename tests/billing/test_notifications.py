"""Billing tells the members by mail, through the real registry and a real SMTP server: the
forecast made available, the titles issued with their notices; the forecast rule counts a
forecast as notified when its mails were accepted."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import update

from kit.client import ServiceClient
from kit.settings import PLACEHOLDER_SECRET
from services.registry.models import Delivery
from services.registry.notifications.worker import deliver_due
from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import YEAR, check
from tests.conftest import sync_client
from tests.mailserver import ScriptedHandler, smtp_server

FINANCE = {"ludres": "finances@ludres.example", "nancy": "finances@nancy.example",
           "laxou": "finances@laxou.example"}  # fmt: skip


class MailedPlatform(TitlesPlatform):
    """The titles platform whose billing notifies the members through the registry, which
    sends to ``port``; each invoiced member has a finance officer (and an IT referent)."""

    def __init__(self, service_app: Any, port: int) -> None:
        super().__init__(service_app)
        registry = self.registry_app.state.settings
        registry.smtp_host, registry.smtp_port, registry.smtp_starttls = "127.0.0.1", port, False
        self.billing_app.state.settings.notify_members = True
        self.billing_app.state.registry_notifier = ServiceClient(
            "registry", "http://x", caller="billing", secret=PLACEHOLDER_SECRET,
            client=sync_client(self.registry_app, base_url="http://x"),
        )  # fmt: skip

    def worked_example(self) -> None:
        super().worked_example()
        for code, email in FINANCE.items():
            for address, role in (
                (email, "finance_officer"),
                (f"dsi@{code}.example", "it_referent"),
            ):
                check(self.registry.post(f"/members/{code}/contacts", json={
                    "first_name": "Camille", "last_name": code.title(), "email": address,
                    "roles": [role]}))  # fmt: skip

    def send(self) -> int:
        for thread in getattr(self.billing_app.state, "mail_threads", []):
            thread.join(timeout=120)  # the titles' mails are prepared in a thread
        return deliver_due(self.registry_app)

    def notifications(self, **params: Any) -> list[dict[str, Any]]:
        return list(check(self.registry.get("/notifications", params=params))["items"])

    def accepted_on(self, day: str) -> None:
        """As if the mail server had accepted every sent mail on ``day``."""
        when = dt.datetime.fromisoformat(f"{day}T10:00:00+00:00")
        with self.registry_app.state.test_sessionmaker() as session:
            session.execute(update(Delivery).where(Delivery.status == "sent").values(sent_at=when))
            session.commit()


@pytest.fixture
def mailed(service_app: Any) -> Iterator[tuple[MailedPlatform, ScriptedHandler]]:
    with smtp_server() as (server, port):
        yield MailedPlatform(service_app, port), server


def test_a_forecast_made_available_is_mailed_to_each_finance_officer_with_its_pdf(
    mailed: tuple[MailedPlatform, ScriptedHandler],
) -> None:
    platform, server = mailed
    platform.worked_example()
    run_id = platform.forecast_made_available(f"{YEAR}-03-01")
    assert platform.send() == 3
    pdf = platform.billing.get(f"/runs/{run_id}/members/ludres/forecast.pdf")
    notifications = platform.notifications(reference=f"forecast:{run_id}")
    by_member = {n["member_code"]: n for n in notifications}
    assert set(by_member) == {"ludres", "nancy", "laxou"}  # the host is not invoiced
    assert sorted(m.rcpt_tos[0] for m in server.received) == sorted(FINANCE.values())
    mail = next(m for m in server.received if m.rcpt_tos == [FINANCE["ludres"]])
    assert mail.subject == f"Notification prévisionnelle {YEAR} - Ludres"
    [(filename, attached)] = mail.attachments()
    assert filename == f"notification-previsionnelle-{YEAR}-ludres.pdf"
    assert attached.startswith(b"%PDF")
    assert len(attached) > 1000
    digest = hashlib.sha256(attached).hexdigest()
    assert by_member["ludres"]["attachments"][0]["sha256"] == digest
    assert digest in mail.body("plain")
    assert pdf.status_code == 200
    [delivery] = by_member["ludres"]["deliveries"]
    assert delivery["status"] == "sent"
    assert delivery["email"] == FINANCE["ludres"]
    assert by_member["ludres"]["accepted_at"] == delivery["sent_at"]


def test_the_forecast_counts_as_notified_once_its_mails_were_accepted_in_time(
    mailed: tuple[MailedPlatform, ScriptedHandler],
) -> None:
    platform, server = mailed
    server.refuse(["451 4.7.1 Try again later"])  # one member's mail waits
    run_id = platform.ready_to_issue(forecast_on=f"{YEAR}-03-01")
    platform.send()
    waiting = platform.prepare(run_id)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)
    deliver_due(platform.registry_app, now=later)
    platform.accepted_on(f"{YEAR}-03-02")
    accepted = platform.prepare(run_id)
    assert waiting.status_code == 409
    assert waiting.json()["type"].endswith("forecast-not-in-time")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["prepared"]


def test_mails_accepted_after_the_bp_deadline_do_not_count(
    mailed: tuple[MailedPlatform, ScriptedHandler],
) -> None:
    platform, _server = mailed
    run_id = platform.ready_to_issue(forecast_on=f"{YEAR}-03-01")
    platform.send()
    platform.accepted_on(f"{YEAR}-05-02")
    late = platform.prepare(run_id)
    assert late.status_code == 409
    assert late.json()["type"].endswith("forecast-not-in-time")


def test_titles_issued_are_mailed_with_each_notice(
    mailed: tuple[MailedPlatform, ScriptedHandler],
) -> None:
    platform, server = mailed
    run_id = platform.ready_to_issue(forecast_on=f"{YEAR}-03-01")
    platform.send()
    platform.accepted_on(f"{YEAR}-03-02")
    server.received.clear()
    issued = platform.issued(run_id)
    titles = [t for t in issued["issued"] if t["member_code"] == "ludres"]
    assert titles
    assert platform.send() == 3
    mail = next(m for m in server.received if m.rcpt_tos == [FINANCE["ludres"]])
    assert "titre" in mail.subject
    assert "de recettes émis - Ludres" in mail.subject
    text = mail.body("plain")
    attached = dict(mail.attachments())
    for title in titles:
        assert f"titre n° {title['reference']}, services {YEAR}" in text
        notice = platform.billing.get(f"/invoices/{title['id']}/asap.pdf")
        assert attached[f"avis-sommes-a-payer-{title['reference']}.pdf"] == notice.content
    [notification] = platform.notifications(kind="titles_issued", member_code="ludres")
    assert {a["sha256"] for a in notification["attachments"]} == {
        hashlib.sha256(c).hexdigest() for c in attached.values()
    }
    assert [d["email"] for d in notification["deliveries"]] == [FINANCE["ludres"]]
