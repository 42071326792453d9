"""Gouvernance (back office): create and edit a meeting (agenda, attendance by members' names,
minutes) and follow a decision up (status, owner, due date, closing date)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.governance import GOV, Writer, bodies
from web.session import User, api
from web.views.forms import check_csrf
from web.views.governance import DECISION_STATUSES, MEETING_STATUSES
from web.views.governance_forms import (
    Field,
    Form,
    french_checks,
    lines,
    optional,
    refused,
    status_of,
)
from web.views.governance_labels import member_names

router = APIRouter()
MeetingId = Annotated[int, Path(ge=1, le=2**31)]
PAGE = "pages/governance_form.html"


async def meeting_fields(request: Request, *, creating: bool) -> list[Field]:
    names = await member_names(request)
    fields = [
        Field("title", "Intitulé de la séance", required=True),
        Field("held_on", "Date", "date", required=True),
        Field("location", "Lieu"),
        Field("status", "Statut", "select", required=True, options=MEETING_STATUSES),
        Field("agenda", "Ordre du jour", "lines", hint="un point par ligne"),
        Field(
            "invited_members",
            "Adhérents invités",
            "checkboxes",
            options=names,
            hint="aucun coché : séance ouverte à tous les adhérents",
        ),
        Field("present_members", "Adhérents présents", "checkboxes", options=names),
        Field("minutes", "Compte rendu", "textarea"),
    ]
    if creating:
        options = await bodies(request)
        fields.insert(0, Field("body_code", "Instance", "select", required=True, options=options))
    return fields


async def meeting_values(request: Request) -> dict[str, Any]:
    form = await request.form()
    values: dict[str, Any] = {
        k: str(form.get(k) or "")
        for k in ("body_code", "title", "held_on", "location", "status", "agenda", "minutes")
    }
    values["invited_members"] = [str(v) for v in form.getlist("invited_members")]
    values["present_members"] = [str(v) for v in form.getlist("present_members")]
    values["csrf_token"] = str(form.get("csrf_token") or "")
    return values


def meeting_payload(values: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "title": values["title"],
        "held_on": values["held_on"],
        "location": optional(values["location"]),
        "status": values["status"],
        "agenda": lines(values["agenda"]),
        "minutes": optional(values["minutes"]),
        "invited_members": values["invited_members"],
        "present_members": values["present_members"],
    }
    if values.get("body_code"):
        payload["body_code"] = values["body_code"]
    return payload


def attendance_check(form: Form) -> None:
    """A member present must have been invited (unless the meeting was open to all)."""
    invited, present = form.values["invited_members"], form.values["present_members"]
    if invited and not set(present) <= set(invited):
        form.errors.fields["present_members"] = (
            "Un adhérent présent doit avoir été invité (ou ne cochez aucun invité)."
        )
        form.errors.message = "Le formulaire contient des erreurs : corrigez les champs signalés."


def meeting_form_page(
    request: Request, form: Form, *, meeting_id: int | None, status_code: int = 200
) -> HTMLResponse:
    editing = meeting_id is not None
    context = {
        "heading": "Modifier la séance" if editing else "Nouvelle séance",
        "form_title": "Ordre du jour, présences et compte rendu",
        "intro": "",
        "back_href": f"/gouvernance/seances/{meeting_id}" if editing else "/gouvernance",
        "back_label": "La séance" if editing else "Séances",
        "prefix": "seance",
        "form": form,
        "action": (
            f"/gouvernance/seances/{meeting_id}/modifier" if editing else "/gouvernance/seances"
        ),
        "submit": "Enregistrer la séance",
    }
    return render(request, PAGE, PAGE, context, status_code=status_code)


@router.get("/gouvernance/seances/nouvelle", response_class=HTMLResponse)
async def new_meeting(request: Request, _user: Writer) -> HTMLResponse:
    fields = await meeting_fields(request, creating=True)
    values: dict[str, Any] = {"status": "planned", "invited_members": [], "present_members": []}
    return meeting_form_page(request, Form(fields, values), meeting_id=None)


async def save_meeting(request: Request, user: User, meeting_id: int | None) -> Response:
    values = await meeting_values(request)
    check_csrf(request, user, values["csrf_token"])
    fields = await meeting_fields(request, creating=meeting_id is None)
    form = Form(fields, values, french_checks(fields, values))
    attendance_check(form)
    if form.errors:
        return meeting_form_page(request, form, meeting_id=meeting_id, status_code=422)
    if meeting_id is None:
        answer = await api(request, "POST", f"{GOV}/meetings", json=meeting_payload(values))
    else:
        payload = meeting_payload(values)
        answer = await api(request, "PATCH", f"{GOV}/meetings/{meeting_id}", json=payload)
    if answer.status_code in (200, 201):
        return RedirectResponse(f"/gouvernance/seances/{answer.json()['id']}", status_code=303)
    form.errors = refused(answer, fields)
    return meeting_form_page(request, form, meeting_id=meeting_id, status_code=status_of(answer))


@router.post("/gouvernance/seances", response_class=HTMLResponse)
async def create_meeting(request: Request, user: Writer) -> Response:
    return await save_meeting(request, user, None)


@router.get("/gouvernance/seances/{meeting_id}/modifier", response_class=HTMLResponse)
async def edit_meeting(request: Request, _user: Writer, meeting_id: MeetingId) -> HTMLResponse:
    answer = await api(request, "GET", f"{GOV}/meetings/{meeting_id}")
    if answer.status_code != 200:
        return error_page(request, 404)
    item = answer.json()
    members = item.get("members") or []
    values = {
        "title": item["title"],
        "held_on": item["held_on"],
        "location": item.get("location") or "",
        "status": item["status"],
        "agenda": "\n".join(item.get("agenda") or []),
        "minutes": item.get("minutes") or "",
        "invited_members": [m["member_code"] for m in members],
        "present_members": [m["member_code"] for m in members if m.get("present")],
    }
    fields = await meeting_fields(request, creating=False)
    return meeting_form_page(request, Form(fields, values), meeting_id=meeting_id)


@router.post("/gouvernance/seances/{meeting_id}/modifier", response_class=HTMLResponse)
async def update_meeting(request: Request, user: Writer, meeting_id: MeetingId) -> Response:
    return await save_meeting(request, user, meeting_id)


DECISION_FIELDS = [
    Field("title", "Décision", required=True),
    Field("owner", "Pilote", required=True),
    Field("due_on", "Échéance", "date"),
    Field("status", "Statut", "select", required=True, options=DECISION_STATUSES),
    Field("closed_on", "Close le", "date", hint="pour une décision réalisée ou abandonnée"),
    Field("details", "Suivi et précisions", "textarea"),
]
DecisionId = Annotated[int, Path(ge=1, le=2**31)]


def decision_form_page(
    request: Request, form: Form, decision_id: int, meeting_id: int, status_code: int = 200
) -> HTMLResponse:
    context = {
        "heading": "Suivre la décision",
        "form_title": "Statut et suivi",
        "intro": "",
        "back_href": f"/gouvernance/seances/{meeting_id}#decisions",
        "back_label": "La séance",
        "prefix": "decision",
        "form": form,
        "action": f"/gouvernance/decisions/{decision_id}/modifier",
        "submit": "Enregistrer le suivi",
    }
    return render(request, PAGE, PAGE, context, status_code=status_code)


@router.get("/gouvernance/decisions/{decision_id}/modifier", response_class=HTMLResponse)
async def edit_decision(request: Request, _user: Writer, decision_id: DecisionId) -> HTMLResponse:
    answer = await api(request, "GET", f"{GOV}/decisions/{decision_id}")
    if answer.status_code != 200:
        return error_page(request, 404)
    item = answer.json()
    values = {k: item.get(k) or "" for k in ("title", "owner", "due_on", "status", "closed_on")}
    values["details"] = item.get("details") or ""
    form = Form(DECISION_FIELDS, values)
    return decision_form_page(request, form, decision_id, item["meeting_id"])


@router.post("/gouvernance/decisions/{decision_id}/modifier", response_class=HTMLResponse)
async def update_decision(request: Request, user: Writer, decision_id: DecisionId) -> Response:
    raw = await request.form()
    check_csrf(request, user, str(raw.get("csrf_token") or ""))
    values = {f.name: str(raw.get(f.name) or "") for f in DECISION_FIELDS}
    current = await api(request, "GET", f"{GOV}/decisions/{decision_id}")
    if current.status_code != 200:
        return error_page(request, 404)
    meeting_id = current.json()["meeting_id"]
    form = Form(DECISION_FIELDS, values, french_checks(DECISION_FIELDS, values))
    closing = values["status"] in ("done", "cancelled")
    if values["closed_on"] and not closing:
        form.errors.fields["closed_on"] = (
            "Une date de clôture ne vaut que pour une décision réalisée ou abandonnée."
        )
        form.errors.message = "Le formulaire contient des erreurs : corrigez les champs signalés."
    if form.errors:
        return decision_form_page(request, form, decision_id, meeting_id, 422)
    payload = {
        "title": values["title"],
        "owner": values["owner"],
        "due_on": values["due_on"] or None,
        "status": values["status"],
        "details": optional(values["details"]),
    }
    if values["closed_on"]:
        payload["closed_on"] = values["closed_on"]
    answer = await api(request, "PATCH", f"{GOV}/decisions/{decision_id}", json=payload)
    if answer.status_code == 200:
        return RedirectResponse(f"/gouvernance/seances/{meeting_id}#decisions", status_code=303)
    form.errors = refused(answer, DECISION_FIELDS)
    return decision_form_page(request, form, decision_id, meeting_id, status_of(answer))
