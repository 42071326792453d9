"""The processor register's entries (art. 30.2): create and edit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.routes.governance_gdpr_forms.common import (
    ERRORS,
    GDPR,
    ItemId,
    Writer,
    form_page,
    posted,
)
from web.session import User, api
from web.views.governance_forms import (
    CODE_HINT,
    Field,
    Form,
    french_checks,
    optional,
    refused,
    status_of,
)
from web.views.governance_labels import member_names

router = APIRouter()


async def processing_fields(request: Request, *, creating: bool) -> list[Field]:
    listed = await api(request, "GET", f"{GDPR}/sub-processors", params={"limit": "500"})
    items = listed.json().get("items", []) if listed.status_code == 200 else []
    fields = [
        Field("category_name", "Catégorie de traitement", required=True),
        Field("controller_dpo", "Délégué à la protection des données du responsable"),
        Field("processing_carried_out", "Traitements effectués", "textarea", required=True),
        Field(
            "sub_processors",
            "Sous-traitants ultérieurs",
            "checkboxes",
            options={s["code"]: s["name"] for s in items},
        ),
        Field("transfers", "Transferts hors Union européenne", "textarea"),
        Field("transfer_safeguards", "Garanties des transferts", "textarea"),
        Field("security_measures", "Mesures de sécurité", "textarea", required=True),
        Field("starts_on", "Depuis le", "date"),
        Field("ends_on", "Jusqu'au", "date"),
    ]
    if creating:
        names = await member_names(request)
        fields[:0] = [
            Field("category_code", "Code de la catégorie", required=True, hint=CODE_HINT),
            Field("controller_code", "Responsable de traitement", "select", True, options=names),
        ]
    return fields


def processing_form(
    request: Request, form: Form, item_id: int | None, status_code: int = 200
) -> Response:
    return form_page(
        request,
        form,
        status_code,
        heading="Modifier une entrée du registre" if item_id else "Nouvelle entrée du registre",
        form_title="Activité de traitement pour le compte d'un adhérent",
        back_href="/gouvernance/rgpd",
        back_label="Registre des traitements",
        prefix="traitement",
        action=(
            f"/gouvernance/rgpd/traitements/{item_id}/modifier"
            if item_id
            else "/gouvernance/rgpd/traitements"
        ),
        submit="Enregistrer l'entrée",
    )


async def save_processing(request: Request, user: User, item_id: int | None) -> Response:
    fields = await processing_fields(request, creating=item_id is None)
    values = await posted(request, user, tuple(f.name for f in fields))
    form = Form(fields, values, french_checks(fields, values))
    if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
        form.errors.fields.setdefault("ends_on", "La fin précède le début.")
        form.errors.message = ERRORS
    if form.errors:
        return processing_form(request, form, item_id, 422)
    payload = {
        f.name: values[f.name] if f.kind == "checkboxes" else optional(values[f.name])
        for f in fields
    }
    if item_id is None:
        answer = await api(request, "POST", f"{GDPR}/processing", json=payload)
    else:
        answer = await api(request, "PATCH", f"{GDPR}/processing/{item_id}", json=payload)
    if answer.status_code in (200, 201):
        return RedirectResponse("/gouvernance/rgpd", status_code=303)
    form.errors = refused(answer, fields)
    return processing_form(request, form, item_id, status_of(answer))


@router.get("/gouvernance/rgpd/traitements/nouveau", response_class=HTMLResponse)
async def new_processing(request: Request, _user: Writer) -> Response:
    fields = await processing_fields(request, creating=True)
    return processing_form(request, Form(fields, {"sub_processors": []}), None)


@router.post("/gouvernance/rgpd/traitements", response_class=HTMLResponse)
async def create_processing(request: Request, user: Writer) -> Response:
    return await save_processing(request, user, None)


@router.get("/gouvernance/rgpd/traitements/{item_id}/modifier", response_class=HTMLResponse)
async def edit_processing(request: Request, _user: Writer, item_id: ItemId) -> Response:
    answer = await api(request, "GET", f"{GDPR}/processing/{item_id}")
    if answer.status_code != 200:
        return error_page(request, 404)
    item = answer.json()
    fields = await processing_fields(request, creating=False)
    values: dict[str, Any] = {f.name: item.get(f.name) or "" for f in fields}
    values["sub_processors"] = item.get("sub_processors") or []
    return processing_form(request, Form(fields, values), item_id)


@router.post("/gouvernance/rgpd/traitements/{item_id}/modifier", response_class=HTMLResponse)
async def update_processing(request: Request, user: Writer, item_id: ItemId) -> Response:
    return await save_processing(request, user, item_id)
