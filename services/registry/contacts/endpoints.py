"""HTTP endpoints of contacts (interlocuteurs habilités), with GDPR export and erasure."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from kit.db import DbSession
from kit.errors import NotFound
from kit.http import resource_response
from kit.identity import Principal
from kit.pagination import PageParams, build_page, page_params
from services.registry.contacts import repository, service
from services.registry.contacts.schemas import (
    ContactCreate,
    ContactExport,
    ContactPage,
    ContactRead,
    ContactUpdate,
)
from services.registry.deps import GdprPrincipal, MemberDep, ReadPrincipal, WritePrincipal
from services.registry.members import repository as members_repository
from services.registry.members import service as members_service
from services.registry.models import Contact

router = APIRouter(tags=["contacts"])
Page = Annotated[PageParams, Depends(page_params)]


def _contact_or_404(
    session: DbSession, contact_id: int, principal: Principal
) -> tuple[Contact, str]:
    found = repository.get(session, contact_id)
    if found is None or not principal.can_access_member(found[1]):
        raise NotFound(
            f"No contact {contact_id}",
            detail_fr=f"Aucun interlocuteur n° {contact_id}.",
            slug="contact-not-found",
        )

    return found


def get_contact_or_404(
    contact_id: Annotated[int, Path(ge=1)], session: DbSession, principal: ReadPrincipal
) -> tuple[Contact, str]:
    return _contact_or_404(session, contact_id, principal)


def get_contact_for_gdpr(
    contact_id: Annotated[int, Path(ge=1)], session: DbSession, principal: GdprPrincipal
) -> tuple[Contact, str]:
    return _contact_or_404(session, contact_id, principal)


ContactDep = Annotated[tuple[Contact, str], Depends(get_contact_or_404)]
GdprContactDep = Annotated[tuple[Contact, str], Depends(get_contact_for_gdpr)]


def _page(
    request: Request, response: Response, rows: list[tuple[Contact, str]], limit: int
) -> ContactPage:
    items, next_cursor = build_page(request, response, rows, limit=limit, key=lambda r: [r[0].id])
    return ContactPage(items=[service.to_read(c, m) for c, m in items], next_cursor=next_cursor)


def _after(page: PageParams) -> int | None:
    after = page.after
    if not after:
        return None
    try:
        return int(after[0])
    except (TypeError, ValueError):
        return None


@router.get("/contacts", response_model=ContactPage)
def list_contacts(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    page: Page,
    email: Annotated[
        str | None, Query(max_length=254, description="Exact, case-insensitive")
    ] = None,
) -> ContactPage:
    """Contacts, optionally those with one email (the gateway's question at login)."""
    rows = repository.list_contacts(
        session,
        limit=page.limit,
        after=_after(page),
        member_code=principal.member,
        email=email.strip().lower() if email is not None else None,
    )
    return _page(request, response, list(rows), page.limit)


@router.get("/members/{code}/contacts", response_model=ContactPage)
def list_member_contacts(
    request: Request, response: Response, session: DbSession, member: MemberDep, page: Page
) -> ContactPage:
    rows = repository.list_contacts(
        session, limit=page.limit, after=_after(page), member_id=member.id
    )
    return _page(request, response, list(rows), page.limit)


@router.post("/members/{code}/contacts", status_code=201, response_model=ContactRead)
def create_contact(
    request: Request,
    session: DbSession,
    principal: WritePrincipal,
    member: MemberDep,
    body: ContactCreate,
) -> Response:
    contact = service.create_contact(session, principal=principal, member=member, data=body)
    out = resource_response(request, service.to_read(contact, member.code), status_code=201)
    out.headers["Location"] = f"/contacts/{contact.id}"
    return out


@router.get("/contacts/{contact_id}", response_model=ContactRead)
def read_contact(request: Request, found: ContactDep) -> Response:
    return resource_response(request, service.to_read(*found))


@router.patch("/contacts/{contact_id}", response_model=ContactRead)
def update_contact(
    request: Request,
    session: DbSession,
    principal: WritePrincipal,
    found: ContactDep,
    body: ContactUpdate,
) -> Response:
    contact, member_code = found
    service.update_contact(
        session, principal=principal, contact=contact, member_code=member_code, data=body
    )
    return resource_response(request, service.to_read(contact, member_code))


@router.get("/contacts/{contact_id}/export", response_model=ContactExport)
def export_contact(session: DbSession, found: GdprContactDep) -> ContactExport:
    """GDPR access and portability: everything held on this person, with its history."""
    contact, member_code = found
    member = members_repository.get_by_code(session, member_code)
    assert member is not None  # the contact's member exists (foreign key)
    read = members_service.to_read(member)
    return service.export_contact(
        session, contact=contact, member={"code": read.code, "name": read.name}
    )


@router.post("/contacts/{contact_id}/erase", response_model=ContactRead)
def erase_contact(
    session: DbSession, principal: GdprPrincipal, found: GdprContactDep
) -> ContactRead:
    """GDPR erasure: the person's data is pseudonymised here and in the history."""
    contact, member_code = found
    service.erase_contact(session, principal=principal, contact=contact, member_code=member_code)
    return service.to_read(contact, member_code)
