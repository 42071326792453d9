"""HTTP endpoints of forecast notifications: JSON and PDF, per member of a forecast run."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from kit.errors import Conflict
from kit.http import resource_response
from kit.openapi import file_responses
from services.billing.forecasts.pdf import render_pdf
from services.billing.forecasts.service import notification
from services.billing.models import Run, RunMember
from services.billing.runs.endpoints import MemberResult, SucceededRun

router = APIRouter(tags=["forecasts"])


def get_forecast_run(run: SucceededRun) -> Run:
    if run.kind != "forecast":
        raise Conflict(
            f"The run {run.id} is a final run: notifications come from forecast runs.",
            slug="not-a-forecast-run",
        )
    return run


ForecastRun = Annotated[Run, Depends(get_forecast_run)]


def _notification(request: Request, run: Run, row: RunMember) -> dict[str, object]:
    renewal = request.app.state.settings.council_renewal_years
    return notification(run, row, renewal_years=renewal)


@router.get("/runs/{run_id}/members/{code}/forecast")
def read_forecast(request: Request, run: ForecastRun, row: MemberResult) -> Response:
    """Unit costs (rate per workstation, unit price per driver), forecast amount by section and
    the cap, with the date it was made available and the member's BP deadline."""
    return resource_response(request, _notification(request, run, row))


@router.get(
    "/runs/{run_id}/members/{code}/forecast.pdf",
    response_class=Response,
    responses=file_responses("application/pdf", "The forecast notification, PDF"),
)
async def read_forecast_pdf(request: Request, run: ForecastRun, row: MemberResult) -> Response:
    """The same notification as a PDF in French, to send to the member."""
    pdf = await run_in_threadpool(render_pdf, _notification(request, run, row))
    filename = f"notification-previsionnelle-{run.fiscal_year}-{row.member_code}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
