"""HTTP endpoints of the service catalogue: ``/services``, their history and subscribers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from kit.db import DbSession
from kit.errors import NotFound
from kit.french import quoted
from kit.http import resource_response
from kit.identity import Principal, require
from kit.openapi import created_or_replaced
from kit.pagination import Page, PageParams, build_page, page_params
from services.catalogue.common import Code, MemberCode
from services.catalogue.models import Offering, Subscription
from services.catalogue.offerings import repository, service
from services.catalogue.offerings.schemas import (
    OfferingChangeRead,
    OfferingCreate,
    OfferingRead,
    OfferingUpdate,
    SubscriptionRead,
    SubscriptionWrite,
)

router = APIRouter(tags=["services"])
Reader = Annotated[Principal, Depends(require("catalogue:read"))]
Writer = Annotated[Principal, Depends(require("catalogue:write"))]
Paging = Annotated[PageParams, Depends(page_params)]


def get_offering_or_404(code: str, session: DbSession, principal: Reader) -> Offering:
    offering = repository.get_by_code(session, code)
    allowed = service.visible_statuses(principal)
    if offering is None or (allowed is not None and offering.status not in allowed):
        raise NotFound(
            f"No service '{code}' in the catalogue",
            detail_fr=f"Aucun service du catalogue ne porte le code {quoted(code)}.",
            slug="service-not-found",
        )
    return offering


OfferingDep = Annotated[Offering, Depends(get_offering_or_404)]


def get_subscription_or_404(
    member_code: str, offering: OfferingDep, session: DbSession, principal: Reader
) -> Subscription:
    principal.ensure_member(member_code)
    subscription = repository.get_subscription(session, offering.id, member_code)
    if subscription is None:
        raise NotFound(
            f"'{member_code}' does not subscribe to '{offering.code}'",
            detail_fr=f"L'adhérent {quoted(member_code)} n'est pas abonné au service "
            f"« {offering.name} ».",
            slug="subscription-not-found",
        )

    return subscription


@router.get("/services", response_model=Page[OfferingRead])
def list_services(
    request: Request,
    response: Response,
    session: DbSession,
    principal: Reader,
    paging: Paging,
    domain: str | None = None,
    status: str | None = None,
) -> Page[OfferingRead]:
    allowed = service.visible_statuses(principal)
    statuses = [status] if status else allowed
    if allowed is not None and status and status not in allowed:
        statuses = ["-"]
    rows = repository.list_offerings(
        session, limit=paging.limit, after=paging.after, domain=domain, statuses=statuses
    )
    items, cursor = build_page(request, response, rows, limit=paging.limit, key=lambda o: [o.code])
    return Page(items=[service.to_read(o) for o in items], next_cursor=cursor)


@router.post("/services", status_code=status.HTTP_201_CREATED, response_model=OfferingRead)
def create_service(data: OfferingCreate, session: DbSession, principal: Writer) -> OfferingRead:
    return service.create_offering(session, principal=principal, data=data)


@router.get("/service-changes", response_model=Page[OfferingChangeRead])
def list_catalogue_changes(
    request: Request, response: Response, session: DbSession, principal: Reader, paging: Paging
) -> Page[OfferingChangeRead]:
    """How the catalogue evolved, oldest first, every offering together."""
    return _changes(request, response, session, principal, paging, offering_id=None)


@router.get("/services/{code}")
def get_service(request: Request, offering: OfferingDep) -> Response:
    return resource_response(request, service.to_read(offering))


@router.patch("/services/{code}", response_model=OfferingRead)
def update_service(
    data: OfferingUpdate, offering: OfferingDep, session: DbSession, principal: Writer
) -> OfferingRead:
    return service.update_offering(session, principal=principal, offering=offering, data=data)


@router.get("/services/{code}/history", response_model=Page[OfferingChangeRead])
def service_history(
    request: Request,
    response: Response,
    offering: OfferingDep,
    session: DbSession,
    principal: Reader,
    paging: Paging,
) -> Page[OfferingChangeRead]:
    return _changes(request, response, session, principal, paging, offering_id=offering.id)


def _changes(
    request: Request,
    response: Response,
    session: DbSession,
    principal: Principal,
    paging: PageParams,
    *,
    offering_id: int | None,
) -> Page[OfferingChangeRead]:
    rows = repository.list_changes(
        session,
        limit=paging.limit,
        after=paging.after,
        offering_id=offering_id,
        statuses=service.visible_statuses(principal),
    )
    items, cursor = build_page(request, response, rows, limit=paging.limit, key=lambda r: [r[0].id])
    return Page(
        items=[
            OfferingChangeRead(
                id=c.id,
                service_code=code,
                changed_at=c.changed_at,
                change=c.change,
                changes=c.changes,
                note=c.note,
            )
            for c, code in items
        ],
        next_cursor=cursor,
    )


@router.get("/services/{code}/subscribers", response_model=Page[SubscriptionRead])
def list_subscribers(
    request: Request,
    response: Response,
    offering: OfferingDep,
    session: DbSession,
    principal: Reader,
    paging: Paging,
) -> Page[SubscriptionRead]:
    """Members subscribing to the offering (a member contact sees only its own subscription)."""
    rows = repository.list_subscriptions(
        session,
        offering_id=offering.id,
        limit=paging.limit,
        after=paging.after,
        member_code=principal.member,
    )
    items, cursor = build_page(
        request, response, rows, limit=paging.limit, key=lambda s: [s.member_code]
    )
    return Page(
        items=[
            SubscriptionRead(service_code=offering.code, member_code=s.member_code, since=s.since)
            for s in items
        ],
        next_cursor=cursor,
    )


@router.get("/subscriptions", response_model=Page[SubscriptionRead])
def list_member_subscriptions(
    request: Request,
    response: Response,
    session: DbSession,
    principal: Reader,
    paging: Paging,
    member_code: MemberCode,
) -> Page[SubscriptionRead]:
    """The services a member subscribes to, by service code (a member's contact asks for its
    own member only; it sees the published catalogue's)."""
    principal.ensure_member(member_code)
    rows = repository.member_subscriptions(
        session,
        member_code=member_code,
        statuses=service.visible_statuses(principal),
        limit=paging.limit,
        after=paging.after,
    )
    items, cursor = build_page(request, response, rows, limit=paging.limit, key=lambda r: [r[1]])
    return Page(
        items=[
            SubscriptionRead(service_code=code, member_code=s.member_code, since=s.since)
            for s, code in items
        ],
        next_cursor=cursor,
    )


@router.put(
    "/services/{code}/subscribers/{member_code}",
    response_model=SubscriptionRead,
    responses=created_or_replaced(SubscriptionRead),
)
def subscribe_member(
    member_code: Code,
    data: SubscriptionWrite,
    response: Response,
    offering: OfferingDep,
    session: DbSession,
    principal: Writer,
) -> SubscriptionRead:
    result, created = service.subscribe(
        session, principal=principal, offering=offering, member_code=member_code, data=data
    )
    if created:
        response.status_code = status.HTTP_201_CREATED
    return result


@router.delete("/services/{code}/subscribers/{member_code}", status_code=204)
def unsubscribe_member(
    offering: OfferingDep,
    subscription: Annotated[Subscription, Depends(get_subscription_or_404)],
    session: DbSession,
    principal: Writer,
) -> Response:
    service.unsubscribe(session, principal=principal, subscription=subscription, offering=offering)
    return Response(status_code=204)
