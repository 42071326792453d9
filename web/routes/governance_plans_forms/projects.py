"""Projects (create, edit, their own page) and the person-days they need (workload
entries)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.governance import GOV, Reader, Writer
from web.routes.governance_plans_forms.common import ERRORS, CodePath, form_page, posted
from web.session import User, api
from web.views.format import amount_from_form, date
from web.views.forms import FormErrors, check_csrf
from web.views.governance import (
    PHASES,
    PRIORITIES,
    PROJECT_STATUSES,
    ProjectRow,
    days,
)
from web.views.governance_forms import (
    CODE_HINT,
    Field,
    Form,
    decimal_text,
    french_checks,
    optional,
    refused,
    status_of,
)
from web.views.governance_labels import TEAMS, member_names, quarter_label, team_label

router = APIRouter()


async def project_fields(request: Request, *, creating: bool) -> list[Field]:
    fields = [
        Field("name", "Nom du projet", required=True),
        Field(
            "member_code",
            "Adhérent",
            "select",
            options=await member_names(request),
            hint="vide : projet mutualisé",
        ),
        Field("status", "Statut", "select", required=True, options=PROJECT_STATUSES),
        Field("priority", "Priorité", "select", required=True, options=PRIORITIES),
        Field("phase", "Phase", "select", required=True, options=PHASES),
        Field("budget", "Budget (€)", "number", hint="par exemple 12 500,00"),
        Field("starts_on", "Début", "date"),
        Field("ends_on", "Fin", "date"),
        Field("description", "Description", "textarea"),
    ]
    if creating:
        fields.insert(0, Field("code", "Code du projet", required=True, hint=CODE_HINT))
    else:
        fields.pop(1)  # a project's member does not change
    return fields


def project_form_page(
    request: Request, form: Form, code: str | None, status_code: int = 200
) -> Response:
    return form_page(
        request,
        form,
        status_code,
        heading="Modifier le projet" if code else "Nouveau projet",
        form_title="Fiche du projet",
        back_href=f"/gouvernance/projets/{code}" if code else "/gouvernance/projets",
        back_label="Le projet" if code else "Portefeuille de projets",
        prefix="projet",
        action=f"/gouvernance/projets/{code}/modifier" if code else "/gouvernance/projets",
        submit="Enregistrer le projet",
    )


def project_checks(form: Form) -> None:
    values = form.values
    code = values.get("code") or ""
    if code and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", code.strip()):
        form.errors.fields.setdefault("code", f"Code invalide ({CODE_HINT}).")
    if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
        form.errors.fields.setdefault("ends_on", "La fin précède le début.")
    if values["budget"]:
        try:
            if Decimal(amount_from_form(values["budget"])) < 0:
                form.errors.fields.setdefault("budget", "Le budget ne peut pas être négatif.")
        except InvalidOperation:
            pass
    if form.errors.fields:
        form.errors.message = ERRORS


def project_payload(values: dict[str, str]) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "name": values["name"],
        "status": values["status"],
        "priority": values["priority"],
        "phase": values["phase"],
        "budget": decimal_text(values["budget"]),
        "starts_on": values["starts_on"] or None,
        "ends_on": values["ends_on"] or None,
        "description": optional(values["description"]),
    }
    if "code" in values:
        payload["code"] = values["code"].strip()
        payload["member_code"] = values["member_code"] or None
    return payload


async def save_project(request: Request, user: User, code: str | None) -> Response:
    fields = await project_fields(request, creating=code is None)
    values = await posted(request, user, tuple(f.name for f in fields))
    form = Form(fields, values, french_checks(fields, values))
    project_checks(form)
    if form.errors:
        return project_form_page(request, form, code, 422)
    if code is None:
        answer = await api(request, "POST", f"{GOV}/projects", json=project_payload(values))
    else:
        answer = await api(request, "PATCH", f"{GOV}/projects/{code}", json=project_payload(values))
    if answer.status_code in (200, 201):
        return RedirectResponse(f"/gouvernance/projets/{answer.json()['code']}", status_code=303)
    form.errors = refused(answer, fields)
    return project_form_page(request, form, code, status_of(answer))


@router.get("/gouvernance/projets/nouveau", response_class=HTMLResponse)
async def new_project(request: Request, _user: Writer) -> Response:
    fields = await project_fields(request, creating=True)
    values = {"status": "proposed", "priority": "medium", "phase": "study"}
    return project_form_page(request, Form(fields, values), None)


@router.post("/gouvernance/projets", response_class=HTMLResponse)
async def create_project(request: Request, user: Writer) -> Response:
    return await save_project(request, user, None)


@router.get("/gouvernance/projets/{code}/modifier", response_class=HTMLResponse)
async def edit_project(request: Request, _user: Writer, code: CodePath) -> Response:
    answer = await api(request, "GET", f"{GOV}/projects/{code}")
    if answer.status_code != 200:
        return error_page(request, 404)
    item = answer.json()
    fields = await project_fields(request, creating=False)
    values = {f.name: "" if item.get(f.name) is None else str(item[f.name]) for f in fields}
    if values["budget"]:
        values["budget"] = values["budget"].replace(".", ",")
    return project_form_page(request, Form(fields, values), code)


@router.post("/gouvernance/projets/{code}/modifier", response_class=HTMLResponse)
async def update_project(request: Request, user: Writer, code: CodePath) -> Response:
    return await save_project(request, user, code)


def quarter_options(today: dt.date | None = None) -> dict[str, str]:
    year = (today or dt.date.today()).year
    return {
        f"{y}-Q{q}": quarter_label(f"{y}-Q{q}")
        for y in range(year - 1, year + 3)
        for q in range(1, 5)
    }


def team_options(lines: list[dict[str, Any]]) -> dict[str, str]:
    codes = {c for c in TEAMS if c != "infra"} | {line["team"] for line in lines}
    return dict(sorted(((c, team_label(c)) for c in codes), key=lambda kv: kv[1]))


async def project_page(
    request: Request,
    user: User,
    code: str,
    *,
    rows: list[dict[str, str]] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    answer = await api(request, "GET", f"{GOV}/projects/{code}")
    if answer.status_code != 200:
        return error_page(request, 404)
    item = answer.json()
    workload = await api(request, "GET", f"{GOV}/projects/{code}/workload")
    lines = workload.json().get("lines", []) if workload.status_code == 200 else []
    names = await member_names(request)
    if rows is None:
        rows = [
            {"team": x["team"], "quarter": x["quarter"], "days": days(x["person_days"])}
            for x in lines
        ]
        rows += [{"team": "", "quarter": "", "days": ""} for _ in range(3)]
    quarters = quarter_options()
    for x in lines:
        quarters.setdefault(x["quarter"], quarter_label(x["quarter"]))
    context = {
        "project": ProjectRow.of(item),
        "member_name": names.get(item.get("member_code") or "", "") or "mutualisé",
        "description": item.get("description") or "",
        "milestones": [
            {"name": m["name"], "due_on": date(m["due_on"]), "done_on": date(m.get("done_on"))}
            for m in item.get("milestones") or []
        ],
        "lines": [
            {
                "team": team_label(x["team"]),
                "quarter": quarter_label(x["quarter"]),
                "days": days(x["person_days"]),
            }
            for x in lines
        ],
        "rows": rows,
        "teams": team_options(lines),
        "quarters": dict(sorted(quarters.items())),
        "errors": errors or FormErrors(),
        "can_write": user.can("governance:write"),
    }
    page = "pages/governance_project.html"
    return render(request, page, page, context, status_code=status_code)


@router.get("/gouvernance/projets/{code}", response_class=HTMLResponse)
async def read_project(request: Request, user: Reader, code: CodePath) -> Response:
    return await project_page(request, user, code)


def workload_lines(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], FormErrors]:
    """The rows typed, checked in French: team and quarter together, days a number ≥ 0, one
    row per team and quarter. Empty rows are dropped (that removes a line)."""
    errors = FormErrors()
    out, seen = [], set()
    for n, row in enumerate(rows, start=1):
        if not (row["team"] or row["quarter"] or row["days"]):
            continue
        if not (row["team"] and row["quarter"] and row["days"]):
            errors.fields[f"ligne-{n}"] = (
                f"Ligne {n} : indiquez l'équipe, le trimestre et les jours."
            )
            continue
        try:
            value = Decimal(amount_from_form(row["days"]))
        except InvalidOperation:
            errors.fields[f"ligne-{n}"] = f"Ligne {n} : nombre de jours attendu (ex. 12,5)."
            continue
        if value < 0:
            errors.fields[f"ligne-{n}"] = f"Ligne {n} : le nombre de jours ne peut être négatif."
            continue
        if (row["team"], row["quarter"]) in seen:
            errors.fields[f"ligne-{n}"] = f"Ligne {n} : cette équipe a déjà une ligne ce trimestre."
            continue
        seen.add((row["team"], row["quarter"]))
        out.append({"team": row["team"], "quarter": row["quarter"], "person_days": str(value)})
    if errors.fields:
        errors.message = ERRORS
    return out, errors


@router.post("/gouvernance/projets/{code}/charge", response_class=HTMLResponse)
async def save_workload(request: Request, user: Writer, code: CodePath) -> Response:
    raw = await request.form()
    check_csrf(request, user, str(raw.get("csrf_token") or ""))
    teams, quarters, counts = (raw.getlist(k) for k in ("team", "quarter", "days"))
    rows = [
        {"team": str(t), "quarter": str(q), "days": str(d)}
        for t, q, d in zip(teams, quarters, counts, strict=False)
    ][:200]
    lines, errors = workload_lines(rows)
    if errors:
        return await project_page(request, user, code, rows=rows, errors=errors, status_code=422)
    answer = await api(request, "PUT", f"{GOV}/projects/{code}/workload", json={"lines": lines})
    if answer.status_code == 204:
        return RedirectResponse(f"/gouvernance/projets/{code}#charge", status_code=303)
    problem = refused(answer, [])
    return await project_page(
        request, user, code, rows=rows, errors=problem, status_code=status_of(answer)
    )
