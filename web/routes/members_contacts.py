"""A member's contacts (interlocuteurs habilités): add, edit, and the GDPR erasure after a
confirmation that says what will happen."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.routes.registry_forms import FRENCH, Code, Eraser, Writer, page, submitted
from web.session import api
from web.views.forms import FormErrors
from web.views.registry import ROLES, Checks, ContactRow, api_errors

router = APIRouter()
ContactId = Annotated[int, Path(ge=1, le=2_147_483_647)]
CONTACT_FIELDS = ("first_name", "last_name", "email", "phone", "roles", "dashboard_access")
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PHONE = r"^\+?[0-9][0-9 .()-]{5,24}$"


def contact_body(form: dict[str, Any]) -> tuple[dict[str, Any], Checks]:
    c = Checks(form)
    email = c.text("email", required=True, max_length=254)
    phone = c.text("phone", max_length=30)
    roles = [str(r) for r in form.get("roles", []) if r]
    body = {
        "first_name": c.text("first_name", required=True, max_length=100),
        "last_name": c.text("last_name", required=True, max_length=100),
        "email": email,
        "phone": phone,
        "roles": roles,
        "dashboard_access": c.flag("dashboard_access"),
    }
    if email and not re.match(EMAIL, email):
        c.fail("email", "Adresse électronique invalide (ex. : prenom.nom@commune.fr).")
    if phone and not re.match(PHONE, phone):
        c.fail("phone", "Numéro de téléphone invalide (ex. : 03 83 00 00 00).")
    if any(r not in ROLES for r in roles):
        c.fail("roles", "Rôle inconnu : choisissez dans la liste.")
    return body, c


def form_page(
    request: Request,
    code: str,
    *,
    form: dict[str, Any],
    contact_id: int | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    base = f"/adherents/{code}/interlocuteurs"
    context = {
        "heading": "Modifier l'interlocuteur" if contact_id else "Nouvel interlocuteur",
        "action": f"{base}/{contact_id}/modifier" if contact_id else f"{base}/nouveau",
        "code": code,
        "form": form,
        "errors": errors or FormErrors(),
        "roles": ROLES,
    }
    return page(request, "pages/member_contact_form.html", context, status_code=status_code)


async def contact_of(request: Request, code: str, contact_id: int) -> dict[str, Any] | None:
    answer = await api(request, "GET", f"/api/registry/contacts/{contact_id}")
    if answer.status_code != 200 or answer.json().get("member_code") != code:
        return None
    return dict(answer.json())


@router.get("/adherents/{code}/interlocuteurs/nouveau", response_class=HTMLResponse)
async def new_contact(request: Request, _user: Writer, code: Code) -> HTMLResponse:
    return form_page(request, code, form={"roles": []})


@router.post("/adherents/{code}/interlocuteurs/nouveau", response_class=HTMLResponse)
async def create_contact(request: Request, user: Writer, code: Code) -> Response:
    form = await submitted(request, user, "roles")
    body, checks = contact_body(form)
    if checks.errors:
        return form_page(request, code, form=form, errors=checks.errors, status_code=422)
    answer = await api(
        request, "POST", f"/api/registry/members/{code}/contacts", json=body, headers=FRENCH
    )
    if answer.status_code != 201:
        errors = api_errors(answer, CONTACT_FIELDS)
        return form_page(request, code, form=form, errors=errors, status_code=422)
    return RedirectResponse(f"/adherents/{code}?enregistre=1#interlocuteurs", status_code=303)


@router.get("/adherents/{code}/interlocuteurs/{contact_id}/modifier", response_class=HTMLResponse)
async def edit_contact(
    request: Request, _user: Writer, code: Code, contact_id: ContactId
) -> HTMLResponse:
    contact = await contact_of(request, code, contact_id)
    if contact is None:
        return error_page(request, 404)
    return form_page(request, code, form={**contact, "phone": contact.get("phone") or ""},
                     contact_id=contact_id)  # fmt: skip


@router.post("/adherents/{code}/interlocuteurs/{contact_id}/modifier", response_class=HTMLResponse)
async def update_contact(
    request: Request, user: Writer, code: Code, contact_id: ContactId
) -> Response:
    form = await submitted(request, user, "roles")
    body, checks = contact_body(form)
    if checks.errors:
        return form_page(
            request, code, form=form, contact_id=contact_id, errors=checks.errors, status_code=422
        )
    if await contact_of(request, code, contact_id) is None:
        return error_page(request, 404)
    answer = await api(
        request, "PATCH", f"/api/registry/contacts/{contact_id}", json=body, headers=FRENCH
    )
    if answer.status_code != 200:
        errors = api_errors(answer, CONTACT_FIELDS)
        return form_page(
            request, code, form=form, contact_id=contact_id, errors=errors, status_code=422
        )
    return RedirectResponse(f"/adherents/{code}?enregistre=1#interlocuteurs", status_code=303)


@router.get("/adherents/{code}/interlocuteurs/{contact_id}/effacer", response_class=HTMLResponse)
async def confirm_erasure(
    request: Request, _user: Eraser, code: Code, contact_id: ContactId
) -> HTMLResponse:
    contact = await contact_of(request, code, contact_id)
    if contact is None:
        return error_page(request, 404)
    context = {"code": code, "contact": ContactRow.of(contact), "error": None}
    return page(request, "pages/member_contact_erase.html", context)


@router.post("/adherents/{code}/interlocuteurs/{contact_id}/effacer", response_class=HTMLResponse)
async def erase_contact(
    request: Request, user: Eraser, code: Code, contact_id: ContactId
) -> Response:
    form = await submitted(request, user)
    contact = await contact_of(request, code, contact_id)
    if contact is None:
        return error_page(request, 404)
    if form.get("confirm") != "oui":
        context = {
            "code": code,
            "contact": ContactRow.of(contact),
            "error": "Cochez la case pour confirmer l'effacement : il est irréversible.",
        }
        return page(request, "pages/member_contact_erase.html", context, status_code=422)
    answer = await api(request, "POST", f"/api/registry/contacts/{contact_id}/erase")
    if answer.status_code != 200:
        context = {"code": code, "contact": ContactRow.of(contact),
                   "error": api_errors(answer, ()).message}  # fmt: skip
        return page(request, "pages/member_contact_erase.html", context, status_code=409)
    return RedirectResponse(f"/adherents/{code}?enregistre=1#interlocuteurs", status_code=303)
