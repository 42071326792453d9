"""HTTP endpoints of members (adhérents)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from kit.db import DbSession
from kit.http import resource_response
from kit.pagination import PageParams, build_page, page_params
from services.registry.deps import MemberDep, ReadPrincipal, WritePrincipal
from services.registry.members import service
from services.registry.members.schemas import (
    MemberCreate,
    MemberKind,
    MemberPage,
    MemberRead,
    MemberUpdate,
)

router = APIRouter(tags=["members"])


@router.get("/members", response_model=MemberPage)
def list_members(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
    kind: MemberKind | None = None,
    invoiced: bool | None = None,
    is_host: bool | None = None,
    covered_on: Annotated[
        dt.date | None, Query(description="Members covered by a convention in force that day")
    ] = None,
) -> MemberPage:
    after = page.after
    rows = service.list_members(
        session,
        principal=principal,
        limit=page.limit,
        after=str(after[0]) if after else None,
        kind=kind,
        invoiced=invoiced,
        is_host=is_host,
        covered_on=covered_on,
    )
    items, next_cursor = build_page(
        request, response, rows, limit=page.limit, key=lambda m: [m.code]
    )
    return MemberPage(items=[service.to_read(m) for m in items], next_cursor=next_cursor)


@router.post("/members", status_code=201, response_model=MemberRead)
def create_member(
    request: Request,
    response: Response,
    session: DbSession,
    principal: WritePrincipal,
    body: MemberCreate,
) -> Response:
    member = service.create_member(session, principal=principal, data=body)
    out = resource_response(request, service.to_read(member), status_code=201)
    out.headers["Location"] = f"/members/{member.code}"
    return out


@router.get("/members/{code}", response_model=MemberRead)
def read_member(request: Request, member: MemberDep) -> Response:
    return resource_response(request, service.to_read(member))


@router.patch("/members/{code}", response_model=MemberRead)
def update_member(
    request: Request,
    session: DbSession,
    principal: WritePrincipal,
    member: MemberDep,
    body: MemberUpdate,
) -> Response:
    member = service.update_member(session, principal=principal, member=member, data=body)
    return resource_response(request, service.to_read(member))


@router.delete("/members/{code}", status_code=204)
def delete_member(session: DbSession, principal: WritePrincipal, member: MemberDep) -> Response:
    service.delete_member(session, principal=principal, member=member)
    return Response(status_code=204)
