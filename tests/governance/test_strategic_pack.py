"""The strategic committee's pack, against the REAL registry and billing apps in-process: its
sections hold the live data of the period since the body's previous meeting, it is archived
once and its bytes never change after."""

from __future__ import annotations

import hashlib
import html
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from services.billing.engine.money import fmt, to_cents
from services.governance.models import StrategicPack
from services.governance.models.packs import ArchivedPackChanged
from tests.billing.helios_support import CSV
from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import YEAR, check
from tests.conftest import as_admin, as_contact, asgi_client
from tests.governance.helpers import body, indicator, meeting, ok
from tests.governance.test_annual_report import peer

FRENCH = {"Accept-Language": "fr"}


def pay(platform: Any, number: int, amount: str, reference: str) -> None:
    line = f"{YEAR};{number};25/06/{YEAR};{amount};{reference}"
    csv = f"exercice;titre;date;montant;reference\n{line}\n"
    check(platform.billing.post("/payments.csv", content=csv.encode(), headers=CSV))


async def project(client: httpx.AsyncClient, code: str, **extra: Any) -> Any:
    data = {"code": code, "name": f"Projet {code}", "status": "active", **extra}
    return await ok(await client.post("/projects", json=data))


async def governance_data(client: httpx.AsyncClient) -> tuple[int, int]:
    """A strategic body with a meeting before the period, the previous one and this one; a
    portfolio, a workload, a quality indicator and an open decision: (previous, this) ids."""
    await body(client, "comite-strategique", level="strategic", frequency="half_yearly")
    await meeting(client, "comite-strategique", title="Automne", held_on=f"{YEAR - 1}-11-10")
    previous = await meeting(
        client, "comite-strategique", title="Hiver", held_on=f"{YEAR}-01-20", status="held"
    )
    this = await meeting(client, "comite-strategique", title="Été", held_on=f"{YEAR}-06-20")
    await project(client, "en-retard", starts_on=f"{YEAR - 1}-09-01", ends_on=f"{YEAR}-05-31")
    await project(client, "nouveau", member_code="ludres", starts_on=f"{YEAR}-02-01")
    await project(client, "ancien", starts_on=f"{YEAR}-01-10")
    await project(
        client, "livre", status="done", starts_on=f"{YEAR - 1}-03-01", ends_on=f"{YEAR}-04-30"
    )
    capacity = {"person_days": "10"}
    await ok(await client.put(f"/projects/workload/capacity/infra/{YEAR}-Q2", json=capacity))
    lines = {"lines": [{"team": "infra", "quarter": f"{YEAR}-Q2", "person_days": "15"}]}
    assert (await client.put("/projects/nouveau/workload", json=lines)).status_code == 204
    await indicator(
        client, "disponibilite", category="quality", is_rate=True, axis_code=None, target="99.5"
    )
    batch = {
        "measurements": [
            {"period": f"{YEAR}-03-31", "member_code": "ludres", "numerator": "99",
             "denominator": "100", "source": "supervision"},
            {"period": f"{YEAR}-03-31", "member_code": "nancy", "numerator": "100",
             "denominator": "100", "source": "supervision"},
        ]
    }  # fmt: skip
    await ok(await client.post("/master-plans/indicators/disponibilite/measurements", json=batch))
    decision = {"title": "Étudier la GED", "owner": "DSIT", "due_on": f"{YEAR}-05-01"}
    await ok(await client.post(f"/meetings/{previous['id']}/decisions", json=decision))
    return previous["id"], this["id"]


async def test_the_pack_shows_live_data_then_is_archived_for_good(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)  # the worked example, ludres's titles issued
    check(platform.issue(platform.ready_to_issue(), members=["ludres"]))
    ludres = [t for t in platform.titles(member_code="ludres") if t["kind"] == "title"]
    pay(platform, ludres[0]["number"], "100,00", "V1")
    governance = service_app("governance")
    governance.state.billing_client = peer("billing", platform.billing_app)
    governance.state.registry_client = peer("registry", platform.registry_app)
    async with asgi_client(governance, headers=as_admin()) as client:
        previous_id, meeting_id = await governance_data(client)
        pack = f"/meetings/{meeting_id}/pack"
        figures = await ok(await client.get(f"{pack}/preview"))
        preview = await client.get(f"{pack}/preview.html")
        archived = await client.post(pack, json={"confirm": True})
        stored_html = await client.get(f"{pack}.html")
        stored_pdf = await client.get(f"{pack}.pdf")
        # the data change after the archive: the archived pack does not
        await client.patch("/projects/en-retard", json={"name": "Projet renommé"})
        pay(platform, ludres[0]["number"], "50,00", "V2")
        again_html = await client.get(f"{pack}.html")
        again_pdf = await client.get(f"{pack}.pdf")
        read = await ok(await client.get(pack))
        second = await client.post(pack, json={"confirm": True}, headers=FRENCH)
        late_preview = await client.get(f"{pack}/preview", headers=FRENCH)

    assert figures["period"] == {
        "from": f"{YEAR}-01-21",
        "to": f"{YEAR}-06-20",
        "previous": {"id": previous_id, "title": "Hiver", "held_on": f"{YEAR}-01-20"},
    }
    portfolio = figures["portfolio"]
    assert [p["code"] for p in portfolio["late"]] == ["en-retard"]
    assert portfolio["late"][0]["late"] == ["fin prévue le 31/05/2024 dépassée"]
    assert [p["code"] for p in portfolio["new"]] == ["nouveau"]  # "ancien" began before
    assert [p["code"] for p in portfolio["done"]] == ["livre"]
    assert figures["workload"]["overloads"] == [
        {"team": "infra", "quarter": f"{YEAR}-Q2", "excess": "5.00"}
    ]
    members = figures["quality"]["members"]
    quality = {m["member_code"]: m["values"]["disponibilite"] for m in members}
    assert (quality["ludres"]["value"], quality["ludres"]["below"]) == ("99", True)
    assert (quality["nancy"]["value"], quality["nancy"]["below"]) == ("100", False)
    budget = {m["member_code"]: m for m in figures["budget"]["members"]}
    titled = sum(to_cents(t["total"]) for t in ludres)
    assert (budget["ludres"]["titled"], budget["ludres"]["paid"]) == (fmt(titled), "100.00")
    assert budget["ludres"]["outstanding"] == fmt(titled - 10_000)
    assert budget["ludres"]["forecast"] == budget["ludres"]["final"]  # same inputs
    assert budget["ludres"]["calendar"] == (
        "budget voté le 15/03/2024, prévision notifiée le 01/03/2024"
    )
    decisions = figures["follow_up"]["decisions"]
    assert [(d["title"], d["overdue"]) for d in decisions] == [("Étudier la GED", True)]

    text = html.unescape(preview.text)
    late_section = text.split('id="projets-en-retard"')[1].split("</table>")[0]
    assert "Projet en-retard" in late_section
    assert "Projet nouveau" not in late_section
    assert "Surcharges : Infrastructures au 2e trimestre" in text  # teams by their labels
    budget_row = text.split('data-member="ludres"')[1].split("</tr>")[0]
    assert "100,00 €" in budget_row
    assert "budget voté le 15/03/2024, prévision notifiée le 01/03/2024" in budget_row

    assert archived.status_code == 201, archived.text
    stored = archived.json()
    assert stored["html_sha256"] == hashlib.sha256(stored_html.content).hexdigest()
    assert stored["pdf_sha256"] == hashlib.sha256(stored_pdf.content).hexdigest()
    assert stored_pdf.content.startswith(b"%PDF")
    assert stored_pdf.headers["x-content-sha256"] == stored["pdf_sha256"]
    assert again_html.content == stored_html.content
    assert again_pdf.content == stored_pdf.content
    assert "Projet renommé" not in again_html.text
    assert read["html_sha256"] == stored["html_sha256"]
    assert read["content"]["budget"]["members"] == figures["budget"]["members"]
    assert second.status_code == 409
    assert second.json()["type"] == "urn:mutualis:problem:pack-archived"
    assert "ne change plus" in second.json()["detail"]
    assert late_preview.status_code == 409
    with governance.state.test_sessionmaker() as session:  # nor can the code change it
        row = session.scalars(select(StrategicPack)).one()
        row.html = b"<html>autre</html>"
        with pytest.raises(ArchivedPackChanged):
            session.flush()


async def test_the_pack_is_for_a_strategic_meeting_and_the_dsit_only(service_app: Any) -> None:
    governance = service_app("governance")
    governance.state.billing_client = peer("billing", service_app("billing"))
    governance.state.registry_client = peer("registry", service_app("registry"))
    async with asgi_client(governance, headers=as_admin()) as client:
        await body(client, "conference", level="political")
        await body(client, "comite-strategique", level="strategic", frequency="half_yearly")
        political = await meeting(client, "conference", held_on="2025-04-02")
        first = await meeting(client, "comite-strategique", held_on="2025-05-15")
        refused = await client.get(f"/meetings/{political['id']}/pack/preview", headers=FRENCH)
        refused_archive = await client.post(
            f"/meetings/{political['id']}/pack", json={"confirm": True}, headers=FRENCH
        )
        unconfirmed = await client.post(
            f"/meetings/{first['id']}/pack", json={"confirm": False}, headers=FRENCH
        )
        figures = await ok(await client.get(f"/meetings/{first['id']}/pack/preview"))
        missing = await client.get(f"/meetings/{first['id']}/pack.pdf", headers=FRENCH)
        cancelled = await meeting(
            client, "comite-strategique", held_on="2025-09-15", status="cancelled"
        )
        no_archive = await client.post(
            f"/meetings/{cancelled['id']}/pack", json={"confirm": True}, headers=FRENCH
        )
    async with asgi_client(governance, headers=as_contact("ludres")) as client:
        contact = await client.get(f"/meetings/{first['id']}/pack/preview", headers=FRENCH)
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["type"] == "urn:mutualis:problem:not-a-strategic-meeting"
    assert "instance stratégique" in problem["detail"]
    assert refused_archive.status_code == 409
    assert unconfirmed.status_code == 422
    assert "irréversible" in unconfirmed.json()["detail"]
    # the body's first meeting: the period starts on the 1st of January
    assert figures["period"] == {"from": "2025-01-01", "to": "2025-05-15", "previous": None}
    assert figures["budget"]["members"] == []
    assert missing.status_code == 404
    assert "pas encore été archivé" in missing.json()["detail"]
    assert no_archive.status_code == 409
    assert "annulée" in no_archive.json()["detail"]
    assert contact.status_code == 403
    assert "réservé aux agents de la DSIT" in contact.json()["detail"]
