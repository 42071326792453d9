"""HTTP endpoints of governance bodies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse

from kit.db import DbSession
from kit.errors import NotFound
from kit.http import resource_response
from kit.pagination import PageParams, build_page, page_params
from services.governance.bodies import repository, service
from services.governance.bodies.schemas import (
    BodyCreate,
    BodyPage,
    BodyRead,
    BodyUpdate,
    Level,
)
from services.governance.deps import ReadPrincipal, WritePrincipal, after_id, visible_to
from services.governance.models import Body

router = APIRouter(tags=["bodies"])


def get_body_or_404(
    session: DbSession, principal: ReadPrincipal, code: Annotated[str, Path(max_length=80)]
) -> Body:
    body = repository.get_by_code(session, code)
    if body is None or not visible_to(principal, body.member_code):
        raise NotFound(
            f"No body '{code}'.",
            detail_fr=f"L'instance « {code} » n'existe pas.",
            slug="body-not-found",
        )
    return body


BodyDep = Annotated[Body, Depends(get_body_or_404)]


@router.get("/bodies", response_model=BodyPage)
def list_bodies(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
    level: Level | None = None,
) -> BodyPage:
    """Bodies in creation order; a member's contact sees shared bodies and its member's."""
    rows = repository.list_page(
        session, limit=page.limit, after=after_id(page.after), level=level, member=principal.member
    )
    items, next_cursor = build_page(request, response, rows, limit=page.limit, key=lambda b: [b.id])
    return BodyPage(items=[BodyRead(**service.to_read(b)) for b in items], next_cursor=next_cursor)


@router.post("/bodies", status_code=201, response_model=BodyRead)
def create_body(session: DbSession, principal: WritePrincipal, body: BodyCreate) -> JSONResponse:
    created = service.create_body(session, principal=principal, data=body)
    return JSONResponse(
        BodyRead(**service.to_read(created)).model_dump(mode="json"),
        status_code=201,
        headers={"Location": f"/bodies/{created.code}"},
    )


@router.get("/bodies/{code}", response_model=BodyRead)
def read_body(request: Request, body: BodyDep) -> Response:
    return resource_response(request, service.to_read(body))


@router.patch("/bodies/{code}", response_model=BodyRead)
def update_body(
    session: DbSession,
    principal: WritePrincipal,
    body: BodyDep,
    data: BodyUpdate,
) -> BodyRead:
    return BodyRead(
        **service.to_read(service.update_body(session, principal=principal, data=data, body=body))
    )
