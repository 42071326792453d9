"""Mon tableau de bord (a member's contact): the estimated cost of the year and its split,
workstations, projects, master-plan actions, indicators, GDPR records, with CSV/XLSX exports.

Every call asks for ``user.member`` only; the gateway and the services filter to that member
anyway, so the page can never show another member's data.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.settlements import compensation_notice
from web.session import PageForbidden, User, api, require_page
from web.views.dashboard import (
    VISIBLE_TO_MEMBERS,
    MemberDashboard,
    PaySummary,
    SplitRow,
    estimate,
    year_to_pay,
)
from web.views.exports import Column, csv_response, xlsx_response
from web.views.format import date
from web.views.governance import ActionRow, IndicatorRow, ProjectRow
from web.views.governance_gdpr import BreachRow, GdprRecordRow, RequestRow
from web.views.invoices import MemberTitle, member_title
from web.views.staffing_comparison import StaffingComparison, staffing_comparison

router = APIRouter()


async def contact(user: Annotated[User, Depends(require_page("billing:read"))]) -> User:
    if not user.is_contact or user.member is None:
        raise PageForbidden
    return user


Contact = Annotated[User, Depends(contact)]


async def get_json(request: Request, path: str, **params: str) -> Any:
    """The body of a successful read, None otherwise (a missing part leaves its section empty)."""
    answer = await api(request, "GET", path, params=params or None)
    return answer.json() if answer.status_code == 200 else None


def items(body: Any) -> list[dict[str, Any]]:
    return list(body.get("items", [])) if isinstance(body, dict) else []


async def latest_run(request: Request, year: int) -> dict[str, Any] | None:
    """The latest succeeded forecast run of the year, else its latest succeeded final run."""
    for kind in ("forecast", "final"):
        runs = items(
            await get_json(
                request,
                "/api/billing/runs",
                fiscal_year=str(year),
                kind=kind,
                status="succeeded",
                limit="1",
            )
        )
        if runs:
            return runs[0]
    return None


async def names(request: Request, path: str) -> dict[str, str]:
    return {i["code"]: i["name"] for i in items(await get_json(request, path, limit="500"))}


async def load_estimate(request: Request, member: str, year: int) -> Any:
    run = await latest_run(request, year)
    if run is None:
        return None
    result = await get_json(request, f"/api/billing/runs/{run['id']}/members/{member}")
    if result is None:
        return None
    services = await names(request, "/api/catalogue/services")
    components = await names(request, "/api/catalogue/components")
    return estimate(run, result, service_names=services, component_names=components)


async def load_titles(
    request: Request, member: str, year: int
) -> tuple[list[MemberTitle], PaySummary | None]:
    """The member's issued titles and corrections, newest first (waiting ones are not titles
    yet: they have no number and no document)."""
    body = await get_json(
        request, "/api/billing/invoices", member_code=member, limit="100", order="desc"
    )
    titles = [member_title(i) for i in items(body) if i["status"] in VISIBLE_TO_MEMBERS]
    return sorted(titles, key=lambda t: t.row.id, reverse=True), year_to_pay(items(body), year)


async def load_dm_notice(request: Request, member: str, year: int) -> str:
    """When the year's final amount exceeds the forecast the member was notified by more than
    the configured share, billing says a decision modificative (DM) may be needed."""
    runs = items(
        await get_json(
            request, "/api/billing/runs", fiscal_year=str(year), kind="final",
            status="succeeded", limit="1",
        )
    )  # fmt: skip
    if not runs:
        return ""
    result = await get_json(request, f"/api/billing/runs/{runs[0]['id']}/members/{member}")
    found = (result or {}).get("forecast_comparison") or {}
    return str(found.get("detail") or "") if found.get("dm_may_be_needed") else ""


async def load_staffing(request: Request, member: str, year: int) -> StaffingComparison | None:
    """The member's bill beside hiring its own IT staff (billing's comparison), if any."""
    body = await get_json(request, f"/api/billing/comparisons/{year}/{member}")
    return staffing_comparison(body, year) if body else None


async def load_billing(request: Request, member: str, year: int) -> tuple[Any, Any, str]:
    return (
        await load_estimate(request, member, year),
        await load_titles(request, member, year),
        await load_dm_notice(request, member, year),
    )


async def load_indicators(request: Request, member: str) -> list[IndicatorRow]:
    indicators = items(await get_json(request, "/api/governance/master-plans/indicators"))
    path = "/api/governance/master-plans/indicators/{}/series"
    return [
        IndicatorRow.of(i, await get_json(request, path.format(i["code"])), member)
        for i in indicators
    ]


async def load_dashboard(request: Request, user: User) -> MemberDashboard:
    member = user.member or ""
    year = dt.date.today().year
    gov = "/api/governance"
    # Three chains run side by side, one per service group (registry; billing then catalogue;
    # governance); calls within a chain follow each other, so no service gets more than one
    # call of this page at a time.

    async def registry() -> tuple[Any, Any]:
        profile = await get_json(request, f"/api/registry/members/{member}")
        count = await get_json(request, f"/api/registry/members/{member}/workstations/{year}")
        return profile, count

    async def governance() -> tuple[Any, ...]:
        projects = await get_json(request, f"{gov}/projects", limit="100")
        actions = await get_json(request, f"{gov}/master-plans/actions", limit="100")
        indicators = await load_indicators(request, member)
        records = await get_json(request, f"{gov}/gdpr/records", limit="100")
        breaches = await get_json(request, f"{gov}/gdpr/breaches", limit="100")
        requests = await get_json(request, f"{gov}/gdpr/requests", limit="100")
        return projects, actions, indicators, records, breaches, requests

    (
        (profile, count),
        (cost, (titles, pay), dm_notice),
        (projects, actions, indicators, records, breaches, requests),
    ) = await asyncio.gather(registry(), load_billing(request, member, year), governance())
    staffing = await load_staffing(request, member, year)  # billing, then the catalogue
    ac_notice = await compensation_notice(request, member, year)
    return MemberDashboard(
        member_code=member,
        member_name=(profile or {}).get("name", member),
        year=year,
        workstations=str(count["count"]) if count else "",
        workstations_date=date(count.get("reference_date")) if count else "",
        estimate=cost,
        projects=[ProjectRow.of(p) for p in items(projects)],
        actions=[ActionRow.of(a) for a in items(actions)],
        indicators=indicators,
        records=[GdprRecordRow.of(r) for r in items(records)],
        breaches=[BreachRow.of(b) for b in items(breaches)],
        requests=[RequestRow.of(r) for r in items(requests)],
        titles=titles,
        pay=pay,
        dm_notice=dm_notice,
        staffing=staffing,
        ac_notice=ac_notice,
    )


@router.get("/tableau-de-bord", response_class=HTMLResponse)
async def dashboard_page(request: Request, user: Contact) -> HTMLResponse:
    board = await load_dashboard(request, user)
    page = "pages/dashboard_member.html"
    return render(request, page, page, {"board": board})


@router.get("/tableau-de-bord/notification-{run_id}.pdf", response_class=Response)
async def forecast_pdf(
    request: Request, user: Contact, run_id: Annotated[int, Path(ge=1, le=2**31)]
) -> Response:
    """The forecast notification of the member, passed on from billing."""
    answer = await api(
        request, "GET", f"/api/billing/runs/{run_id}/members/{user.member}/forecast.pdf"
    )
    if answer.status_code != 200:
        return error_page(request, 404)
    return Response(
        answer.content,
        media_type="application/pdf",
        headers={"Content-Disposition": answer.headers.get("content-disposition", "attachment")},
    )


def export_table(board: MemberDashboard, table: str) -> tuple[list[Column], list[list[Any]]]:
    cost = board.estimate
    if table in ("services", "composants", "inducteurs"):
        split: dict[str, list[SplitRow]] = {"services": [], "composants": [], "inducteurs": []}
        if cost is not None:
            split = {
                "services": cost.services,
                "composants": cost.components,
                "inducteurs": cost.drivers,
            }
        head = {"services": "Service", "composants": "Composant", "inducteurs": "Inducteur"}[table]
        columns = [
            Column("Code"),
            Column(head),
            Column("Précision"),
            Column("Section"),
            Column("Montant", money=True),
        ]
        return columns, [[r.code, r.label, r.detail, r.section, r.raw] for r in split[table]]
    if table == "projets":
        columns = [Column(t) for t in ("Code", "Projet", "Portée", "Statut", "Priorité", "Phase")]
        columns += [Column("Budget", money=True), Column("Début"), Column("Fin")]
        return columns, [
            [
                p.code,
                p.name,
                "mutualisé" if p.shared else board.member_code,
                p.status_label,
                p.priority_label,
                p.phase_label,
                p.budget_raw or None,
                p.starts_on,
                p.ends_on,
            ]
            for p in board.projects
        ]
    if table == "actions":
        columns = [
            Column(t)
            for t in ("Code", "Axe", "Action", "Pilote", "Statut", "Avancement %", "Échéance")
        ]
        return columns, [
            [a.code, a.axis_name, a.title, a.owner, a.status_label, a.progress, a.ends_on]
            for a in board.actions
        ]
    if table == "indicateurs":
        columns = [
            Column(t)
            for t in (
                "Code",
                "Indicateur",
                "Catégorie",
                "Période",
                "Ensemble",
                "Ma valeur",
                "Cible",
            )
        ]
        return columns, [
            [i.code, i.name, i.category_label, i.period, i.overall, i.mine, i.target]
            for i in board.indicators
        ]
    columns = [
        Column(t)
        for t in ("N°", "Traitement", "Finalités", "Base légale", "Conservation", "Complet")
    ]
    return columns, [
        [r.id, r.name, r.purposes, r.legal_basis, r.retention, "oui" if r.complete else "non"]
        for r in board.records
    ]


EXPORTS = frozenset(
    {"services", "composants", "inducteurs", "projets", "actions", "indicateurs", "traitements"}
)


@router.get("/tableau-de-bord/export/{table}.{fmt}", response_class=Response)
async def export(
    request: Request,
    user: Contact,
    table: Annotated[str, Path(max_length=40)],
    fmt: Annotated[str, Path(max_length=10)],
) -> Response:
    """A table of the dashboard as CSV (French spreadsheets) or XLSX (exact amounts)."""
    if table not in EXPORTS or fmt not in ("csv", "xlsx"):
        return error_page(request, 404)
    board = await load_dashboard(request, user)
    columns, rows = export_table(board, table)
    name = f"{table}-{board.member_code}-{board.year}"
    if fmt == "csv":
        return csv_response(name, columns, rows)
    return xlsx_response(name, table.capitalize(), columns, rows)
