"""HTTP endpoints of notifications (the proof), contacts' opt-outs and the development mailbox."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from kit.db import DbSession
from kit.errors import NotFound
from kit.identity import Principal, require
from kit.openapi import file_responses
from kit.pagination import PageParams, after_id, build_page, page_params
from kit.tabular import csv_bytes
from services.registry.contacts.endpoints import ContactDep
from services.registry.deps import ReadPrincipal, WritePrincipal
from services.registry.models import DevMail
from services.registry.notifications import repository, service
from services.registry.notifications.devmail import read_mail
from services.registry.notifications.schemas import (
    DeliveryRead,
    KindCode,
    NotificationCreate,
    NotificationPage,
    NotificationRead,
    OptOuts,
)

router = APIRouter(tags=["notifications"])
Page = Annotated[PageParams, Depends(page_params)]
SendPrincipal = Annotated[Principal, Depends(require("notifications:send"))]
AdminPrincipal = Annotated[Principal, Depends(require("accounts:admin"))]
MemberFilter = Annotated[str | None, Query(max_length=60)]
ReferenceFilter = Annotated[str | None, Query(max_length=120)]


@router.post(
    "/notifications",
    status_code=201,
    response_model=NotificationRead,
    responses={200: {"model": NotificationRead, "description": "Already requested: the first"}},
)
def create_notification(
    request: Request, session: DbSession, principal: SendPrincipal, body: NotificationCreate
) -> Response:
    """Queue a notification to the member's contacts of the kind's role (finance officer for
    forecasts and titles, IT referent for decisions, DPO for GDPR…): rendered now, sent by the
    mail worker. The same (kind, reference, member) again answers the first one (200)."""
    public_url = request.app.state.settings.back_office_address
    notification, created = service.create_notification(
        session, principal=principal, data=body, public_url=public_url
    )
    read = service.to_reads(session, [notification])[0]
    return JSONResponse(read.model_dump(mode="json"), status_code=201 if created else 200)


def _scoped(principal: Principal, member_code: str | None) -> tuple[str | None, bool]:
    """The member filter a principal may use, and False when it asks for another member."""
    if principal.member is None:
        return member_code, True
    return principal.member, member_code in (None, principal.member)


@router.get("/notifications", response_model=NotificationPage)
def list_notifications(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    page: Page,
    member_code: MemberFilter = None,
    kind: KindCode | None = None,
    reference: ReferenceFilter = None,
) -> NotificationPage:
    """Newest first, each with its deliveries: recipient, state, attempts, the server's answer
    and when it accepted the mail (the proof); a member's contact sees its own member's."""
    member_code, allowed = _scoped(principal, member_code)
    if not allowed:
        return NotificationPage(items=[])
    rows = repository.list_notifications(
        session, limit=page.limit, after=after_id(page.after), member_code=member_code,
        kind=kind, reference=reference,
    )  # fmt: skip
    items, next_cursor = build_page(request, response, rows, limit=page.limit, key=lambda n: [n.id])
    return NotificationPage(items=service.to_reads(session, items), next_cursor=next_cursor)


@router.get(
    "/notifications/export.csv",
    response_class=Response,
    responses=file_responses("text/csv", "One row per delivery, French headers, `;`"),
)
def export_notifications(
    session: DbSession,
    principal: ReadPrincipal,
    member_code: MemberFilter = None,
    kind: KindCode | None = None,
    reference: ReferenceFilter = None,
) -> Response:
    """The proof for an auditor: every delivery with its recipient, state, the server's answer,
    when it was accepted and the attached documents' SHA-256 (at most 10,000 notifications)."""
    member_code, allowed = _scoped(principal, member_code)
    rows = repository.list_notifications(
        session, limit=10_000, member_code=member_code, kind=kind, reference=reference
    ) if allowed else []  # fmt: skip
    data = csv_bytes(service.export_rows(service.to_reads(session, rows[:10_000])))
    return Response(
        data,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="notifications.csv"'},
    )


@router.get("/notifications/{notification_id}", response_model=NotificationRead)
def read_notification(
    session: DbSession,
    principal: ReadPrincipal,
    notification_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> NotificationRead:
    found = repository.get(session, notification_id)
    if found is None or not principal.can_access_member(found.member_code):
        raise NotFound(f"No notification {notification_id}", slug="notification-not-found")
    return service.to_reads(session, [found])[0]


@router.post("/notifications/deliveries/{delivery_id}/retry", response_model=DeliveryRead)
def retry_delivery(
    session: DbSession,
    principal: AdminPrincipal,
    delivery_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> DeliveryRead:
    """Send a dead or failed delivery again (administrators): queued anew, attempts from zero,
    to the contact's current address; the mail worker sends it. 409
    ``delivery-not-retryable`` when it is not dead or failed."""
    found = repository.delivery(session, delivery_id)
    if found is None:
        raise NotFound(
            f"No delivery {delivery_id}",
            detail_fr=f"Aucun envoi n° {delivery_id}.",
            slug="delivery-not-found",
        )
    retried = service.retry_delivery(session, principal=principal, delivery=found)
    return DeliveryRead.model_validate(retried, from_attributes=True)


@router.get("/contacts/{contact_id}/notification-opt-outs", response_model=OptOuts)
def read_opt_outs(session: DbSession, found: ContactDep) -> OptOuts:
    """The kinds of notification this contact does not receive."""
    return OptOuts.model_validate(
        {"kinds": [o.kind for o in repository.opt_outs(session, found[0].id)]}
    )


@router.put("/contacts/{contact_id}/notification-opt-outs", response_model=OptOuts)
def replace_opt_outs(
    session: DbSession, principal: WritePrincipal, found: ContactDep, body: OptOuts
) -> OptOuts:
    """Replace them; a legally required kind (forecast, titles and corrections, breach
    clock) is 422 ``required_notification``."""
    principal.ensure_writes_only_its_member([found[1]])
    kinds = service.set_opt_outs(session, principal=principal, contact=found[0], kinds=body.kinds)
    return OptOuts.model_validate({"kinds": kinds})


def _dev_mailbox_on(request: Request) -> None:
    if getattr(request.app.state, "dev_mailbox", None) is None:
        raise NotFound(
            "The development mailbox is off (an SMTP server is configured, or not development).",
            slug="dev-mailbox-off",
        )


DevMailbox = Depends(_dev_mailbox_on)


def _mail_or_404(session: DbSession, mail_id: int) -> DevMail:
    mail = session.get(DevMail, mail_id)
    if mail is None:
        raise NotFound(f"No mail {mail_id} in the development mailbox", slug="dev-mail-not-found")
    return mail


MailId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/dev-mailbox", dependencies=[DevMailbox])
def list_dev_mails(
    session: DbSession,
    _admin: AdminPrincipal,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, object]:
    """What the development catch-all received, newest first (admin; 404 when it is off)."""
    from sqlalchemy import select

    rows = session.scalars(select(DevMail).order_by(DevMail.id.desc()).limit(limit)).all()
    items = [{"id": m.id, "received_at": m.received_at, "mail_from": m.mail_from,
              "rcpt_tos": m.rcpt_tos, "subject": m.subject} for m in rows]  # fmt: skip
    return {"items": items}


@router.get("/dev-mailbox/{mail_id}", dependencies=[DevMailbox])
def read_dev_mail(session: DbSession, _admin: AdminPrincipal, mail_id: MailId) -> dict[str, object]:
    mail = _mail_or_404(session, mail_id)
    read = read_mail(mail.data)
    return {"id": mail.id, "received_at": mail.received_at, "rcpt_tos": mail.rcpt_tos,
            "subject": read.subject, "from": read.sender, "to": read.to, "text": read.text,
            "html": read.html, "attachments": read.attachments}  # fmt: skip


@router.get(
    "/dev-mailbox/{mail_id}/attachments/{index}",
    dependencies=[DevMailbox],
    response_class=Response,
    responses=file_responses("application/octet-stream", "The attachment as received"),
)
def download_dev_attachment(
    session: DbSession,
    _admin: AdminPrincipal,
    mail_id: MailId,
    index: Annotated[int, Path(ge=0, le=100)],
) -> Response:
    from services.registry.notifications.devmail import attachment

    found = attachment(_mail_or_404(session, mail_id).data, index)
    if found is None:
        raise NotFound(f"No attachment {index}", slug="dev-mail-not-found")
    filename, media_type, content = found
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
