"""Gouvernance (back office): master plans (axes → actions → indicators), the project
portfolio, the workload plan and the annual report governance produces."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.governance import GOV, Code, Cursor, Reader, listing
from web.session import api
from web.views.format import date
from web.views.governance import (
    ACTION_STATUSES,
    INDICATOR_CATEGORIES,
    PROJECT_STATUSES,
    ActionRow,
    AxisRow,
    DecisionRow,
    IndicatorRow,
    ProjectRow,
    WorkloadRow,
)
from web.views.governance_labels import member_names, value_label
from web.views.governance_report import annual_report_view
from web.views.pager import Pages

router = APIRouter()


@router.get("/gouvernance/schemas-directeurs", response_class=HTMLResponse)
async def master_plans_page(
    request: Request,
    _user: Reader,
    axis: Code = "",
    status: Annotated[str, Query(pattern="^(|planned|in_progress|done|suspended|cancelled)$")] = "",
    cursor: Cursor = "",
    pages: Pages = "",
) -> HTMLResponse:
    page = await listing(
        request,
        f"{GOV}/master-plans/actions",
        {"axis": axis, "status": status},
        cursor,
        pages=pages,
    )
    axes_answer = await api(request, "GET", f"{GOV}/master-plans/axes")
    axes = axes_answer.json().get("items", []) if axes_answer.status_code == 200 else []
    indicators = await api(
        request, "GET", f"{GOV}/master-plans/indicators", params={"limit": "100"}
    )
    axis_names = {a["code"]: a["name"] for a in axes}
    listed = indicators.json().get("items", []) if indicators.status_code == 200 else []
    context = {
        **page,
        "rows": [ActionRow.of(a) for a in page["items"]],
        "axes": [AxisRow.of(a) for a in axes],
        "statuses": ACTION_STATUSES,
        "indicators": [
            {
                "code": i["code"],
                "name": i["name"],
                "category": INDICATOR_CATEGORIES.get(i["category"], i["category"]),
                "axis": axis_names.get(i.get("axis_code") or "", "") or "—",
                "latest": value_label((i.get("latest") or {}).get("value"), i.get("unit") or ""),
                "period": date((i.get("latest") or {}).get("period")),
                "target": value_label(i.get("target"), i.get("unit") or ""),
            }
            for i in listed
        ],
    }
    return render(
        request,
        "pages/governance_plans.html",
        "partials/governance_actions_table.html",
        context,
    )


@router.get("/gouvernance/projets", response_class=HTMLResponse)
async def portfolio_page(
    request: Request,
    user: Reader,
    status: Annotated[str, Query(pattern="^(|proposed|active|on_hold|done|cancelled)$")] = "",
    member: Code = "",
    cursor: Cursor = "",
    pages: Pages = "",
) -> HTMLResponse:
    filters = {"status": status, "member": member}
    page = await listing(request, f"{GOV}/projects", filters, cursor, pages=pages)
    names = await member_names(request)
    context = {
        **page,
        "rows": [
            (names.get(p.get("member_code") or "", p.get("member_code") or ""), ProjectRow.of(p))
            for p in page["items"]
        ],
        "statuses": PROJECT_STATUSES,
        "members": names,
        "can_write": user.can("governance:write"),
    }
    return render(
        request,
        "pages/governance_projects.html",
        "partials/governance_projects_table.html",
        context,
    )


Year = Annotated[int, Query(ge=2000, le=2100)]


@router.get("/gouvernance/plan-de-charge", response_class=HTMLResponse)
async def workload_page(request: Request, _user: Reader, annee: Year | None = None) -> HTMLResponse:
    year = annee or dt.date.today().year
    answer = await api(request, "GET", f"{GOV}/projects/workload/{year}")
    body = answer.json() if answer.status_code == 200 else {"cells": [], "overloads": []}
    projects = await api(request, "GET", f"{GOV}/projects", params={"limit": "500"})
    names = {
        p["code"]: p["name"]
        for p in (projects.json().get("items", []) if projects.status_code == 200 else [])
    }
    context = {
        "year": year,
        "years": list(range(dt.date.today().year + 1, dt.date.today().year - 5, -1)),
        "rows": [WorkloadRow.of(c, names) for c in body.get("cells", [])],
        "overloads": len(body.get("overloads", [])),
    }
    return render(
        request,
        "pages/governance_workload.html",
        "partials/governance_workload_table.html",
        context,
    )


@router.get("/gouvernance/rapport-annuel", response_class=HTMLResponse)
async def annual_report_page(request: Request, _user: Reader) -> HTMLResponse:
    this_year = dt.date.today().year
    context = {"years": list(range(this_year, this_year - 4, -1))}
    page = "pages/governance_report.html"
    return render(request, page, page, context)


@router.get("/gouvernance/rapport-annuel/{year}.{fmt}", response_class=Response)
async def annual_report_file(
    request: Request,
    _user: Reader,
    year: Annotated[int, Path(ge=2000, le=2100)],
    fmt: Annotated[str, Path(pattern="^(html|pdf)$")],
) -> Response:
    """The report governance produces, as a download (its HTML carries its own styles, which
    this site's Content-Security-Policy would block if it were shown inline)."""
    answer = await api(request, "GET", f"{GOV}/reports/annual/{year}.{fmt}")
    if answer.status_code != 200:
        return error_page(request, 404 if answer.status_code == 404 else 503)
    media = "application/pdf" if fmt == "pdf" else "text/html; charset=utf-8"
    filename = f"rapport-annuel-{year}.{fmt}"
    return Response(
        answer.content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/gouvernance/schemas-directeurs/actions/{code}", response_class=HTMLResponse)
async def action_page(
    request: Request,
    user: Reader,
    code: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")],
) -> HTMLResponse:
    """One action with its indicators (latest value) and the decisions that shaped it."""
    answer = await api(request, "GET", f"{GOV}/master-plans/actions/{code}")
    if answer.status_code != 200:
        return error_page(request, 404)
    item = answer.json()
    context = {
        "action": ActionRow.of(item),
        "description": item.get("description") or "",
        "indicators": [
            IndicatorRow.of({"category": "plan", **i}, None, "")
            for i in item.get("indicators") or []
        ],
        "decisions": [DecisionRow.of(d) for d in item.get("decisions") or []],
        "can_write": user.can("governance:write"),
    }
    page = "pages/governance_action.html"
    return render(request, page, page, context)


@router.get("/gouvernance/rapport-annuel/{year}", response_class=HTMLResponse)
async def annual_report_read(
    request: Request, _user: Reader, year: Annotated[int, Path(ge=2000, le=2100)]
) -> HTMLResponse:
    """The annual report as a page of this site (its figures from the API, French labels), for
    reading in the browser; the PDF stays the document handed to the Conférence des Maires."""
    answer = await api(request, "GET", f"{GOV}/reports/annual/{year}")
    if answer.status_code != 200:
        return error_page(request, 404 if answer.status_code == 404 else 503)
    context = {"report": annual_report_view(answer.json()), "year": year}
    page = "pages/governance_report_year.html"
    return render(request, page, page, context)
