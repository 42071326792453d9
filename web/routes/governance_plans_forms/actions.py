"""A master-plan action's progress: its form."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.routes.governance import GOV, Writer
from web.routes.governance_plans_forms.common import ERRORS, CodePath, form_page, posted
from web.session import api
from web.views.governance import ACTION_STATUSES
from web.views.governance_forms import (
    Field,
    Form,
    french_checks,
    int_in,
    optional,
    refused,
    status_of,
)

router = APIRouter()

ACTION_FIELDS = [
    Field("title", "Intitulé", required=True),
    Field("owner", "Pilote", required=True),
    Field("status", "Statut", "select", required=True, options=ACTION_STATUSES),
    Field("progress", "Avancement (%)", "number", required=True, hint="de 0 à 100"),
    Field("starts_on", "Début", "date"),
    Field("ends_on", "Échéance", "date"),
    Field("description", "Description", "textarea"),
]


def action_page(request: Request, code: str, form: Form, status_code: int = 200) -> Response:
    return form_page(
        request,
        form,
        status_code,
        heading="Avancement de l'action",
        form_title=form.values.get("title") or "Action",
        back_href=f"/gouvernance/schemas-directeurs/actions/{code}",
        back_label="L'action",
        prefix="action",
        action=f"/gouvernance/schemas-directeurs/actions/{code}/modifier",
        submit="Enregistrer l'avancement",
    )


@router.get("/gouvernance/schemas-directeurs/actions/{code}/modifier", response_class=HTMLResponse)
async def edit_action(request: Request, _user: Writer, code: CodePath) -> Response:
    answer = await api(request, "GET", f"{GOV}/master-plans/actions/{code}")
    if answer.status_code != 200:
        return error_page(request, 404)
    item = answer.json()
    values = {f.name: "" if item.get(f.name) is None else str(item[f.name]) for f in ACTION_FIELDS}
    return action_page(request, code, Form(ACTION_FIELDS, values))


@router.post("/gouvernance/schemas-directeurs/actions/{code}/modifier", response_class=HTMLResponse)
async def update_action(request: Request, user: Writer, code: CodePath) -> Response:
    values = await posted(request, user, tuple(f.name for f in ACTION_FIELDS))
    form = Form(ACTION_FIELDS, values, french_checks(ACTION_FIELDS, values))
    progress = int_in(values["progress"], 0, 100)
    if values["progress"] and progress is None and "progress" not in form.errors.fields:
        form.errors.fields["progress"] = "L'avancement est un nombre entier de 0 à 100."
    if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
        form.errors.fields.setdefault("ends_on", "L'échéance précède le début.")
    if form.errors.fields:
        form.errors.message = ERRORS
        return action_page(request, code, form, 422)
    payload = {
        "title": values["title"],
        "owner": values["owner"],
        "status": values["status"],
        "progress": progress,
        "starts_on": values["starts_on"] or None,
        "ends_on": values["ends_on"] or None,
        "description": optional(values["description"]),
    }
    answer = await api(request, "PATCH", f"{GOV}/master-plans/actions/{code}", json=payload)
    if answer.status_code == 200:
        return RedirectResponse(f"/gouvernance/schemas-directeurs/actions/{code}", status_code=303)
    form.errors = refused(answer, ACTION_FIELDS)
    return action_page(request, code, form, status_of(answer))
