"""Data-subject requests: the answer, confirmed first when it is final (dated)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.governance_gdpr_forms.common import (
    ERRORS,
    GDPR,
    ItemId,
    Reader,
    Writer,
    confirm_page,
    posted,
)
from web.session import User, api
from web.views.governance_forms import (
    Field,
    Form,
    french_checks,
    optional,
    refused,
    status_of,
)
from web.views.governance_gdpr import OUTCOMES, REQUEST_KINDS, RequestRow
from web.views.governance_labels import member_names

router = APIRouter()

ANSWER_FIELDS = [
    Field("answered_on", "Répondue le", "date", hint="vide tant que la réponse n'est pas envoyée"),
    Field("outcome", "Issue", "select", options=OUTCOMES),
    Field("extended", "Délai prolongé de deux mois (art. 12.3)", "checkbox"),
    Field("extension_reason", "Motif de la prolongation", "textarea"),
    Field("summary", "Résumé de la réponse", "textarea", hint="sans donnée personnelle"),
]


async def request_page(
    request: Request, user: User, item_id: int, form: Form | None = None, status_code: int = 200
) -> Response:
    answer = await api(request, "GET", f"{GDPR}/requests/{item_id}")
    if answer.status_code != 200:
        return error_page(request, 404)
    item = answer.json()
    if form is None:
        values = {
            f.name: "" if item.get(f.name) is None else str(item[f.name]) for f in ANSWER_FIELDS
        }
        values["extended"] = "oui" if item.get("extended") else ""
        form = Form(ANSWER_FIELDS, values)
    context = {
        "row": RequestRow.of(item, await member_names(request)),
        "item": item,
        "kinds": REQUEST_KINDS,
        "form": form,
        "final": bool(item.get("answered_on")),
        "can_write": user.can("gdpr:write"),
    }
    page = "pages/governance_gdpr_request.html"
    return render(request, page, page, context, status_code=status_code)


@router.get("/gouvernance/rgpd/demandes/{item_id}", response_class=HTMLResponse)
async def read_request(request: Request, user: Reader, item_id: ItemId) -> Response:
    return await request_page(request, user, item_id)


@router.post("/gouvernance/rgpd/demandes/{item_id}/reponse", response_class=HTMLResponse)
async def answer_request(request: Request, user: Writer, item_id: ItemId) -> Response:
    """Record the answer; an answer with its date is final and confirmed first."""
    values = await posted(request, user, tuple(f.name for f in ANSWER_FIELDS))
    form = Form(ANSWER_FIELDS, values, french_checks(ANSWER_FIELDS, values))
    if values["answered_on"] and not values["outcome"]:
        form.errors.fields.setdefault("outcome", "Indiquez l'issue de la réponse envoyée.")
    if values["extended"] == "oui" and not values["extension_reason"].strip():
        form.errors.fields.setdefault(
            "extension_reason", "Une prolongation doit être motivée (art. 12.3)."
        )
    if values["answered_on"] and values["answered_on"] > dt.date.today().isoformat():
        form.errors.fields.setdefault("answered_on", "La date de réponse ne peut être future.")
    if form.errors.fields:
        form.errors.message = ERRORS
        return await request_page(request, user, item_id, form, 422)
    back = f"/gouvernance/rgpd/demandes/{item_id}"
    if values["answered_on"] and values["confirmation"] != "oui":
        current = await api(request, "GET", f"{GDPR}/requests/{item_id}")
        if current.status_code != 200:
            return error_page(request, 404)
        item = current.json()
        if not item.get("answered_on"):
            day = dt.date.fromisoformat(values["answered_on"]).strftime("%d/%m/%Y")
            return confirm_page(
                request,
                heading="enregistrer la réponse",
                consequences=[
                    f"La demande {item['reference']} sera enregistrée comme répondue le {day}, "
                    f"issue : {OUTCOMES.get(values['outcome'], values['outcome']).lower()}.",
                    "Son délai cessera d'être suivi ; le registre des demandes gardera cette "
                    "réponse.",
                ],
                action=f"{back}/reponse",
                hidden={
                    k: values[k]
                    for k in ("answered_on", "outcome", "extended", "extension_reason", "summary")
                },
                submit="Enregistrer la réponse",
                back_href=back,
                back_label="La demande",
            )
    payload = {
        "answered_on": values["answered_on"] or None,
        "outcome": values["outcome"] or None,
        "extended": values["extended"] == "oui",
        "extension_reason": optional(values["extension_reason"]),
        "summary": optional(values["summary"]),
    }
    answer = await api(request, "PATCH", f"{GDPR}/requests/{item_id}", json=payload)
    if answer.status_code == 200:
        return RedirectResponse(back, status_code=303)
    form.errors = refused(answer, ANSWER_FIELDS)
    return await request_page(request, user, item_id, form, status_of(answer))
