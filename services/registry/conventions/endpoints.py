"""HTTP endpoints of conventions, their amendments and extensions, and members' adhesions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from kit.db import DbSession
from kit.errors import NotFound
from kit.french import quoted
from kit.http import resource_response
from kit.pagination import PageParams, build_page, page_params
from services.registry.conventions import adhesions, repository, service
from services.registry.conventions.schemas import (
    AdhesionCreate,
    AdhesionPage,
    AdhesionRead,
    AdhesionUpdate,
    AmendmentCreate,
    ConventionCreate,
    ConventionPage,
    ConventionRead,
    ConventionUpdate,
    Deadline,
    DeadlineList,
)
from services.registry.deps import MemberDep, ReadPrincipal, WritePrincipal, get_member_or_404
from services.registry.models import Convention

router = APIRouter(tags=["conventions"])


def get_convention_or_404(
    code: Annotated[str, Path(max_length=60)], session: DbSession, _: ReadPrincipal
) -> Convention:
    convention = repository.get_by_code(session, code)
    if convention is None:
        raise NotFound(
            f"No convention '{code}'",
            detail_fr=f"Aucune convention ne porte le code {quoted(code)}.",
            slug="convention-not-found",
        )

    return convention


ConventionDep = Annotated[Convention, Depends(get_convention_or_404)]
Page = Annotated[PageParams, Depends(page_params)]


@router.get("/conventions", response_model=ConventionPage)
def list_conventions(
    request: Request, response: Response, session: DbSession, _: ReadPrincipal, page: Page
) -> ConventionPage:
    after = page.after
    rows = repository.list_conventions(
        session, limit=page.limit, after=str(after[0]) if after else None
    )
    items, next_cursor = build_page(
        request, response, rows, limit=page.limit, key=lambda c: [c.code]
    )
    return ConventionPage(items=service.to_reads(session, items), next_cursor=next_cursor)


@router.post("/conventions", status_code=201, response_model=ConventionRead)
def create_convention(
    request: Request, session: DbSession, principal: WritePrincipal, body: ConventionCreate
) -> Response:
    convention = service.create_convention(session, principal=principal, data=body)
    out = resource_response(request, service.to_read(session, convention), status_code=201)
    out.headers["Location"] = f"/conventions/{convention.code}"
    return out


@router.get("/conventions/deadlines", response_model=DeadlineList)
def list_deadlines(
    session: DbSession,
    _: ReadPrincipal,
    within_days: Annotated[int, Query(ge=0, le=3660)] = 90,
    from_date: Annotated[dt.date | None, Query(alias="from")] = None,
) -> DeadlineList:
    """Notice, renewal and expiry dates falling in the next ``within_days`` days."""
    start = from_date or dt.date.today()
    found = service.deadlines(session, start=start, days=within_days)
    return DeadlineList(
        from_date=start,
        to_date=start + dt.timedelta(days=within_days),
        items=[Deadline(**d.__dict__) for d in found],
    )


@router.get("/conventions/{code}", response_model=ConventionRead)
def read_convention(request: Request, session: DbSession, convention: ConventionDep) -> Response:
    return resource_response(request, service.to_read(session, convention))


@router.patch("/conventions/{code}", response_model=ConventionRead)
def update_convention(
    request: Request,
    session: DbSession,
    principal: WritePrincipal,
    convention: ConventionDep,
    body: ConventionUpdate,
) -> Response:
    service.update_convention(session, principal=principal, convention=convention, data=body)
    return resource_response(request, service.to_read(session, convention))


@router.post("/conventions/{code}/amendments", status_code=201, response_model=ConventionRead)
def add_amendment(
    request: Request,
    session: DbSession,
    principal: WritePrincipal,
    convention: ConventionDep,
    body: AmendmentCreate,
) -> Response:
    """Record an avenant, or a prorogation (``kind=extension``) that moves the end date."""
    service.add_amendment(session, principal=principal, convention=convention, data=body)
    return resource_response(request, service.to_read(session, convention), status_code=201)


@router.get("/conventions/{code}/adhesions", response_model=AdhesionPage)
def list_adhesions(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    convention: ConventionDep,
    page: Page,
) -> AdhesionPage:
    return _adhesion_page(
        request,
        response,
        session,
        page,
        convention_id=convention.id,
        only_member_code=principal.member,
    )


@router.post("/conventions/{code}/adhesions", status_code=201, response_model=AdhesionRead)
def add_adhesion(
    session: DbSession, principal: WritePrincipal, convention: ConventionDep, body: AdhesionCreate
) -> AdhesionRead:
    return adhesions.add_adhesion(session, principal=principal, convention=convention, data=body)


@router.patch("/conventions/{code}/adhesions/{member_code}", response_model=AdhesionRead)
def update_adhesion(
    session: DbSession,
    principal: WritePrincipal,
    convention: ConventionDep,
    member_code: Annotated[str, Path(max_length=60)],
    body: AdhesionUpdate,
) -> AdhesionRead:
    member = get_member_or_404(member_code, session, principal)
    return adhesions.update_adhesion(
        session, principal=principal, convention=convention, member=member, data=body
    )


@router.get("/members/{code}/adhesions", response_model=AdhesionPage)
def list_member_adhesions(
    request: Request, response: Response, session: DbSession, member: MemberDep, page: Page
) -> AdhesionPage:
    return _adhesion_page(request, response, session, page, member_id=member.id)


def _adhesion_page(
    request: Request,
    response: Response,
    session: DbSession,
    page: PageParams,
    **filters: object,
) -> AdhesionPage:
    after = page.after
    rows = repository.list_adhesions(
        session,
        limit=page.limit,
        after=[str(v) for v in after] if after else None,
        **filters,  # type: ignore[arg-type]
    )
    items, next_cursor = build_page(
        request, response, rows, limit=page.limit, key=lambda r: [r[1], r[2]]
    )
    return AdhesionPage(
        items=[adhesions.adhesion_read(a, c, m) for a, c, m in items], next_cursor=next_cursor
    )
