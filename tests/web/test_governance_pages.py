"""Gouvernance back office: meetings and decisions, master plans, portfolio, workload plan,
annual report downloads, GDPR registers; htmx filters and pagination; forms with API errors."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from kit.client import ServiceClient
from kit.settings import PLACEHOLDER_SECRET
from tests.conftest import asgi_client, sync_client
from tests.gateway.helpers import add_account, bearer
from tests.web.conftest import sign_in

GOV = "/api/governance"


async def seed(stack: dict[str, Any], calls: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    """POST each (path, body) to the gateway as an administrator; the created resources."""
    created = []
    async with asgi_client(stack["gateway"]) as client:
        admin = await bearer(client, "admin@dsit.test")
        for path, body in calls:
            answer = await client.post(GOV + path, json=body, headers=admin)
            assert answer.status_code == 201, answer.text
            created.append(answer.json())
    return created


@asynccontextmanager
async def as_admin(stack: dict[str, Any]) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        yield client


def body(code: str, name: str) -> tuple[str, dict[str, Any]]:
    return "/bodies", {"code": code, "name": name, "level": "strategic", "frequency": "half_yearly"}


def meeting(code: str, title: str) -> tuple[str, dict[str, Any]]:
    return "/meetings", {"body_code": code, "title": title, "held_on": "2026-03-12"}


async def test_meetings_filter_by_body_without_a_full_page(web_stack: dict[str, Any]) -> None:
    await seed(
        web_stack,
        [
            body("comite-strategique", "Comité stratégique"),
            body("comite-usagers", "Comité des usagers"),
            meeting("comite-strategique", "Séance de printemps"),
            meeting("comite-usagers", "Atelier messagerie"),
        ],
    )
    async with as_admin(web_stack) as client:
        page = await client.get("/gouvernance")
        partial = await client.get(
            "/gouvernance?body=comite-usagers", headers={"HX-Request": "true"}
        )
    assert page.status_code == 200
    assert '<a href="/gouvernance" aria-current="page">Gouvernance</a>' in page.text
    assert "Séance de printemps" in page.text
    assert "Atelier messagerie" in page.text
    assert partial.text.lstrip().startswith('<section id="seances"')
    assert "Atelier messagerie" in partial.text
    assert "Séance de printemps" not in partial.text


async def test_meetings_newest_first_paginate_both_ways_with_a_total(
    web_stack: dict[str, Any],
) -> None:
    calls = [body("comite-strategique", "Comité stratégique")]
    calls += [meeting("comite-strategique", f"Séance {n:02d}") for n in range(27)]
    await seed(web_stack, calls)
    async with as_admin(web_stack) as client:
        first = await client.get("/gouvernance")
        link = first.text.split('hx-get="/gouvernance?cursor=')[1].split('"')[0]
        second = await client.get(
            f"/gouvernance?cursor={html.unescape(link)}", headers={"HX-Request": "true"}
        )
        back = second.text.split('hx-get="/gouvernance?')[1].split('"')[0]
        again = await client.get(f"/gouvernance?{html.unescape(back)}")
    assert "27 séances au total, les plus récentes d'abord" in first.text
    assert first.text.index("Séance 26") < first.text.index("Séance 25")  # newest first
    assert "Séance 02" in first.text
    assert "Séance 01" not in first.text
    assert "Page précédente" not in first.text
    assert "Séance 01" in second.text
    assert "Séance 00" in second.text
    assert "Page suivante" not in second.text
    assert "Page précédente" in second.text
    assert "Séance 26" in again.text
    assert "Séance 01" not in again.text


async def test_a_meeting_shows_its_members_and_people_present(
    web_stack: dict[str, Any],
) -> None:
    created = await seed(
        web_stack,
        [
            body("comite-strategique", "Comité stratégique"),
            (
                "/meetings",
                {
                    "body_code": "comite-strategique",
                    "title": "S1",
                    "held_on": "2026-03-12",
                    "invited_members": ["ludres", "nancy"],
                    "present_members": ["ludres"],
                    "people": [
                        {
                            "name": "Léa Martin",
                            "role": "DGS",
                            "member_code": "ludres",
                            "present": True,
                        }
                    ],
                },
            ),
        ],
    )
    async with as_admin(web_stack) as client:
        page = await client.get(f"/gouvernance/seances/{created[1]['id']}")
    assert "1 sur 2 invités" in page.text
    assert "<li>Nancy — absent</li>" in page.text  # members by their names
    assert "<li>Léa Martin (DGS, Ludres) — présent</li>" in page.text


async def test_a_decision_refused_by_the_api_shows_errors_next_to_fields(
    web_stack: dict[str, Any],
) -> None:
    created = await seed(
        web_stack,
        [body("comite-strategique", "Comité stratégique"), meeting("comite-strategique", "S1")],
    )
    meeting_id = created[1]["id"]
    async with as_admin(web_stack) as client:
        page = await client.get(f"/gouvernance/seances/{meeting_id}")
        token = page.text.split('name="csrf_token" value="')[2].split('"')[0]
        refused = await client.post(
            f"/gouvernance/seances/{meeting_id}/decisions",
            data={"title": "", "owner": "DSIT", "status": "open", "csrf_token": token},
        )
        accepted = await client.post(
            f"/gouvernance/seances/{meeting_id}/decisions",
            data={
                "title": "Généraliser la double authentification",
                "owner": "RSSI",
                "due_on": "2026-06-30",
                "status": "open",
                "csrf_token": token,
            },
        )
        after = await client.get(f"/gouvernance/seances/{meeting_id}")
    assert refused.status_code == 422
    assert 'id="decision-title" name="title" type="text" value="" aria-invalid="true"' in (
        refused.text
    )
    assert 'id="decision-title-error"' in refused.text
    assert 'value="DSIT"' in refused.text  # what was typed is kept
    assert accepted.status_code == 303
    assert "Généraliser la double authentification" in after.text
    assert "30/06/2026" in after.text


async def test_overdue_decisions_are_filtered(web_stack: dict[str, Any]) -> None:
    created = await seed(
        web_stack,
        [body("comite-strategique", "Comité stratégique"), meeting("comite-strategique", "S1")],
    )
    path = f"/meetings/{created[1]['id']}/decisions"
    await seed(
        web_stack,
        [
            (path, {"title": "Décision en retard", "owner": "DSIT", "due_on": "2020-01-31"}),
            (path, {"title": "Décision à venir", "owner": "DSIT", "due_on": "2099-01-31"}),
        ],
    )
    async with as_admin(web_stack) as client:
        overdue = await client.get(
            "/gouvernance/decisions?overdue=true", headers={"HX-Request": "true"}
        )
    assert "Décision en retard" in overdue.text
    assert "en retard</strong>" in overdue.text
    assert "Décision à venir" not in overdue.text


async def test_master_plans_show_axes_and_filter_actions_by_axis(
    web_stack: dict[str, Any],
) -> None:
    action = "/master-plans/actions"
    await seed(
        web_stack,
        [
            (
                action,
                {
                    "code": "mfa",
                    "axis_code": "securite",
                    "title": "Déployer la MFA",
                    "owner": "RSSI",
                    "progress": 60,
                },
            ),
            (
                action,
                {
                    "code": "ged",
                    "axis_code": "inclusion-numerique",
                    "title": "GED commune",
                    "owner": "DSIT",
                },
            ),
        ],
    )
    async with as_admin(web_stack) as client:
        page = await client.get("/gouvernance/schemas-directeurs")
        partial = await client.get(
            "/gouvernance/schemas-directeurs?axis=securite", headers={"HX-Request": "true"}
        )
    assert page.status_code == 200
    assert page.text.count('<progress max="100"') == 7  # the seven axes
    assert "Déployer la MFA" in page.text
    assert partial.text.lstrip().startswith('<div id="actions-liste">')
    assert "Déployer la MFA" in partial.text
    assert "GED commune" not in partial.text


async def test_an_action_shows_its_indicators_and_the_decisions_that_shaped_it(
    web_stack: dict[str, Any],
) -> None:
    created = await seed(
        web_stack,
        [
            body("comite-strategique", "Comité stratégique"),
            meeting("comite-strategique", "S1"),
            (
                "/master-plans/indicators",
                {
                    "code": "postes-mfa",
                    "name": "Postes avec MFA",
                    "definition": "Part des postes",
                    "unit": "%",
                    "direction": "up",
                    "category": "plan",
                    "axis_code": "securite",
                    "target": "95",
                },
            ),
        ],
    )
    await seed(
        web_stack,
        [
            (
                f"/meetings/{created[1]['id']}/decisions",
                {
                    "title": "Lancer la MFA",
                    "owner": "RSSI",
                    "new_action": {
                        "code": "mfa",
                        "axis_code": "securite",
                        "title": "Déployer la MFA",
                        "owner": "RSSI",
                        "indicator_codes": ["postes-mfa"],
                    },
                },
            ),
        ],
    )
    async with as_admin(web_stack) as client:
        page = await client.get("/gouvernance/schemas-directeurs/actions/mfa")
        missing = await client.get("/gouvernance/schemas-directeurs/actions/inconnue")
    assert page.status_code == 200
    assert "<h1>Déployer la MFA</h1>" in page.text
    assert "Postes avec MFA" in page.text
    assert "95,0\u00a0%" in page.text  # the target
    assert "décision 1 : Lancer la MFA" in page.text
    assert missing.status_code == 404


async def test_workload_plan_flags_an_overloaded_quarter(web_stack: dict[str, Any]) -> None:
    year = dt.date.today().year
    await seed(web_stack, [("/projects", {"code": "sso", "name": "SSO", "status": "active"})])
    async with asgi_client(web_stack["gateway"]) as client:
        admin = await bearer(client, "admin@dsit.test")
        capacity = await client.put(
            f"{GOV}/projects/workload/capacity/infra/{year}-Q2",
            json={"person_days": "10"},
            headers=admin,
        )
        planned = await client.put(
            f"{GOV}/projects/sso/workload",
            json={"lines": [{"team": "infra", "quarter": f"{year}-Q2", "person_days": "15"}]},
            headers=admin,
        )
    assert capacity.status_code in (200, 201), capacity.text
    assert planned.status_code < 300, planned.text
    async with as_admin(web_stack) as client:
        page = await client.get("/gouvernance/plan-de-charge")
        portfolio = await client.get("/gouvernance/projets?status=active")
    assert "1 trimestre en surcharge" in page.text
    assert '<tr class="gov-overloaded"><th scope="row">Infrastructures</th>' in page.text
    assert "2e trimestre" in page.text  # quarters by their labels, not 2026-Q2
    assert f"{year}-Q2" not in page.text
    assert "150\u00a0%" in page.text
    assert "SSO (15\u00a0j)" in page.text  # projects by their names
    assert "SSO" in portfolio.text


async def test_annual_report_is_offered_as_pdf_and_html_downloads(
    web_stack: dict[str, Any],
) -> None:
    year = dt.date.today().year
    apps = web_stack["apps"]
    for name in ("registry", "billing"):  # governance reads them over HTTP for the report
        http = sync_client(apps[name], base_url="http://x")
        client = ServiceClient(
            name, "http://x", caller="governance", secret=PLACEHOLDER_SECRET, client=http
        )
        setattr(apps["governance"].state, f"{name}_client", client)
    async with as_admin(web_stack) as client:
        page = await client.get("/gouvernance/rapport-annuel")
        html = await client.get(f"/gouvernance/rapport-annuel/{year}.html")
    assert f'href="/gouvernance/rapport-annuel/{year}.pdf"' in page.text
    assert html.status_code == 200
    assert html.headers["content-disposition"] == (
        f'attachment; filename="rapport-annuel-{year}.html"'
    )
    assert "<html" in html.text


async def test_breaches_show_the_72_hour_clock(web_stack: dict[str, Any]) -> None:
    aware = dt.datetime.now(dt.UTC) - dt.timedelta(hours=80)
    await seed(
        web_stack,
        [
            (
                "/gdpr/breaches",
                {
                    "reference": "VIO-1",
                    "controller_code": "ludres",
                    "title": "Courriel mal adressé",
                    "facts": "Envoi groupé",
                    "risk": "risk",
                    "aware_at": aware.isoformat(),
                },
            ),
        ],
    )
    async with as_admin(web_stack) as client:
        page = await client.get("/gouvernance/rgpd/violations")
        export = await client.get("/gouvernance/rgpd/breaches/export.csv")
    assert page.status_code == 200
    assert "VIO-1" in page.text
    assert "Notification CNIL en retard (72 h dépassées)" in page.text
    assert "Responsable de traitement non informé" in page.text
    assert '<strong class="dash-warn">-8' in page.text  # hours past the deadline
    assert export.status_code == 200
    assert "VIO-1" in export.text


async def test_a_request_without_its_extension_reason_is_refused_next_to_the_field(
    web_stack: dict[str, Any],
) -> None:
    add_account(web_stack["gateway"], "dpo@dsit.test", roles=("dpo",))
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "dpo@dsit.test")
        page = await client.get("/gouvernance/rgpd/demandes")
        token = page.text.split('name="csrf_token" value="')[2].split('"')[0]
        form = {
            "reference": "DEM-1",
            "controller_code": "ludres",
            "kind": "access",
            "received_on": "2026-11-02",
            "extended": "true",
            "csrf_token": token,
        }
        refused = await client.post("/gouvernance/rgpd/demandes", data=form)
        accepted = await client.post(
            "/gouvernance/rgpd/demandes", data={**form, "extended": "", "reference": "DEM-2"}
        )
        listed = await client.get("/gouvernance/rgpd/demandes")
    assert refused.status_code == 422
    assert 'id="demande-extension_reason-error"' in refused.text
    assert accepted.status_code == 303
    assert "DEM-2" in listed.text
    assert "02/12/2026" in listed.text  # one month after receipt


async def test_gdpr_registers_are_not_offered_without_gdpr_read(
    web_stack: dict[str, Any],
) -> None:
    add_account(web_stack["gateway"], "projets@dsit.test", roles=("project",))
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "projets@dsit.test")
        governance = await client.get("/gouvernance")
        gdpr = await client.get("/gouvernance/rgpd")
    assert governance.status_code == 200
    assert 'href="/gouvernance/rgpd"' not in governance.text
    assert gdpr.status_code == 403


async def test_a_contact_is_refused_the_governance_back_office(
    web_stack: dict[str, Any],
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "referent@ludres.example")
        pages = [await client.get(p) for p in ("/gouvernance", "/gouvernance/rgpd/violations")]
    assert [p.status_code for p in pages] == [403, 403]
