"""HTTP endpoints of drivers (``/drivers``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from kit.db import DbSession
from kit.errors import NotFound
from kit.french import quoted
from kit.http import resource_response
from kit.identity import Principal, require
from kit.pagination import Page, PageParams, build_page, page_params
from services.catalogue.drivers import repository, service
from services.catalogue.drivers.schemas import DriverCreate, DriverRead, DriverUpdate
from services.catalogue.models import Driver

router = APIRouter(tags=["drivers"])
Reader = Annotated[Principal, Depends(require("catalogue:read"))]
Writer = Annotated[Principal, Depends(require("catalogue:write"))]


def get_driver_or_404(driver_code: str, session: DbSession) -> Driver:
    driver = repository.get_by_code(session, driver_code)
    if driver is None:
        raise NotFound(
            f"No driver '{driver_code}'",
            detail_fr=f"Aucun inducteur ne porte le code {quoted(driver_code)}.",
            slug="driver-not-found",
        )

    return driver


DriverDep = Annotated[Driver, Depends(get_driver_or_404)]


@router.get("/drivers", response_model=Page[DriverRead])
def list_drivers(
    request: Request,
    response: Response,
    session: DbSession,
    _principal: Reader,
    paging: Annotated[PageParams, Depends(page_params)],
) -> Page[DriverRead]:
    rows = repository.list_drivers(session, limit=paging.limit, after=paging.after)
    items, cursor = build_page(request, response, rows, limit=paging.limit, key=lambda d: [d.code])
    return Page(items=[service.to_read(d) for d in items], next_cursor=cursor)


@router.post("/drivers", status_code=status.HTTP_201_CREATED, response_model=DriverRead)
def create_driver(data: DriverCreate, session: DbSession, principal: Writer) -> DriverRead:
    return service.create_driver(session, principal=principal, data=data)


@router.get("/drivers/{driver_code}")
def get_driver(request: Request, driver: DriverDep, _principal: Reader) -> Response:
    return resource_response(request, service.to_read(driver))


@router.patch("/drivers/{driver_code}", response_model=DriverRead)
def update_driver(
    data: DriverUpdate, driver: DriverDep, session: DbSession, principal: Writer
) -> DriverRead:
    return service.update_driver(session, principal=principal, driver=driver, data=data)
