"""HTTP endpoints of indicators and measurements (fed by machines with ``indicators:write``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from kit.db import DbSession
from kit.errors import NotFound
from kit.http import resource_response
from kit.pagination import PageParams, build_page, bulk_page_params, page_params
from services.governance.deps import MeasurePrincipal, ReadPrincipal, WritePrincipal, after_id
from services.governance.indicators import repository, service
from services.governance.indicators.schemas import (
    BatchResult,
    Category,
    IndicatorCreate,
    IndicatorPage,
    IndicatorRead,
    IndicatorUpdate,
    MeasurementBatch,
    MeasurementPage,
    MeasurementRead,
    Series,
)
from services.governance.models import Indicator
from services.governance.models.plans import ALL_MEMBERS
from services.governance.plans import repository as plans

router = APIRouter(prefix="/master-plans", tags=["indicators"])


def get_indicator_or_404(
    session: DbSession, _principal: ReadPrincipal, code: Annotated[str, Path(max_length=80)]
) -> Indicator:
    indicator = repository.by_code(session, code)
    if indicator is None:
        raise NotFound(
            f"No indicator '{code}'.",
            detail_fr=f"L'indicateur « {code} » n'existe pas.",
            slug="indicator-not-found",
        )
    return indicator


IndicatorDep = Annotated[Indicator, Depends(get_indicator_or_404)]


@router.get("/indicators", response_model=IndicatorPage)
def list_indicators(
    request: Request,
    response: Response,
    session: DbSession,
    _principal: ReadPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
    category: Category | None = None,
    axis: Annotated[str | None, Query(max_length=80)] = None,
) -> IndicatorPage:
    """Indicators (definitions are shared by every member), with their latest overall value."""
    axis_id = None
    if axis is not None:
        found = plans.axis_by_code(session, axis)
        axis_id = found.id if found else -1
    rows = repository.list_page(
        session, limit=page.limit, after=after_id(page.after), category=category, axis_id=axis_id
    )
    items, next_cursor = build_page(request, response, rows, limit=page.limit, key=lambda i: [i.id])
    out = []
    for indicator in items:
        measured = repository.measurements(session, indicator.id, member=None)
        out.append(
            IndicatorRead(**service.to_read(indicator, latest=service.latest(indicator, measured)))
        )
    return IndicatorPage(items=out, next_cursor=next_cursor)


@router.post("/indicators", status_code=201, response_model=IndicatorRead)
def create_indicator(
    session: DbSession, principal: WritePrincipal, body: IndicatorCreate
) -> JSONResponse:
    indicator = service.create_indicator(session, principal=principal, data=body)
    return JSONResponse(
        IndicatorRead(**service.to_read(indicator, action_codes=[])).model_dump(mode="json"),
        status_code=201,
        headers={"Location": f"/master-plans/indicators/{indicator.code}"},
    )


@router.get("/indicators/{code}", response_model=IndicatorRead)
def read_indicator(request: Request, session: DbSession, indicator: IndicatorDep) -> Response:
    measured = repository.measurements(session, indicator.id, member=None)
    payload = IndicatorRead(
        **service.to_read(
            indicator,
            action_codes=repository.action_codes(session, indicator.id),
            latest=service.latest(indicator, measured),
        )
    )
    return resource_response(request, payload)


@router.patch("/indicators/{code}", response_model=IndicatorRead)
def update_indicator(
    session: DbSession, principal: WritePrincipal, indicator: IndicatorDep, data: IndicatorUpdate
) -> IndicatorRead:
    updated = service.update_indicator(session, principal=principal, indicator=indicator, data=data)
    return IndicatorRead(**service.to_read(updated))


@router.post("/indicators/{code}/measurements", response_model=BatchResult)
def record_measurements(
    session: DbSession,
    principal: MeasurePrincipal,
    indicator: IndicatorDep,
    body: MeasurementBatch,
) -> BatchResult:
    """Upsert measurements keyed by (period, member_code): resending a batch changes nothing."""
    counts = service.record_measurements(
        session, principal=principal, indicator=indicator, batch=body
    )
    return BatchResult(**counts)


@router.get("/indicators/{code}/measurements", response_model=MeasurementPage)
def list_measurements(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    indicator: IndicatorDep,
    page: Annotated[PageParams, Depends(bulk_page_params)],
    member: Annotated[str | None, Query(max_length=80, description="'all': overall only")] = None,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
) -> MeasurementPage:
    """Measurements; a member's contact sees its member's and the all-member ones."""
    only = ALL_MEMBERS if member == "all" else member
    if only and only != ALL_MEMBERS:
        principal.ensure_member(only)
    rows = repository.measurements(
        session,
        indicator.id,
        member=principal.member,
        only_scope=only,
        period_from=period_from,
        period_to=period_to,
        after=after_id(page.after),
        limit=page.limit,
    )
    items, next_cursor = build_page(request, response, rows, limit=page.limit, key=lambda m: [m.id])
    return MeasurementPage(
        items=[MeasurementRead(**service.measurement_read(indicator, m)) for m in items],
        next_cursor=next_cursor,
    )


@router.get("/indicators/{code}/series", response_model=Series)
def read_series(
    session: DbSession,
    principal: ReadPrincipal,
    indicator: IndicatorDep,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
) -> Series:
    """Per period, the value over all members recomputed from their measurements (Σnum/Σden
    for a rate), beside the overall value reported as such; members' own values for the DSIT,
    a member's contact gets only its own."""
    rows = repository.measurements(
        session, indicator.id, member=None, period_from=period_from, period_to=period_to
    )
    points = service.series(indicator, rows, with_members=True)
    if principal.member is not None:
        for point in points:
            mine = point["member_values"] or {}
            point["member_values"] = {k: v for k, v in mine.items() if k == principal.member}
    return Series.model_validate(
        {
            "indicator_code": indicator.code,
            "unit": indicator.unit,
            "aggregation": indicator.aggregation,
            "points": points,
        }
    )
