"""HTTP endpoints of IS components (``/components``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from kit.db import DbSession
from kit.errors import NotFound
from kit.french import quoted
from kit.http import resource_response
from kit.identity import Principal, require
from kit.pagination import PageParams, build_page, page_params
from services.catalogue.common import ComponentKind
from services.catalogue.components import repository, service
from services.catalogue.components.schemas import (
    ComponentCreate,
    ComponentPage,
    ComponentRead,
    ComponentUpdate,
)
from services.catalogue.models import Component

router = APIRouter(tags=["components"])
Reader = Annotated[Principal, Depends(require("catalogue:read"))]
Writer = Annotated[Principal, Depends(require("catalogue:write"))]


def get_component_or_404(code: str, session: DbSession) -> Component:
    component = repository.get_by_code(session, code)
    if component is None:
        raise NotFound(
            f"No component '{code}'",
            detail_fr=f"Aucun composant ne porte le code {quoted(code)}.",
            slug="component-not-found",
        )

    return component


ComponentDep = Annotated[Component, Depends(get_component_or_404)]


@router.get("/components", response_model=ComponentPage)
def list_components(
    request: Request,
    response: Response,
    session: DbSession,
    principal: Reader,
    paging: Annotated[PageParams, Depends(page_params)],
    kind: ComponentKind | None = None,
    service_code: str | None = None,
    source: str | None = None,
    retired: bool | None = None,
    end_of_support_before: Annotated[
        dt.date | None,
        Query(description="Components whose vendor support ends before this date (obsolescence)"),
    ] = None,
) -> ComponentPage:
    filters = {
        "kind": kind,
        "service_code": service_code,
        "source": source,
        "retired": retired,
        "end_of_support_before": end_of_support_before,
    }
    rows = repository.list_components(session, limit=paging.limit, after=paging.after, **filters)
    items, cursor = build_page(request, response, rows, limit=paging.limit, key=lambda c: [c.code])
    return ComponentPage(
        items=[service.to_read(c, member=principal.member) for c in items],
        next_cursor=cursor,
        total=repository.count_components(session, **filters),
    )


@router.post("/components", status_code=status.HTTP_201_CREATED, response_model=ComponentRead)
def create_component(data: ComponentCreate, session: DbSession, principal: Writer) -> ComponentRead:
    return service.create_component(session, principal=principal, data=data)


@router.get("/components/{code}")
def get_component(request: Request, component: ComponentDep, principal: Reader) -> Response:
    return resource_response(request, service.to_read(component, member=principal.member))


@router.patch("/components/{code}", response_model=ComponentRead)
def update_component(
    data: ComponentUpdate, component: ComponentDep, session: DbSession, principal: Writer
) -> ComponentRead:
    """Edit by hand; list in ``locked_fields`` what the next inventory load must not overwrite."""
    return service.update_component(session, principal=principal, component=component, data=data)
