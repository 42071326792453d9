"""Notifications in the back office: a member's (export for an auditor) and the development
mailbox "Courriels (développement)" where the local catch-all's mails are read (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.registry_forms import Code, Reader, submitted
from web.session import User, api, require_page
from web.views.notifications import MailRow, NotificationRow

router = APIRouter()
Admin = Annotated[User, Depends(require_page("accounts:admin", staff_only=True))]
MailId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/adherents/{code}/notifications.csv", response_class=Response)
async def export_member_notifications(request: Request, _user: Reader, code: Code) -> Response:
    """The proof of what was sent to the member, for an auditor (CSV, French headers)."""
    path = "/api/registry/notifications/export.csv"
    answer = await api(request, "GET", path, params={"member_code": code})
    if answer.status_code != 200:
        return error_page(request, 404)
    headers = {"Content-Disposition": f'attachment; filename="notifications-{code}.csv"'}
    return Response(answer.content, media_type="text/csv; charset=utf-8", headers=headers)


async def forecast_mailing(request: Request, run_id: int) -> list[tuple[str, NotificationRow]]:
    """(member code, its notification) of a forecast run's mails: when each was accepted."""
    params = {"kind": "forecast_available", "reference": f"forecast:{run_id}", "limit": "500"}
    answer = await api(request, "GET", "/api/registry/notifications", params=params)
    if answer.status_code != 200:
        return []
    items = sorted(answer.json()["items"], key=lambda n: n["member_code"])
    return [(n["member_code"], NotificationRow.of(n)) for n in items]


DeliveryId = Annotated[int, Path(ge=1, le=2**31 - 1)]


async def _delivery_of(request: Request, code: str, delivery_id: int) -> dict[str, object] | None:
    """The member's delivery and its notification's subject (None: not one of the member's)."""
    params = {"member_code": code, "limit": "500"}
    answer = await api(request, "GET", "/api/registry/notifications", params=params)
    if answer.status_code != 200:
        return None
    for notification in answer.json()["items"]:
        for delivery in notification["deliveries"]:
            if delivery["id"] == delivery_id:
                return {**delivery, "subject": notification["subject"]}
    return None


def _retry_page(request: Request, code: str, delivery: dict[str, object]) -> HTMLResponse:
    back = f"/adherents/{code}#notifications"
    context = {
        "heading": "renvoyer un courriel",
        "back_href": back,
        "back_label": "Retour à l'adhérent",
        "consequences": [
            f"Le message « {delivery['subject']} » sera envoyé à nouveau à {delivery['email']} "
            "(ou à l'adresse que l'interlocuteur a aujourd'hui), par le serveur de courriel.",
            "Les essais recommencent à zéro ; la réponse précédente du serveur reste dans le "
            "journal d'audit.",
            "Un courriel parti ne peut pas être rappelé.",
        ],
        "action": f"/adherents/{code}/envois/{delivery['id']}/renvoyer",
        "hidden": {},
        "submit": "Renvoyer le courriel",
    }
    page = "pages/governance_confirm.html"
    return render(request, page, page, context)


@router.get("/adherents/{code}/envois/{delivery_id}/renvoyer", response_class=HTMLResponse)
async def confirm_retry(
    request: Request, _user: Admin, code: Code, delivery_id: DeliveryId
) -> HTMLResponse:
    """The confirmation before a failed delivery is sent again (administrators)."""
    delivery = await _delivery_of(request, code, delivery_id)
    if delivery is None or delivery["status"] not in ("dead", "failed"):
        return error_page(request, 404)
    return _retry_page(request, code, delivery)


@router.post("/adherents/{code}/envois/{delivery_id}/renvoyer", response_model=None)
async def retry(
    request: Request, user: Admin, code: Code, delivery_id: DeliveryId
) -> HTMLResponse | RedirectResponse:
    form = await submitted(request, user)
    delivery = await _delivery_of(request, code, delivery_id)
    if delivery is None:
        return error_page(request, 404)
    if form.get("confirmation") != "oui":
        return _retry_page(request, code, delivery)
    path = f"/api/registry/notifications/deliveries/{delivery_id}/retry"
    answer = await api(request, "POST", path, headers={"Accept-Language": "fr"})
    if answer.status_code == 409:  # sent again meanwhile (a second click): its state shows
        return RedirectResponse(f"/adherents/{code}#notifications", status_code=303)
    if answer.status_code != 200:
        return error_page(request, 503)
    return RedirectResponse(f"/adherents/{code}?renvoi=1#notifications", status_code=303)


def _mailbox_on(request: Request) -> bool:
    return bool(request.app.state.settings.dev_mailbox_on)


@router.get("/courriels", response_class=HTMLResponse)
async def dev_mailbox(request: Request, _user: Admin) -> HTMLResponse:
    if not _mailbox_on(request):
        return error_page(request, 404)
    answer = await api(request, "GET", "/api/registry/dev-mailbox", params={"limit": "200"})
    context = {
        "active": answer.status_code == 200,
        "mails": [MailRow.of(m) for m in answer.json()["items"]]
        if answer.status_code == 200
        else [],
    }
    page = "pages/dev_mailbox.html"
    return render(request, page, page, context)


@router.get("/courriels/{mail_id}", response_class=HTMLResponse)
async def dev_mail(request: Request, _user: Admin, mail_id: MailId) -> HTMLResponse:
    if not _mailbox_on(request):
        return error_page(request, 404)
    answer = await api(request, "GET", f"/api/registry/dev-mailbox/{mail_id}")
    if answer.status_code != 200:
        return error_page(request, 404)
    mail = answer.json()
    context = {"mail": mail, "received": MailRow.of(mail).received}
    page = "pages/dev_mail.html"
    return render(request, page, page, context)


@router.get("/courriels/{mail_id}/pieces-jointes/{index}", response_class=Response)
async def dev_mail_attachment(
    request: Request,
    _user: Admin,
    mail_id: MailId,
    index: Annotated[int, Path(ge=0, le=100)],
) -> Response:
    from web.routes.invoices_documents import passed_on  # here: billing imports this module

    if not _mailbox_on(request):
        return error_page(request, 404)
    path = f"/api/registry/dev-mailbox/{mail_id}/attachments/{index}"
    answer = await api(request, "GET", path)
    if answer.status_code != 200:
        return error_page(request, 404)
    return passed_on(answer, answer.headers.get("content-type", "application/octet-stream"))
