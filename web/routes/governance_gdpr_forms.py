"""Gouvernance — RGPD (back office, DPO): the processor register's entries (create, edit),
breaches (declare, update, notify the CNIL, close — the last two confirmed first, with the
72-hour clock in Paris time) and the answer to a data-subject request (confirmed when final)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.session import User, api, require_page
from web.views.forms import check_csrf
from web.views.governance_forms import (
    CODE_HINT,
    Field,
    Form,
    french_checks,
    int_in,
    optional,
    refused,
    status_of,
)
from web.views.governance_gdpr import (
    OUTCOMES,
    REQUEST_KINDS,
    RISKS,
    BreachRow,
    RequestRow,
)
from web.views.governance_labels import (
    from_local_input,
    local_input,
    local_time,
    member_names,
    now_local_input,
)

router = APIRouter()
Reader = Annotated[User, Depends(require_page("gdpr:read", staff_only=True))]
Writer = Annotated[User, Depends(require_page("gdpr:write", staff_only=True))]
GDPR = "/api/governance/gdpr"
PAGE = "pages/governance_form.html"
ItemId = Annotated[int, Path(ge=1, le=2**31)]
ERRORS = "Le formulaire contient des erreurs : corrigez les champs signalés."


async def posted(request: Request, user: User, names: tuple[str, ...]) -> dict[str, Any]:
    raw = await request.form()
    check_csrf(request, user, str(raw.get("csrf_token") or ""))
    values: dict[str, Any] = {n: str(raw.get(n) or "") for n in names}
    if "sub_processors" in names:
        values["sub_processors"] = [str(v) for v in raw.getlist("sub_processors")]
    values["confirmation"] = str(raw.get("confirmation") or "")
    return values


def form_page(request: Request, form: Form, status_code: int = 200, **context: Any) -> Response:
    return render(
        request, PAGE, PAGE, {"intro": "", "form": form, **context}, status_code=status_code
    )


def confirm_page(request: Request, **context: Any) -> Response:
    page = "pages/governance_confirm.html"
    return render(request, page, page, context)


# --- the processor register (art. 30.2) ----------------------------------------------------


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


# --- breaches (art. 33) --------------------------------------------------------------------

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


# --- data-subject requests: the answer -----------------------------------------------------

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
