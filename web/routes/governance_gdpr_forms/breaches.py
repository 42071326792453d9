"""Breaches (art. 33): declare, update, notify the CNIL and close (the last two confirmed
first), with the 72-hour clock in Paris time."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
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
    form_page,
    posted,
)
from web.session import User, api
from web.views.governance_forms import (
    Field,
    Form,
    french_checks,
    int_in,
    optional,
    refused,
    status_of,
)
from web.views.governance_gdpr import RISKS, BreachRow
from web.views.governance_labels import (
    from_local_input,
    local_input,
    local_time,
    member_names,
    now_local_input,
)

router = APIRouter()

BREACH_DETAILS = [
    Field("title", "Intitulé", required=True),
    Field("risk", "Risque pour les personnes", "select", required=True, options=RISKS),
    Field("facts", "Faits", "textarea", required=True),
    Field("effects", "Effets", "textarea"),
    Field("measures", "Mesures prises", "textarea"),
    Field("people_affected", "Personnes concernées (nombre)", "number"),
    Field(
        "controller_informed_at",
        "Responsable de traitement informé le",
        "datetime-local",
        hint="heure de Paris",
    ),
]
UPDATE_FIELDS = [
    *BREACH_DETAILS,
    Field(
        "people_informed_at",
        "Personnes concernées informées le",
        "datetime-local",
        hint="heure de Paris",
    ),
    Field("late_reason", "Motif du retard", "textarea"),
]


async def declare_fields(request: Request) -> list[Field]:
    return [
        Field("reference", "Référence", required=True, hint="lettres, chiffres et tirets"),
        Field(
            "controller_code",
            "Responsable de traitement",
            "select",
            True,
            options=await member_names(request),
        ),
        Field(
            "aware_at",
            "Connue de la DSIT le",
            "datetime-local",
            required=True,
            hint="heure de Paris ; le délai de 72 heures court à partir de là",
        ),
        *BREACH_DETAILS,
    ]


def breach_payload(fields: list[Field], values: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    for f in fields:
        text = values.get(f.name, "")
        if f.kind == "datetime-local":
            payload[f.name] = from_local_input(text) if text else None
        elif f.name == "people_affected":
            payload[f.name] = int(text) if text.strip().isdigit() else None
        elif f.required:
            payload[f.name] = text.strip()
        else:
            payload[f.name] = optional(text)
    return payload


def count_check(form: Form) -> None:
    text = form.values.get("people_affected", "").strip()
    if text and int_in(text, 0, 10**9) is None:
        form.errors.fields["people_affected"] = "Nombre entier positif attendu."
        form.errors.message = ERRORS


@router.get("/gouvernance/rgpd/violations/nouvelle", response_class=HTMLResponse)
async def new_breach(request: Request, _user: Writer) -> Response:
    fields = await declare_fields(request)
    form = Form(fields, {"aware_at": now_local_input(), "risk": "risk"})
    return declare_page(request, form)


def declare_page(request: Request, form: Form, status_code: int = 200) -> Response:
    return form_page(
        request,
        form,
        status_code,
        heading="Déclarer une violation de données",
        form_title="Violation de données personnelles",
        intro=(
            "Sauf absence de risque, la CNIL doit être notifiée dans les 72 heures après la "
            "prise de connaissance ; les heures sont celles de Paris."
        ),
        back_href="/gouvernance/rgpd/violations",
        back_label="Violations de données",
        prefix="violation",
        action="/gouvernance/rgpd/violations",
        submit="Déclarer la violation",
    )


@router.post("/gouvernance/rgpd/violations", response_class=HTMLResponse)
async def declare_breach(request: Request, user: Writer) -> Response:
    fields = await declare_fields(request)
    values = await posted(request, user, tuple(f.name for f in fields))
    form = Form(fields, values, french_checks(fields, values))
    count_check(form)
    if form.errors:
        return declare_page(request, form, 422)
    answer = await api(request, "POST", f"{GDPR}/breaches", json=breach_payload(fields, values))
    if answer.status_code == 201:
        return RedirectResponse(
            f"/gouvernance/rgpd/violations/{answer.json()['id']}", status_code=303
        )
    form.errors = refused(answer, fields)
    return declare_page(request, form, status_of(answer))


async def breach_page(
    request: Request,
    user: User,
    item_id: int,
    *,
    form: Form | None = None,
    status_code: int = 200,
) -> Response:
    answer = await api(request, "GET", f"{GDPR}/breaches/{item_id}")
    if answer.status_code != 200:
        return error_page(request, 404)
    item = answer.json()
    names = await member_names(request)
    if form is None:
        values = {f.name: item.get(f.name) for f in UPDATE_FIELDS}
        for f in UPDATE_FIELDS:
            raw = values[f.name]
            if f.kind == "datetime-local":
                values[f.name] = local_input(raw)
            else:
                values[f.name] = "" if raw is None else str(raw)
        form = Form(UPDATE_FIELDS, values)
    context = {
        "breach": BreachRow.of(item, names),
        "item": item,
        "timeline": [(t["label"], local_time(t["at"])) for t in item.get("timeline") or []],
        "form": form,
        "now": now_local_input(),
        "can_write": user.can("gdpr:write"),
    }
    page = "pages/governance_gdpr_breach.html"
    return render(request, page, page, context, status_code=status_code)


@router.get("/gouvernance/rgpd/violations/{item_id}", response_class=HTMLResponse)
async def read_breach(request: Request, user: Reader, item_id: ItemId) -> Response:
    return await breach_page(request, user, item_id)


@router.post("/gouvernance/rgpd/violations/{item_id}/modifier", response_class=HTMLResponse)
async def update_breach(request: Request, user: Writer, item_id: ItemId) -> Response:
    values = await posted(request, user, tuple(f.name for f in UPDATE_FIELDS))
    form = Form(UPDATE_FIELDS, values, french_checks(UPDATE_FIELDS, values))
    count_check(form)
    if form.errors:
        return await breach_page(request, user, item_id, form=form, status_code=422)
    payload = breach_payload(UPDATE_FIELDS, values)
    answer = await api(request, "PATCH", f"{GDPR}/breaches/{item_id}", json=payload)
    if answer.status_code == 200:
        return RedirectResponse(f"/gouvernance/rgpd/violations/{item_id}", status_code=303)
    form.errors = refused(answer, UPDATE_FIELDS)
    return await breach_page(request, user, item_id, form=form, status_code=status_of(answer))


STEPS = {
    "notification": (
        "authority_notified_at",
        "notifier la CNIL",
        "Enregistrer la notification à la CNIL",
    ),
    "cloture": ("closed_at", "clore la violation", "Clore la violation"),
}


def step_consequences(
    step: str, item: dict[str, Any], when: str, names: dict[str, str]
) -> list[str]:
    reference = item["reference"]
    controller = names.get(item["controller_code"], item["controller_code"])
    if step == "notification":
        late = dt.datetime.fromisoformat(
            from_local_input(when) or when
        ) > dt.datetime.fromisoformat(item["deadline_at"])
        lines = [
            f"La violation {reference} ({controller}) sera enregistrée comme notifiée à la CNIL "
            f"le {local_time(from_local_input(when))} (heure de Paris).",
            f"Le délai de 72 heures expirait le {local_time(item['deadline_at'])}.",
        ]
        if late:
            lines.append(
                "La notification est hors délai : le motif du retard sera exigé au registre."
            )
        lines.append(
            "Le registre des violations (art. 33.5) gardera cette date ; elle ne s'efface pas."
        )
        return lines
    return [
        f"La violation {reference} ({controller}) sera close le "
        f"{local_time(from_local_input(when))} (heure de Paris).",
        "Elle restera au registre des violations, avec sa chronologie, mais ne sera plus suivie.",
    ]


@router.post("/gouvernance/rgpd/violations/{item_id}/{step}", response_class=HTMLResponse)
async def breach_step(
    request: Request,
    user: Writer,
    item_id: ItemId,
    step: Annotated[str, Path(pattern="^(notification|cloture)$")],
) -> Response:
    """Notify the CNIL or close: first a page saying what will happen, then the change."""
    values = await posted(request, user, ("at", "late_reason"))
    answer = await api(request, "GET", f"{GDPR}/breaches/{item_id}")
    if answer.status_code != 200:
        return error_page(request, 404)
    item = answer.json()
    key, what, submit = STEPS[step]
    field = Field("at", "Date et heure", "datetime-local", required=True)
    errors = french_checks([field], values)
    if errors:
        form = Form(UPDATE_FIELDS, {})
        form.errors.message = f"Pour {what}, indiquez une date et une heure valides."
        return await breach_page(request, user, item_id, form=form, status_code=422)
    back = f"/gouvernance/rgpd/violations/{item_id}"
    if values["confirmation"] != "oui":
        return confirm_page(
            request,
            heading=what,
            consequences=step_consequences(step, item, values["at"], await member_names(request)),
            action=f"{back}/{step}",
            hidden={"at": values["at"], "late_reason": values["late_reason"]},
            submit=submit,
            back_href=back,
            back_label="La violation",
        )
    payload: dict[str, Any] = {key: from_local_input(values["at"])}
    if values["late_reason"].strip():
        payload["late_reason"] = values["late_reason"].strip()
    done = await api(request, "PATCH", f"{GDPR}/breaches/{item_id}", json=payload)
    if done.status_code == 200:
        return RedirectResponse(back, status_code=303)
    form = Form(UPDATE_FIELDS, {})
    form.errors = refused(done, UPDATE_FIELDS)
    return await breach_page(request, user, item_id, form=form, status_code=status_of(done))
