"""HTTP endpoints of master plans: the seven axes and their actions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from kit.db import DbSession
from kit.errors import NotFound
from kit.http import resource_response
from kit.pagination import PageParams, build_page, page_params
from services.governance.decisions import repository as decisions
from services.governance.decisions import service as decision_service
from services.governance.deps import ReadPrincipal, WritePrincipal, after_id, record
from services.governance.fields import fmt_value
from services.governance.indicators import repository as indicators
from services.governance.indicators import service as indicator_service
from services.governance.models import Action, Axis
from services.governance.plans import repository, service
from services.governance.plans.schemas import (
    ActionCreate,
    ActionPage,
    ActionRead,
    ActionStatus,
    ActionUpdate,
    AxisList,
    AxisRead,
    AxisUpdate,
)

router = APIRouter(prefix="/master-plans", tags=["master plans"])
CodePath = Annotated[str, Path(max_length=80)]


def get_axis_or_404(session: DbSession, _principal: ReadPrincipal, code: CodePath) -> Axis:
    axis = repository.axis_by_code(session, code)
    if axis is None:
        raise NotFound(
            f"No axis '{code}'.", detail_fr=f"L'axe « {code} » n'existe pas.", slug="axis-not-found"
        )
    return axis


def get_action_or_404(session: DbSession, principal: ReadPrincipal, code: CodePath) -> Action:
    action = repository.action_by_code(session, code, member=principal.member)
    if action is None:
        raise NotFound(
            f"No action '{code}'.",
            detail_fr=f"L'action « {code} » n'existe pas.",
            slug="action-not-found",
        )
    return action


AxisDep = Annotated[Axis, Depends(get_axis_or_404)]
ActionDep = Annotated[Action, Depends(get_action_or_404)]


def _axis_read(session: DbSession, axis: Axis, member: str | None) -> AxisRead:
    actions = repository.actions(session, member=member, axis_id=axis.id)
    codes = [i.code for i in indicators.list_page(session, limit=None, after=None, axis_id=axis.id)]
    return AxisRead(**service.axis_read(axis, actions, codes))


@router.get("/axes", response_model=AxisList)
def list_axes(session: DbSession, principal: ReadPrincipal) -> AxisList:
    """The seven axes in the deliberation's order, with the progress of their actions."""
    return AxisList(
        items=[_axis_read(session, a, principal.member) for a in repository.axes(session)]
    )


@router.get("/axes/{code}", response_model=AxisRead)
def read_axis(
    request: Request, session: DbSession, principal: ReadPrincipal, axis: AxisDep
) -> Response:
    return resource_response(request, _axis_read(session, axis, principal.member))


@router.patch("/axes/{code}", response_model=AxisRead)
def update_axis(
    session: DbSession, principal: WritePrincipal, axis: AxisDep, data: AxisUpdate
) -> AxisRead:
    before = {"name": axis.name, "description": axis.description}
    changes = data.model_dump(exclude_unset=True)
    if changes.get("name"):
        axis.name = changes["name"]
    if "description" in changes:
        axis.description = changes["description"]
    session.flush()
    record(
        session,
        principal,
        action="update",
        resource_type="axis",
        resource_id=axis.code,
        before=before,
        after={"name": axis.name, "description": axis.description},
    )
    return _axis_read(session, axis, principal.member)


@router.get("/actions", response_model=ActionPage)
def list_actions(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
    axis: Annotated[str | None, Query(max_length=80)] = None,
    status: ActionStatus | None = None,
) -> ActionPage:
    """Actions; a member's contact sees those shared by all members and those concerning it."""
    axis_id = None
    if axis is not None:
        found = repository.axis_by_code(session, axis)
        axis_id = found.id if found else -1
    rows = repository.actions(
        session,
        member=principal.member,
        axis_id=axis_id,
        status=status,
        after=after_id(page.after),
        limit=page.limit,
    )
    items, next_cursor = build_page(request, response, rows, limit=page.limit, key=lambda a: [a.id])
    return ActionPage(
        items=[ActionRead(**service.to_read(a)) for a in items],
        next_cursor=next_cursor,
        total=repository.count_actions(
            session, member=principal.member, axis_id=axis_id, status=status
        ),
    )


@router.post("/actions", status_code=201, response_model=ActionRead)
def create_action(
    session: DbSession, principal: WritePrincipal, body: ActionCreate
) -> JSONResponse:
    action = service.create_action(session, principal=principal, data=body)
    return JSONResponse(
        ActionRead(**service.to_read(action)).model_dump(mode="json"),
        status_code=201,
        headers={"Location": f"/master-plans/actions/{action.code}"},
    )


@router.get("/actions/{code}", response_model=ActionRead)
def read_action(
    request: Request, session: DbSession, principal: ReadPrincipal, action: ActionDep
) -> Response:
    """The action with its indicators (latest value) and the decisions that shaped it."""
    shown = []
    for link in sorted(action.indicator_links, key=lambda link: link.indicator.code):
        indicator = link.indicator
        rows = indicators.measurements(session, indicator.id, member=None)
        shown.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "target": None if indicator.target is None else fmt_value(indicator.target),
                "direction": indicator.direction,
                "latest": indicator_service.latest(indicator, rows),
            }
        )
    made = [
        decision_service.to_read(d)
        for d in decisions.of_action(session, action.id, member=principal.member)
    ]
    payload = ActionRead(**service.to_read(action, indicators=shown, decisions=made))
    return resource_response(request, payload)


@router.patch("/actions/{code}", response_model=ActionRead)
def update_action(
    session: DbSession, principal: WritePrincipal, action: ActionDep, data: ActionUpdate
) -> ActionRead:
    return ActionRead(
        **service.to_read(
            service.update_action(session, principal=principal, action=action, data=data)
        )
    )
