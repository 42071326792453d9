"""HTTP endpoints of meetings (séances)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from kit.db import DbSession
from kit.errors import NotFound, ValidationFailed
from kit.http import resource_response
from kit.pagination import PageParams, build_page, page_params
from services.governance.bodies import repository as bodies
from services.governance.decisions import repository as decisions
from services.governance.decisions import service as decision_service
from services.governance.deps import ReadPrincipal, WritePrincipal, after_id
from services.governance.meetings import repository, service
from services.governance.meetings.schemas import (
    MeetingCreate,
    MeetingPage,
    MeetingRead,
    MeetingUpdate,
)
from services.governance.models import Meeting

router = APIRouter(tags=["meetings"])


def get_meeting_or_404(
    session: DbSession, principal: ReadPrincipal, meeting_id: Annotated[int, Path(ge=1)]
) -> Meeting:
    meeting = repository.get(session, meeting_id, member=principal.member)
    if meeting is None:
        raise NotFound(
            f"No meeting {meeting_id}.",
            detail_fr=f"La réunion n° {meeting_id} n'existe pas.",
            slug="meeting-not-found",
        )
    return meeting


MeetingDep = Annotated[Meeting, Depends(get_meeting_or_404)]


def newest_after(after: list[Any] | None) -> tuple[dt.date, int] | None:
    """The ``[held_on, id]`` cursor of the newest-first order (422 on a forged one)."""
    if after is None:
        return None
    try:
        held_on, meeting_id = after
        if not isinstance(meeting_id, int) or isinstance(meeting_id, bool):
            raise ValueError
        return dt.date.fromisoformat(str(held_on)), meeting_id
    except ValueError as exc:
        raise ValidationFailed(
            "The cursor is not one this API gave: restart from the first page.",
            detail_fr="Ce curseur de pagination n'est pas valide : reprenez à la première page.",
            errors=[
                {
                    "field": "cursor",
                    "message": "invalid cursor",
                    "type": "cursor",
                    "message_fr": "Curseur invalide.",
                }
            ],
        ) from exc


@router.get("/meetings", response_model=MeetingPage)
def list_meetings(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
    body: Annotated[str | None, Query(max_length=80)] = None,
    held_from: dt.date | None = None,
    held_to: dt.date | None = None,
    order: Annotated[
        Literal["created", "newest"],
        Query(description="created: creation order; newest: latest held first"),
    ] = "created",
) -> MeetingPage:
    """Meetings in creation order (or newest first); a member's contact sees those open to all
    or inviting it. ``total`` counts the meetings matching the filters over all pages."""
    body_id = None
    if body is not None:
        found = bodies.get_by_code(session, body)
        body_id = found.id if found else -1
    filters: dict[str, Any] = {
        "body_id": body_id,
        "held_from": held_from,
        "held_to": held_to,
        "member": principal.member,
    }
    if order == "newest":
        rows = repository.list_newest(
            session, limit=page.limit, after=newest_after(page.after), **filters
        )
        key: Any = lambda m: [m.held_on.isoformat(), m.id]  # noqa: E731
    else:
        rows = repository.list_page(
            session, limit=page.limit, after=after_id(page.after), **filters
        )
        key = lambda m: [m.id]  # noqa: E731
    items, next_cursor = build_page(request, response, rows, limit=page.limit, key=key)
    return MeetingPage(
        items=[
            MeetingRead.model_validate(service.to_read(m, member=principal.member)) for m in items
        ],
        next_cursor=next_cursor,
        total=repository.count(session, **filters),
    )


@router.post("/meetings", status_code=201, response_model=MeetingRead)
def create_meeting(
    session: DbSession, principal: WritePrincipal, body: MeetingCreate
) -> JSONResponse:
    meeting = service.create_meeting(session, principal=principal, data=body)
    payload = MeetingRead.model_validate(service.to_read(meeting, []))
    return JSONResponse(
        payload.model_dump(mode="json"),
        status_code=201,
        headers={"Location": f"/meetings/{meeting.id}"},
    )


@router.get("/meetings/{meeting_id}", response_model=MeetingRead)
def read_meeting(
    request: Request, session: DbSession, principal: ReadPrincipal, meeting: MeetingDep
) -> Response:
    """The meeting with its relevé de décisions (those the principal may see)."""
    rows = decisions.of_meeting(session, meeting.id, member=principal.member)
    payload = service.to_read(
        meeting, [decision_service.to_read(d) for d in rows], member=principal.member
    )
    return resource_response(request, MeetingRead.model_validate(payload))


@router.patch("/meetings/{meeting_id}", response_model=MeetingRead)
def update_meeting(
    session: DbSession, principal: WritePrincipal, meeting: MeetingDep, data: MeetingUpdate
) -> MeetingRead:
    updated = service.update_meeting(session, principal=principal, meeting=meeting, data=data)
    return MeetingRead.model_validate(service.to_read(updated))
