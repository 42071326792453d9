"""Notifications in the back office on the real stack: each delivery's state on the member's
page in French (sent with its date, waiting, failed with the server's last answer), the
auditor's export, and the development mailbox page."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest

from kit.client import ServiceClient
from kit.settings import PLACEHOLDER_SECRET
from services.registry.notifications.worker import deliver_due, start_mail, stop_mail
from tests.billing.upstream import check
from tests.conftest import as_admin, asgi_client, sync_client
from tests.mailserver import free_port, smtp_server
from tests.registry.factories import create_contact
from tests.registry.notification_helpers import PDF, forecast_body
from tests.web.conftest import sign_in
from tests.web.test_billing_pages import web_over


async def _finance_contacts(registry: Any) -> None:
    async with asgi_client(registry, headers=as_admin()) as client:
        for email in ("finances@ludres.example", "comptable@ludres.example"):
            await create_contact(client, "ludres", email, roles=["finance_officer"])


async def _queue(registry: Any, body: dict[str, Any]) -> None:
    async with asgi_client(registry, headers=as_admin()) as client:
        created = await client.post("/notifications", json=body)
    assert created.status_code == 201, created.text


async def test_the_member_page_shows_each_delivery_sent_or_failed_with_the_servers_answer(
    web_stack: dict[str, Any],
) -> None:
    registry = web_stack["apps"]["registry"]
    await _finance_contacts(registry)
    with smtp_server() as (server, port):
        settings = registry.state.settings
        settings.smtp_host, settings.smtp_port, settings.smtp_starttls = "127.0.0.1", port, False
        await _queue(registry, forecast_body())
        # the first recipient is refused for a while, then for good; the other is accepted
        server.refuse(["451 4.7.1 Greylisted", "250 OK", "550 5.1.1 Boîte inconnue"])
        deliver_due(registry)
        async with asgi_client(web_stack["web"]) as client:
            await sign_in(client, "admin@dsit.test")
            waiting = html.unescape((await client.get("/adherents/ludres")).text)
            deliver_due(registry, now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2))
            page = await client.get("/adherents/ludres")
            export = await client.get("/adherents/ludres/notifications.csv")
    text = html.unescape(page.text)
    assert "Notifications envoyées" in text
    assert "Notification prévisionnelle" in text
    assert "notification-previsionnelle-2026-ludres.pdf" in text
    assert "en attente : nouvel essai le" in waiting
    assert "451 4.7.1 Greylisted" in waiting
    assert "finances@ludres.example (Responsable des finances) : échec — dernier message du " \
        "serveur : 550 5.1.1 Boîte inconnue" in text  # fmt: skip
    assert "comptable@ludres.example (Responsable des finances) : envoyé le " in text
    assert "forecast_available" not in text
    assert "finance_officer" not in text
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert "Réponse du serveur" in export.content.decode("utf-8-sig")
    assert "échec" in export.content.decode("utf-8-sig")


async def test_a_member_without_a_finance_officer_is_shown_as_not_reached(
    web_stack: dict[str, Any],
) -> None:
    await _queue(web_stack["apps"]["registry"], forecast_body())
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        page = html.unescape((await client.get("/adherents/ludres")).text)
    assert "aucun destinataire : l'adhérent n'a pas d'interlocuteur pour ce message" in page


async def test_the_development_mailbox_page_shows_what_the_catch_all_received(
    web_stack: dict[str, Any],
) -> None:
    registry, web = web_stack["apps"]["registry"], web_stack["web"]
    async with asgi_client(web) as client:
        await sign_in(client, "admin@dsit.test")
        hidden = await client.get("/courriels")
        menu_without = (await client.get("/adherents")).text
    await _finance_contacts(registry)
    settings = registry.state.settings
    settings.dev_mailbox, settings.dev_mailbox_port, settings.mail_worker = True, free_port(), False
    web.state.settings.dev_mailbox = True
    await _queue(registry, forecast_body())
    start_mail(registry)
    try:
        assert deliver_due(registry) == 2
        async with asgi_client(web) as client:
            await sign_in(client, "admin@dsit.test")
            listing = await client.get("/courriels")
            first = listing.text.split('href="/courriels/')[1].split('"')[0]
            mail = await client.get(f"/courriels/{first}")
            pdf = await client.get(f"/courriels/{first}/pieces-jointes/0")
        async with asgi_client(web) as referent:
            await sign_in(referent, "referent@ludres.example")
            refused = await referent.get("/courriels")
    finally:
        stop_mail(registry)
    assert hidden.status_code == 404
    assert "Courriels (développement)" not in menu_without
    listed = html.unescape(listing.text)
    assert 'href="/courriels"' in listing.text  # in the menu now
    assert "Notification prévisionnelle 2026 - Ludres" in listed
    assert "finances@ludres.example" in listed
    assert "comptable@ludres.example" in listed
    shown = html.unescape(mail.text)
    assert "est disponible" in shown
    assert "notification-previsionnelle-2026-ludres.pdf" in shown
    assert pdf.content == PDF
    assert refused.status_code in (403, 404)


@pytest.fixture
def billing_web(service_app: Any, make_gateway: Any) -> dict[str, Any]:
    """The billing pages' stack (worked example of docs/billing.md)."""
    return web_over(service_app, make_gateway, "worked_example")


async def test_the_forecast_run_shows_when_each_members_mail_was_accepted(
    billing_web: dict[str, Any],
) -> None:
    platform = billing_web["platform"]
    registry = platform.registry_app
    check(platform.registry.post("/members/ludres/contacts", json={
        "first_name": "Camille", "last_name": "Ludres", "email": "finances@ludres.example",
        "roles": ["finance_officer"]}))  # fmt: skip
    platform.billing_app.state.settings.notify_members = True
    platform.billing_app.state.registry_notifier = ServiceClient(
        "registry", "http://x", caller="billing", secret=PLACEHOLDER_SECRET,
        client=sync_client(registry, base_url="http://x"),
    )  # fmt: skip
    with smtp_server() as (server, port):
        settings = registry.state.settings
        settings.smtp_host, settings.smtp_port, settings.smtp_starttls = "127.0.0.1", port, False
        run = platform.run("forecast")
        deliver_due(registry)
        async with asgi_client(billing_web["web"]) as client:
            await sign_in(client, "finance@dsit.test")
            page = html.unescape((await client.get(f"/facturation/calculs/{run['id']}")).text)
    section = page[page.index("Notification aux adhérents par courriel") :]
    assert [m.rcpt_tos for m in server.received] == [["finances@ludres.example"]]
    assert "finances@ludres.example : envoyé le " in section
    assert f"notification-previsionnelle-{run['fiscal_year']}-ludres.pdf" in section
    assert "aucun destinataire" in section  # nancy and laxou have no finance officer
    assert 'href="/adherents/nancy#notifications"' in section
