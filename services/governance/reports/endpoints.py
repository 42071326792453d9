"""HTTP endpoints of the annual report: JSON, HTML and PDF (French)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from kit.db import DbSession
from kit.http import resource_response
from kit.identity import Principal
from kit.openapi import file_responses
from kit.params import FiscalYearPath as Year
from services.governance import documents
from services.governance.deps import ReadPrincipal
from services.governance.reports import service, upstream

router = APIRouter(prefix="/reports", tags=["reports"])
STATUSES = {
    "planned": "prévue",
    "in_progress": "en cours",
    "done": "terminée",
    "suspended": "suspendue",
    "cancelled": "abandonnée",
}


def _report(request: Request, session: DbSession, principal: Principal, year: int) -> Any:
    billing = upstream.billing_results(upstream.client(request.app, "billing"), year)
    names = upstream.member_names(upstream.client(request.app, "registry"))
    staffing = upstream.staffing_comparisons(upstream.client(request.app, "billing"), year)
    return service.build_report(
        session, year=year, principal=principal, billing=billing, names=names, staffing=staffing
    )


PROJECT_LABELS = {
    "proposed": "proposé",
    "active": "en cours",
    "on_hold": "suspendu",
    "done": "terminé",
    "cancelled": "abandonné",
    "low": "basse",
    "medium": "moyenne",
    "high": "haute",
    "critical": "critique",
    "study": "étude",
    "design": "conception",
    "build": "réalisation",
    "deploy": "déploiement",
    "run": "exploitation",
}


def _html(report: dict[str, Any]) -> str:
    return documents.render_html(
        "annual_report.html", r=report, statuses=STATUSES, labels=PROJECT_LABELS
    )


@router.get("/annual/{year}.html", response_class=HTMLResponse)
def annual_report_html(
    request: Request, session: DbSession, principal: ReadPrincipal, year: Year
) -> HTMLResponse:
    return HTMLResponse(_html(_report(request, session, principal, year)))


@router.get(
    "/annual/{year}.pdf",
    response_class=Response,
    responses=file_responses("application/pdf", "The annual report, PDF"),
)
def annual_report_pdf(
    request: Request, session: DbSession, principal: ReadPrincipal, year: Year
) -> Response:
    pdf = documents.render_pdf(_html(_report(request, session, principal, year)))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="rapport-annuel-{year}.pdf"'},
    )


@router.get("/annual/{year}")
def annual_report(
    request: Request, session: DbSession, principal: ReadPrincipal, year: Year
) -> Response:
    """The report's figures; the financial part is billing's current final run of the year."""
    return resource_response(request, _report(request, session, principal, year))
