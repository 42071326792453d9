"""HTTP endpoints of the staffing references: ``/staffing/profiles`` (reference yearly employer
costs per profile) and ``/staffing/needs`` (per catalogue service, the share of a post of each
profile a body of a given size needs). Everyone reads them; the DSIT writes them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from kit.db import DbSession
from kit.errors import NotFound
from kit.french import quoted
from kit.http import resource_response
from kit.identity import Principal, require
from kit.pagination import Page, PageParams, after_id, build_page, page_params
from services.catalogue.common import Code
from services.catalogue.models import StaffingNeed, StaffingProfile
from services.catalogue.staffing import repository, service
from services.catalogue.staffing.schemas import (
    NeedCreate,
    NeedRead,
    NeedUpdate,
    ProfileCreate,
    ProfileRead,
    ProfileUpdate,
)

router = APIRouter(prefix="/staffing", tags=["staffing"])
Reader = Annotated[Principal, Depends(require("catalogue:read"))]
Writer = Annotated[Principal, Depends(require("catalogue:write"))]
Paging = Annotated[PageParams, Depends(page_params)]


def get_profile_or_404(
    code: Annotated[str, Path(max_length=80)], session: DbSession, _principal: Reader
) -> StaffingProfile:
    profile = repository.profile_by_code(session, code)
    if profile is None:
        raise NotFound(
            f"No staffing profile '{code}'",
            detail_fr=f"Aucun profil ne porte le code {quoted(code)}.",
            slug="profile-not-found",
        )
    return profile


def get_need_or_404(
    need_id: Annotated[int, Path(ge=1, le=2**31)], session: DbSession, _principal: Reader
) -> StaffingNeed:
    need = repository.need(session, need_id)
    if need is None:
        raise NotFound(
            f"No staffing need {need_id}",
            detail_fr=f"Le besoin n° {need_id} n'existe pas.",
            slug="need-not-found",
        )
    return need


ProfileDep = Annotated[StaffingProfile, Depends(get_profile_or_404)]
NeedDep = Annotated[StaffingNeed, Depends(get_need_or_404)]


@router.get("/profiles", response_model=Page[ProfileRead])
def list_profiles(
    request: Request, response: Response, session: DbSession, _principal: Reader, paging: Paging
) -> Page[ProfileRead]:
    rows = repository.list_profiles(session, limit=paging.limit, after=paging.after)
    items, cursor = build_page(request, response, rows, limit=paging.limit, key=lambda p: [p.code])
    return Page(items=[service.profile_read(p) for p in items], next_cursor=cursor)


@router.post("/profiles", status_code=status.HTTP_201_CREATED, response_model=ProfileRead)
def create_profile(data: ProfileCreate, session: DbSession, principal: Writer) -> ProfileRead:
    return service.create_profile(session, principal=principal, data=data)


@router.get("/profiles/{code}", response_model=ProfileRead)
def read_profile(request: Request, profile: ProfileDep) -> Response:
    return resource_response(request, service.profile_read(profile))


@router.patch("/profiles/{code}", response_model=ProfileRead)
def update_profile(
    data: ProfileUpdate, profile: ProfileDep, session: DbSession, principal: Writer
) -> ProfileRead:
    return service.update_profile(session, principal=principal, profile=profile, data=data)


@router.delete("/profiles/{code}", status_code=204)
def delete_profile(profile: ProfileDep, session: DbSession, principal: Writer) -> Response:
    service.delete_profile(session, principal=principal, profile=profile)
    return Response(status_code=204)


@router.get("/needs", response_model=Page[NeedRead])
def list_needs(
    request: Request,
    response: Response,
    session: DbSession,
    _principal: Reader,
    paging: Paging,
    service_code: Annotated[Code | None, Query()] = None,
    profile_code: Annotated[Code | None, Query()] = None,
) -> Page[NeedRead]:
    """Every need, by id; filtered on a service or a profile."""
    rows = repository.list_needs(
        session,
        limit=paging.limit,
        after=after_id(paging.after),
        service_code=service_code,
        profile_code=profile_code,
    )
    items, cursor = build_page(request, response, rows, limit=paging.limit, key=lambda n: [n.id])
    return Page(items=[service.need_read(n) for n in items], next_cursor=cursor)


@router.post("/needs", status_code=status.HTTP_201_CREATED, response_model=NeedRead)
def create_need(data: NeedCreate, session: DbSession, principal: Writer) -> NeedRead:
    return service.create_need(session, principal=principal, data=data)


@router.get("/needs/{need_id}", response_model=NeedRead)
def read_need(request: Request, need: NeedDep) -> Response:
    return resource_response(request, service.need_read(need))


@router.patch("/needs/{need_id}", response_model=NeedRead)
def update_need(data: NeedUpdate, need: NeedDep, session: DbSession, principal: Writer) -> NeedRead:
    return service.update_need(session, principal=principal, need=need, data=data)


@router.delete("/needs/{need_id}", status_code=204)
def delete_need(need: NeedDep, session: DbSession, principal: Writer) -> Response:
    service.delete_need(session, principal=principal, need=need)
    return Response(status_code=204)
