"""HTTP endpoints of decisions: taken in a meeting, followed until closed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse

from kit.db import DbSession
from kit.errors import NotFound
from kit.http import resource_response
from kit.pagination import PageParams, build_page, page_params
from services.governance.decisions import repository, service
from services.governance.decisions.schemas import (
    DecisionCreate,
    DecisionPage,
    DecisionRead,
    DecisionStatus,
    DecisionUpdate,
)
from services.governance.deps import ReadPrincipal, WritePrincipal, after_id
from services.governance.meetings.endpoints import MeetingDep
from services.governance.models import Decision

router = APIRouter(tags=["decisions"])


def get_decision_or_404(
    session: DbSession, principal: ReadPrincipal, decision_id: Annotated[int, Path(ge=1)]
) -> Decision:
    decision = repository.get(session, decision_id, member=principal.member)
    if decision is None:
        raise NotFound(
            f"No decision {decision_id}.",
            detail_fr=f"La décision n° {decision_id} n'existe pas.",
            slug="decision-not-found",
        )
    return decision


DecisionDep = Annotated[Decision, Depends(get_decision_or_404)]


@router.post("/meetings/{meeting_id}/decisions", status_code=201, response_model=DecisionRead)
def create_decision(
    session: DbSession, principal: WritePrincipal, meeting: MeetingDep, body: DecisionCreate
) -> JSONResponse:
    """Add a decision to the meeting's relevé; ``new_action`` creates a master-plan action,
    ``action_code`` with ``action_changes`` updates one."""
    decision = service.create_decision(session, principal=principal, meeting=meeting, data=body)
    return JSONResponse(
        DecisionRead(**service.to_read(decision)).model_dump(mode="json"),
        status_code=201,
        headers={"Location": f"/decisions/{decision.id}"},
    )


@router.get("/decisions", response_model=DecisionPage)
def list_decisions(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
    status: DecisionStatus | None = None,
    open: bool | None = None,  # noqa: A002 - the query parameter's public name
    overdue: bool = False,
) -> DecisionPage:
    """Decisions to follow: ``open=true`` those not closed, ``overdue=true`` those past due."""
    rows = repository.list_page(
        session,
        limit=page.limit,
        after=after_id(page.after),
        member=principal.member,
        status=status,
        still_open=open,
        overdue_on=dt.date.today() if overdue else None,
    )
    items, next_cursor = build_page(request, response, rows, limit=page.limit, key=lambda d: [d.id])
    return DecisionPage(
        items=[DecisionRead(**service.to_read(d)) for d in items],
        next_cursor=next_cursor,
        total=repository.count(
            session,
            member=principal.member,
            status=status,
            still_open=open,
            overdue_on=dt.date.today() if overdue else None,
        ),
    )


@router.get("/decisions/{decision_id}", response_model=DecisionRead)
def read_decision(request: Request, decision: DecisionDep) -> Response:
    return resource_response(request, service.to_read(decision))


@router.patch("/decisions/{decision_id}", response_model=DecisionRead)
def update_decision(
    session: DbSession, principal: WritePrincipal, decision: DecisionDep, data: DecisionUpdate
) -> DecisionRead:
    return DecisionRead(
        **service.to_read(
            service.update_decision(session, principal=principal, decision=decision, data=data)
        )
    )
