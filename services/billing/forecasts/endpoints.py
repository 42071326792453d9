"""HTTP endpoints of forecast notifications: JSON and PDF, per member of a forecast run."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from kit.db import DbSession
from kit.errors import Conflict
from kit.http import resource_response
from kit.openapi import file_responses
from services.billing.deps import ReadPrincipal
from services.billing.forecasts import archive
from services.billing.forecasts.pdf import render_pdf
from services.billing.forecasts.service import notification
from services.billing.models import Run, RunMember
from services.billing.runs.endpoints import MemberResult, SucceededRun

router = APIRouter(tags=["forecasts"])


def get_forecast_run(run: SucceededRun) -> Run:
    if run.kind != "forecast":
        raise Conflict(
            f"The run {run.id} is a final run: notifications come from forecast runs.",
            detail_fr=f"Le calcul n° {run.id} est un calcul définitif : les notifications "
            "viennent des calculs prévisionnels.",
            slug="not-a-forecast-run",
        )
    return run


ForecastRun = Annotated[Run, Depends(get_forecast_run)]


def _notification(
    request: Request, session: DbSession, run: Run, row: RunMember
) -> dict[str, object]:
    renewal = request.app.state.settings.council_renewal_years
    notice = archive.archived(session, run.id, row.member_code)
    return notification(run, row, renewal_years=renewal, notice=notice)


@router.get("/runs/{run_id}/members/{code}/forecast")
def read_forecast(
    request: Request, session: DbSession, run: ForecastRun, row: MemberResult
) -> Response:
    """Unit costs (rate per workstation, unit price per driver), forecast amount by section and
    the cap, with the date it was made available and the member's BP deadline — as archived
    when it was made available (``archive``: its SHA-256)."""
    return resource_response(request, _notification(request, session, run, row))


@router.get(
    "/runs/{run_id}/members/{code}/forecast.pdf",
    response_class=Response,
    responses=file_responses("application/pdf", "The forecast notification, PDF"),
)
def read_forecast_pdf(
    request: Request, session: DbSession, run: ForecastRun, row: MemberResult
) -> Response:
    """The same notification as a PDF in French, to send to the member, with the SHA-256 of
    the archived notification it renders."""
    pdf = render_pdf(_notification(request, session, run, row))
    filename = f"notification-previsionnelle-{run.fiscal_year}-{row.member_code}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class ForecastNoticeRead(BaseModel):
    run_id: int
    fiscal_year: int
    member_code: str
    made_available_at: dt.datetime
    sha256: str = Field(description="SHA-256 of the archived canonical JSON")
    links: dict[str, str]


@router.get("/forecast-notices", response_model=list[ForecastNoticeRead])
def list_forecast_notices(
    session: DbSession,
    principal: ReadPrincipal,
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    member_code: Annotated[str | None, Query(max_length=80)] = None,
) -> list[dict[str, object]]:
    """The forecast notifications archived when they were made available, oldest first; a
    member's contact sees its own member's only."""
    if principal.member is not None:
        if member_code not in (None, principal.member):
            return []
        member_code = principal.member
    out: list[dict[str, object]] = []
    for n in archive.notices(session, fiscal_year=fiscal_year, member_code=member_code):
        base = f"/runs/{n.run_id}/members/{n.member_code}/forecast"
        out.append({"run_id": n.run_id, "fiscal_year": n.fiscal_year,
                    "member_code": n.member_code, "made_available_at": n.made_available_at,
                    "sha256": n.sha256, "links": {"json": base, "pdf": f"{base}.pdf"}})  # fmt: skip
    return out
