"""Sending a failed mail again from the member's page, on the real stack: the button shown to an
administrator on a failed delivery only, its confirmation page, then the mail sent."""

from __future__ import annotations

import html
from typing import Any

from services.registry.notifications.worker import deliver_due
from tests.conftest import as_admin, asgi_client
from tests.mailserver import smtp_server
from tests.registry.factories import create_contact
from tests.registry.notification_helpers import forecast_body
from tests.web.conftest import sign_in


async def test_a_failed_delivery_is_sent_again_after_a_confirmation(
    web_stack: dict[str, Any],
) -> None:
    registry = web_stack["apps"]["registry"]
    async with asgi_client(registry, headers=as_admin()) as client:
        for email in ("finances@ludres.example", "comptable@ludres.example"):
            await create_contact(client, "ludres", email, roles=["finance_officer"])
        created = (await client.post("/notifications", json=forecast_body())).json()
    failed = next(d for d in created["deliveries"] if d["email"] == "finances@ludres.example")
    with smtp_server() as (server, port):
        settings = registry.state.settings
        settings.smtp_host, settings.smtp_port, settings.smtp_starttls = "127.0.0.1", port, False
        server.refuse(["550 5.1.1 Boîte inconnue"])  # the first recipient; the other accepted
        deliver_due(registry)
        async with asgi_client(web_stack["web"]) as client:
            await sign_in(client, "admin@dsit.test")
            page = html.unescape((await client.get("/adherents/ludres")).text)
            link = f"/adherents/ludres/envois/{failed['id']}/renvoyer"
            confirm = await client.get(link)
            token = confirm.text.split('name="csrf_token" value="')[1].split('"')[0]
            unconfirmed = await client.post(link, data={"csrf_token": token})
            done = await client.post(link, data={"csrf_token": token, "confirmation": "oui"})
            assert deliver_due(registry) == 1
            after = html.unescape((await client.get(done.headers["location"])).text)
            not_failed = next(d for d in created["deliveries"] if d["id"] != failed["id"])
            other = await client.get(f"/adherents/ludres/envois/{not_failed['id']}/renvoyer")
        async with asgi_client(web_stack["web"]) as referent:
            await sign_in(referent, "referent@ludres.example")
            refused = await referent.get(link)
    assert page.count(">Renvoyer</a>") == 1  # on the failed one only
    assert f'href="{link}"' in page
    shown = html.unescape(confirm.text)
    assert "Confirmer : renvoyer un courriel" in shown
    assert "finances@ludres.example" in shown
    assert "Un courriel parti ne peut pas être rappelé." in shown
    assert "Confirmer : renvoyer un courriel" in html.unescape(unconfirmed.text)
    assert done.status_code == 303
    assert done.headers["location"] == "/adherents/ludres?renvoi=1#notifications"
    assert "L'envoi a été remis en file d'attente" in after
    assert ">Renvoyer</a>" not in after
    assert "finances@ludres.example (Responsable des finances) : envoyé le " in after
    assert server.received[-1].rcpt_tos == ["finances@ludres.example"]
    assert other.status_code == 404  # a delivery sent is not sent again
    assert refused.status_code in (403, 404)
