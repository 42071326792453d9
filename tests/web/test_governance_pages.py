"""Gouvernance back office: meetings and decisions, master plans, portfolio, workload plan,
annual report downloads, GDPR registers; htmx filters and pagination; forms with API errors."""

from __future__ import annotations

import datetime as dt
import html
import re
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


# --- forms: create and edit through the pages only, French messages, confirmations, labels --

RAW_CODES = (
    "in_progress",
    "on_hold",
    "high_risk",
    "planned",
    "proposed",
    "study",
    "build",
    "deploy",
    "securite",
    "-Q1",
    "-Q2",
    "ludres,",
    "(ludres)",
)


def visible(page: str) -> str:
    """The text a person reads: tags, attributes, scripts and styles removed."""
    text = re.sub(r"<(script|style|title)[^>]*>.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r"<option[^>]*>", " ", text)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def assert_no_raw_code(page: str) -> None:
    text = visible(page)
    found = [code for code in RAW_CODES if code in text]
    assert not found, found


def token(page: str) -> str:
    return page.split('name="csrf_token" value="')[-1].split('"')[0]


async def test_a_meeting_is_created_then_edited_with_attendance_by_names(
    web_stack: dict[str, Any],
) -> None:
    await seed(web_stack, [body("comite-strategique", "Comité stratégique")])
    async with as_admin(web_stack) as client:
        form = await client.get("/gouvernance/seances/nouvelle")
        data = {
            "csrf_token": token(form.text),
            "body_code": "comite-strategique",
            "title": "",
            "held_on": "12/03/2026",
            "status": "planned",
            "invited_members": ["ludres"],
            "present_members": ["nancy"],
        }
        refused = await client.post("/gouvernance/seances", data=data)
        data |= {"title": "Comité de printemps", "held_on": "2026-03-12"}
        data |= {"agenda": "Budget\nSécurité", "present_members": ["ludres"]}
        created = await client.post("/gouvernance/seances", data=data)
        meeting_page = await client.get(created.headers["location"])
        edit = await client.get(created.headers["location"] + "/modifier")
        data |= {"csrf_token": token(edit.text), "status": "held", "minutes": "Tout est voté."}
        data |= {"invited_members": ["ludres", "nancy"]}
        edited = await client.post(created.headers["location"] + "/modifier", data=data)
        after = await client.get(created.headers["location"])
    assert form.status_code == 200
    assert "Ludres" in form.text  # members offered by their names
    assert refused.status_code == 422
    assert "Ce champ est obligatoire." in refused.text
    assert "Date attendue au format jj/mm/aaaa." in refused.text
    assert "Un adhérent présent doit avoir été invité" in refused.text
    assert 'id="seance-title" name="title" value="" aria-invalid="true"' in refused.text
    assert created.status_code == 303
    assert "<li>Ludres — présent</li>" in meeting_page.text
    assert "<li>Sécurité</li>" in meeting_page.text
    assert 'value="held"' in edit.text
    assert edited.status_code == 303
    assert "<li>Nancy — absent</li>" in after.text
    assert "Tout est voté." in after.text
    assert "Tenue" in after.text
    assert_no_raw_code(after.text)


async def test_a_decision_is_followed_up_until_closed(web_stack: dict[str, Any]) -> None:
    created = await seed(
        web_stack,
        [body("comite-strategique", "Comité stratégique"), meeting("comite-strategique", "S1")],
    )
    decision = (
        await seed(
            web_stack,
            [(f"/meetings/{created[1]['id']}/decisions", {"title": "MFA", "owner": "RSSI"})],
        )
    )[0]
    path = f"/gouvernance/decisions/{decision['id']}/modifier"
    async with as_admin(web_stack) as client:
        form = await client.get(path)
        data = {"csrf_token": token(form.text), "title": "MFA", "owner": "RSSI"}
        wrong = await client.post(path, data={**data, "status": "open", "closed_on": "2026-04-01"})
        done = await client.post(path, data={**data, "status": "done", "closed_on": "2026-04-01"})
        listed = await client.get("/gouvernance/decisions")
    assert "Une date de clôture ne vaut que pour une décision réalisée" in wrong.text
    assert wrong.status_code == 422
    assert done.status_code == 303
    assert "Réalisée" in listed.text
    assert_no_raw_code(listed.text)


async def test_an_action_progress_and_a_measurement_are_recorded(
    web_stack: dict[str, Any],
) -> None:
    await seed(
        web_stack,
        [
            (
                "/master-plans/indicators",
                {
                    "code": "dispo",
                    "name": "Disponibilité",
                    "definition": "Part du temps",
                    "unit": "%",
                    "direction": "up",
                    "category": "plan",
                    "axis_code": "securite",
                },
            ),
            (
                "/master-plans/actions",
                {"code": "mfa", "axis_code": "securite", "title": "MFA", "owner": "RSSI"},
            ),
        ],
    )
    async with as_admin(web_stack) as client:
        form = await client.get("/gouvernance/schemas-directeurs/actions/mfa/modifier")
        data = {"csrf_token": token(form.text), "title": "MFA", "owner": "RSSI"}
        data |= {"status": "in_progress", "progress": "150"}
        refused = await client.post(
            "/gouvernance/schemas-directeurs/actions/mfa/modifier", data=data
        )
        saved = await client.post(
            "/gouvernance/schemas-directeurs/actions/mfa/modifier", data={**data, "progress": "40"}
        )
        action = await client.get("/gouvernance/schemas-directeurs/actions/mfa")
        indicator = await client.get("/gouvernance/schemas-directeurs/indicateurs/dispo")
        path = "/gouvernance/schemas-directeurs/indicateurs/dispo/mesures"
        measure = {
            "csrf_token": token(indicator.text),
            "period": "2026-03-31",
            "source": "Supervision",
        }
        empty = await client.post(path, data=measure)
        recorded = await client.post(path, data={**measure, "value": "99,46"})
        after = await client.get("/gouvernance/schemas-directeurs/indicateurs/dispo")
        plans = await client.get("/gouvernance/schemas-directeurs")
    assert refused.status_code == 422
    assert "L'avancement est un nombre entier de 0 à 100." in html.unescape(refused.text)
    assert saved.status_code == 303
    assert "40&nbsp;%" in action.text
    assert "En cours" in action.text
    assert "Indiquez la valeur mesurée." in empty.text
    assert recorded.status_code == 303
    assert "99,5\u00a0%" in after.text  # at most one decimal
    assert "31/03/2026" in after.text
    assert "Sécurisation du système d'information" in html.unescape(plans.text)  # not securite
    assert_no_raw_code(plans.text)


async def test_a_project_is_created_edited_and_its_workload_entered(
    web_stack: dict[str, Any],
) -> None:
    year = dt.date.today().year
    async with as_admin(web_stack) as client:
        form = await client.get("/gouvernance/projets/nouveau")
        data = {"csrf_token": token(form.text), "code": "GED commune", "name": "GED"}
        data |= {"status": "active", "priority": "high", "phase": "build", "budget": "12 500,50"}
        data |= {"member_code": "ludres", "starts_on": f"{year}-01-01", "ends_on": f"{year}-12-31"}
        refused = await client.post("/gouvernance/projets", data=data)
        created = await client.post("/gouvernance/projets", data={**data, "code": "ged"})
        page = await client.get("/gouvernance/projets/ged")
        edit = await client.get("/gouvernance/projets/ged/modifier")
        edited = await client.post(
            "/gouvernance/projets/ged/modifier",
            data={
                **data,
                "csrf_token": token(edit.text),
                "name": "GED mutualisée",
                "phase": "deploy",
            },
        )
        charge = {"csrf_token": token(page.text), "team": ["infrastructure", "support"]}
        charge |= {"quarter": [f"{year}-Q1", f"{year}-Q2"], "days": ["12,5", "abc"]}
        bad = await client.post("/gouvernance/projets/ged/charge", data=charge)
        charge["days"] = ["12,5", "4"]
        good = await client.post("/gouvernance/projets/ged/charge", data=charge)
        after = await client.get("/gouvernance/projets/ged")
        plan = await client.get("/gouvernance/plan-de-charge")
    assert refused.status_code == 422
    assert "Code invalide" in refused.text
    assert created.status_code == 303
    assert "12\u202f500,50\u00a0€" in page.text
    assert "Ludres" in page.text
    assert "Réalisation" in page.text
    assert edited.status_code == 303
    assert bad.status_code == 422
    assert "Ligne 2 : nombre de jours attendu" in bad.text
    assert good.status_code == 303
    assert "1er trimestre" in after.text
    assert "12,5" in after.text
    assert "GED mutualisée" in after.text
    assert "Déploiement" in after.text
    assert "GED mutualisée (12,5\u00a0j)" in plan.text
    assert_no_raw_code(after.text)
    assert_no_raw_code(plan.text)


async def test_the_workload_year_switch_updates_its_heading(web_stack: dict[str, Any]) -> None:
    async with as_admin(web_stack) as client:
        partial = await client.get(
            "/gouvernance/plan-de-charge?annee=2024", headers={"HX-Request": "true"}
        )
    assert '<h1 id="titre-plan-de-charge" hx-swap-oob="true">Plan de charge 2024</h1>' in (
        partial.text
    )
    assert "<title>Gouvernance — plan de charge 2024</title>" in partial.text


async def test_a_breach_is_declared_then_notified_and_closed_after_confirmations(
    web_stack: dict[str, Any],
) -> None:
    add_account(web_stack["gateway"], "dpo@dsit.test", roles=("dpo",))
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "dpo@dsit.test")
        form = await client.get("/gouvernance/rgpd/violations/nouvelle")
        data = {"csrf_token": token(form.text), "reference": "VIO-7", "controller_code": "ludres"}
        data |= {"title": "Perte d'une clé USB", "risk": "risk", "aware_at": "2026-07-01T10:00"}
        refused = await client.post("/gouvernance/rgpd/violations", data=data)
        declared = await client.post(
            "/gouvernance/rgpd/violations", data={**data, "facts": "Clé perdue en réunion"}
        )
        where = declared.headers["location"]
        page = await client.get(where)
        step = {"csrf_token": token(page.text), "at": "2026-07-03T09:30", "late_reason": ""}
        confirm = await client.post(f"{where}/notification", data=step)
        still = await client.get(where)
        notified = await client.post(f"{where}/notification", data={**step, "confirmation": "oui"})
        after = await client.get(where)
        close = {"csrf_token": token(after.text), "at": "2026-07-10T18:00"}
        confirm_close = await client.post(f"{where}/cloture", data=close)
        closed = await client.post(f"{where}/cloture", data={**close, "confirmation": "oui"})
        final = await client.get(where)
    assert refused.status_code == 422
    assert "Ce champ est obligatoire." in refused.text
    assert declared.status_code == 303
    assert "01/07/2026 à 10:00" in page.text  # Paris time, as typed
    assert "04/07/2026 à 10:00" in page.text  # 72 hours later
    assert "Ludres" in page.text
    assert "Ce qui va se passer" in confirm.text
    assert "notifiée à la CNIL le 03/07/2026 à 09:30 (heure de Paris)" in confirm.text
    assert 'name="confirmation" value="oui"' in confirm.text
    assert "pas encore" in still.text  # nothing happened before the confirmation
    assert notified.status_code == 303
    assert "03/07/2026 à 09:30 : Notification à la CNIL" in after.text
    assert "sera close le 10/07/2026 à 18:00" in confirm_close.text
    assert closed.status_code == 303
    assert "Clôture" in final.text
    assert "Notifier la CNIL…" not in final.text
    assert_no_raw_code(final.text)


async def test_a_final_answer_to_a_request_is_confirmed_first(web_stack: dict[str, Any]) -> None:
    add_account(web_stack["gateway"], "dpo@dsit.test", roles=("dpo",))
    await seed(
        web_stack,
        [
            (
                "/gdpr/requests",
                {
                    "reference": "DEM-9",
                    "controller_code": "ludres",
                    "kind": "access",
                    "received_on": dt.date.today().isoformat(),
                },
            )
        ],
    )
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "dpo@dsit.test")
        listed = await client.get("/gouvernance/rgpd/demandes")
        where = listed.text.split('href="/gouvernance/rgpd/demandes/')[1].split('"')[0]
        page = await client.get(f"/gouvernance/rgpd/demandes/{where}")
        data = {"csrf_token": token(page.text), "answered_on": dt.date.today().isoformat()}
        missing = await client.post(f"/gouvernance/rgpd/demandes/{where}/reponse", data=data)
        data["outcome"] = "granted"
        confirm = await client.post(f"/gouvernance/rgpd/demandes/{where}/reponse", data=data)
        done = await client.post(
            f"/gouvernance/rgpd/demandes/{where}/reponse", data={**data, "confirmation": "oui"}
        )
        after = await client.get(f"/gouvernance/rgpd/demandes/{where}")
    assert "Ludres" in listed.text
    assert "Indiquez l'issue de la réponse envoyée." in html.unescape(missing.text)
    assert "Ce qui va se passer" in confirm.text
    assert "DEM-9 sera enregistrée comme répondue" in confirm.text
    assert done.status_code == 303
    assert "Accordée" in after.text
    assert_no_raw_code(after.text)


async def test_a_processing_entry_is_created_then_edited(web_stack: dict[str, Any]) -> None:
    add_account(web_stack["gateway"], "dpo@dsit.test", roles=("dpo",))
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "dpo@dsit.test")
        form = await client.get("/gouvernance/rgpd/traitements/nouveau")
        data = {"csrf_token": token(form.text), "category_code": "etat-civil"}
        data |= {"category_name": "État civil", "controller_code": "ludres"}
        data |= {"processing_carried_out": "Hébergement"}
        refused = await client.post("/gouvernance/rgpd/traitements", data=data)
        data["security_measures"] = "Chiffrement"
        created = await client.post("/gouvernance/rgpd/traitements", data=data)
        listed = await client.get("/gouvernance/rgpd")
        where = listed.text.split('href="/gouvernance/rgpd/traitements/')[2].split('"')[0]
        edit = await client.get(f"/gouvernance/rgpd/traitements/{where}")
        data |= {"csrf_token": token(edit.text), "security_measures": "Chiffrement et journaux"}
        edited = await client.post(f"/gouvernance/rgpd/traitements/{where}", data=data)
        after = await client.get("/gouvernance/rgpd")
    assert refused.status_code == 422
    assert 'id="traitement-security_measures-erreur">Ce champ est obligatoire.' in refused.text
    assert created.status_code == 303
    assert edited.status_code == 303
    assert "Chiffrement et journaux" in after.text
    assert "Ludres" in after.text


async def test_the_annual_report_reads_as_a_page_and_its_pdf_source_is_french(
    web_stack: dict[str, Any],
) -> None:
    year = dt.date.today().year
    apps = web_stack["apps"]
    for name in ("registry", "billing"):
        http = sync_client(apps[name], base_url="http://x")
        client = ServiceClient(
            name, "http://x", caller="governance", secret=PLACEHOLDER_SECRET, client=http
        )
        setattr(apps["governance"].state, f"{name}_client", client)
    await seed(
        web_stack,
        [
            (
                "/projects",
                {
                    "code": "sso",
                    "name": "Authentification unique",
                    "status": "active",
                    "phase": "build",
                    "priority": "high",
                    "member_code": "ludres",
                    "budget": "12500",
                },
            )
        ],
    )
    async with as_admin(web_stack) as client:
        index = await client.get("/gouvernance/rapport-annuel")
        page = await client.get(f"/gouvernance/rapport-annuel/{year}")
        source = await client.get(f"/gouvernance/rapport-annuel/{year}.html")
    assert f'href="/gouvernance/rapport-annuel/{year}"' in index.text
    assert page.status_code == 200
    assert "content-disposition" not in page.headers  # read in the browser
    assert f"<h1>Rapport annuel {year}</h1>" in page.text
    assert "Réalisation" in page.text
    assert "Haute" in page.text
    assert "12\u202f500,00\u00a0€" in page.text
    assert_no_raw_code(page.text)
    assert "break-inside: avoid" in source.text  # no row split over two pages in the PDF
    assert "<td>réalisation</td><td>en cours</td><td>haute</td>" in source.text
    assert "<td>Ludres</td>" in source.text
