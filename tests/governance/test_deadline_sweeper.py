"""The governance deadline sweeper against the REAL registry, on a controlled clock: decisions,
master-plan actions, a breach's clock at 24 h then 6 h left, data-subject requests — each
mailed once to the right contact (IT referent, DPO), whatever the sweeps after."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from kit.clock import FixedClock
from services.governance.notify.due import breach_threshold
from services.governance.notify.sweeper import sweep
from services.registry.notifications.worker import deliver_due
from tests.conftest import as_admin, asgi_client
from tests.governance.helpers import action, body, meeting, ok
from tests.governance.test_annual_report import peer
from tests.mailserver import smtp_server
from tests.registry.factories import create_contact, create_member
from tests.registry.notification_helpers import member_with_contacts


def _ids_out(queued: list[str]) -> list[str]:
    """The ids differ between runs on PostgreSQL (its sequences are not rolled back)."""
    return sorted(re.sub(r":\d+:", ":N:", q) for q in queued)


AWARE = dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.UTC)  # the breach's 72 h end on the 13th, 8:00


async def _platform(service_app: Any, port: int) -> tuple[Any, Any]:
    registry = service_app("registry", smtp_host="127.0.0.1", smtp_port=port,
                           smtp_starttls=False, mail_worker=False)  # fmt: skip
    governance = service_app("governance")
    governance.state.registry_client = peer("registry", registry)
    async with asgi_client(registry, headers=as_admin()) as admin:
        await member_with_contacts(admin, "ludres")
        await create_member(admin, "laxou", name="Ville de Laxou")
        await create_contact(admin, "laxou", "dsi@laxou.example", roles=["it_referent"])
    async with asgi_client(governance, headers=as_admin()) as client:
        await body(client, "comite-utilisateurs")
        held = await meeting(client, "comite-utilisateurs", invited_members=["laxou"])
        for title, due_on in (("Migrer la messagerie", "2025-03-14"), ("Plus tard", "2025-05-01")):
            await ok(await client.post(f"/meetings/{held['id']}/decisions", json={
                "title": title, "owner": "DSIT", "due_on": due_on}))  # fmt: skip
        await action(client, "sauvegardes", ends_on="2025-03-15", member_codes=["ludres"])
        await action(client, "fini", ends_on="2025-03-12", status="done")
        await ok(await client.post("/gdpr/breaches", json={
            "reference": "VIO-1", "controller_code": "ludres", "title": "Perte d'un portable",
            "facts": "Oublié dans un train", "risk": "risk", "aware_at": AWARE.isoformat(),
            "controller_informed_at": AWARE.isoformat()}))  # fmt: skip
        await ok(await client.post("/gdpr/requests", json={
            "reference": "DRT-1", "controller_code": "ludres", "kind": "erasure",
            "received_on": "2025-02-14"}))  # fmt: skip
    return registry, governance


async def _sent(registry: Any) -> dict[tuple[str, str, str], list[str]]:
    async with asgi_client(registry, headers=as_admin()) as admin:
        items = (await admin.get("/notifications", params={"limit": 100})).json()["items"]
    return {(n["kind"], n["reference"].split(":")[0], n["member_code"]):
            [d["email"] for d in n["deliveries"]] for n in items}  # fmt: skip


def test_the_breach_thresholds_are_24_then_6_hours_left() -> None:
    assert [breach_threshold(h) for h in (30, 24.0, 23.5, 6.01, 6, 0.2, 0, -3)] == [
        None, 24, 24, 24, 6, 6, None, None,
    ]  # fmt: skip


async def test_each_deadline_is_mailed_once_to_the_right_contact(service_app: Any) -> None:
    with smtp_server() as (server, port):
        registry, governance = await _platform(service_app, port)
        clock = FixedClock(AWARE + dt.timedelta(hours=50))  # 22 h left; 11 March, 10:00
        governance.state.clock = clock
        first = sweep(governance)
        second = sweep(governance)
        clock.set(AWARE + dt.timedelta(hours=67))  # 5 h left
        third = sweep(governance)
        fourth = sweep(governance)
        deliver_due(registry)
        sent = await _sent(registry)
    assert _ids_out(first.queued) == [
        "breach_clock breach:N:24h ludres",
        "decision_due action:N:2025-03-15 ludres",
        "decision_due decision:N:2025-03-14 laxou",  # the meeting's invited member
        "gdpr_request_due gdpr-request:N:2025-03-14 ludres",
    ]
    assert (second.queued, second.known, second.failed) == ([], 4, 0)
    assert _ids_out(third.queued) == ["breach_clock breach:N:6h ludres"]
    assert (fourth.queued, fourth.known) == ([], 4)  # the 24 h threshold is behind it
    assert sent[("decision_due", "decision", "laxou")] == ["dsi@laxou.example"]
    assert sent[("decision_due", "action", "ludres")] == ["referent@ludres.example"]
    assert sent[("breach_clock", "breach", "ludres")] == ["dpo@ludres.example"]
    assert sent[("gdpr_request_due", "gdpr-request", "ludres")] == ["dpo@ludres.example"]
    subjects = sorted(m.subject for m in server.received)
    assert len(server.received) == 5
    assert "Violation de données : moins de 24 h pour la notifier" in subjects
    assert "Violation de données : moins de 6 h pour la notifier" in subjects
    assert "Échéance le 14/03/2025 : Migrer la messagerie" in subjects
    breach = next(m for m in server.received if "moins de 6 h" in m.subject)
    assert "au plus tard le 13/03/2025 à 09:00" in breach.body("plain")
    assert "/tableau-de-bord#rgpd" in breach.body("html")


async def test_a_notified_breach_and_an_unknown_member_mail_nothing(service_app: Any) -> None:
    with smtp_server() as (_server, port):
        registry, governance = await _platform(service_app, port)
        async with asgi_client(governance, headers=as_admin()) as client:
            [known] = (await ok(await client.get("/gdpr/breaches")))["items"]
            notified = (AWARE + dt.timedelta(hours=30)).isoformat()
            path = f"/gdpr/breaches/{known['id']}"
            await ok(await client.patch(path, json={"authority_notified_at": notified}))
            await ok(await client.post("/gdpr/breaches", json={
                "reference": "VIO-2", "controller_code": "inconnu", "title": "X", "facts": "Y",
                "risk": "high_risk", "aware_at": AWARE.isoformat(),
                "controller_informed_at": AWARE.isoformat()}))  # fmt: skip
        governance.state.clock = FixedClock(AWARE + dt.timedelta(hours=50))
        result = sweep(governance)
    assert not any(q.startswith("breach_clock") for q in result.queued)
    assert result.failed == 1  # the registry refused a member it does not know: asked again


async def test_a_registry_away_loses_nothing_the_next_sweep_asks_again(service_app: Any) -> None:
    from kit.client import ServiceClient
    from kit.settings import PLACEHOLDER_SECRET
    from tests.mailserver import free_port

    governance = service_app("governance")
    governance.state.registry_client = ServiceClient(
        "registry", f"http://127.0.0.1:{free_port()}", caller="governance",
        secret=PLACEHOLDER_SECRET,
    )  # fmt: skip
    async with asgi_client(governance, headers=as_admin()) as client:
        await ok(await client.post("/gdpr/breaches", json={
            "reference": "VIO-1", "controller_code": "ludres", "title": "Perte d'un portable",
            "facts": "Oublié dans un train", "risk": "risk", "aware_at": AWARE.isoformat(),
            "controller_informed_at": AWARE.isoformat()}))  # fmt: skip
    governance.state.clock = FixedClock(AWARE + dt.timedelta(hours=50))
    result = sweep(governance)
    assert (result.queued, result.failed) == ([], 1)
