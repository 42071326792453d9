"""Gouvernance (back office): a master-plan action's progress, an indicator's measurements,
projects (create, edit, their own page) and the person-days they need (workload entries)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.governance import GOV, Reader, Writer
from web.session import User, api
from web.views.format import amount_from_form, date
from web.views.forms import FormErrors, check_csrf
from web.views.governance import (
    ACTION_STATUSES,
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
    int_in,
    optional,
    refused,
    status_of,
)
from web.views.governance_labels import (
    TEAMS,
    member_names,
    quarter_label,
    team_label,
    value_label,
)

router = APIRouter()
PAGE = "pages/governance_form.html"
CodePath = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
ERRORS = "Le formulaire contient des erreurs : corrigez les champs signalés."


def form_page(request: Request, form: Form, status_code: int = 200, **context: Any) -> Response:
    return render(
        request, PAGE, PAGE, {"intro": "", "form": form, **context}, status_code=status_code
    )


async def posted(request: Request, user: User, names: tuple[str, ...]) -> dict[str, str]:
    raw = await request.form()
    check_csrf(request, user, str(raw.get("csrf_token") or ""))
    return {n: str(raw.get(n) or "") for n in names}


# --- actions -------------------------------------------------------------------------------

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


# --- indicators and their measurements -----------------------------------------------------


async def measurement_fields(request: Request, indicator: dict[str, Any]) -> list[Field]:
    fields = [
        Field("period", "Fin de la période mesurée", "date", required=True),
        Field(
            "member_code",
            "Adhérent",
            "select",
            options=await member_names(request),
            hint="vide : tous les adhérents ensemble",
        ),
    ]
    if indicator.get("is_rate"):
        fields += [
            Field("numerator", "Numérateur", "number"),
            Field("denominator", "Dénominateur", "number", hint="le taux en est calculé"),
        ]
    else:
        fields.append(Field("value", f"Valeur ({indicator.get('unit') or ''})", "number"))
    fields.append(Field("source", "Source de la mesure", required=True, hint="outil ou service"))
    return fields


async def indicator_page(
    request: Request, user: User, code: str, form: Form | None = None, status_code: int = 200
) -> Response:
    answer = await api(request, "GET", f"{GOV}/master-plans/indicators/{code}")
    if answer.status_code != 200:
        return error_page(request, 404)
    indicator = answer.json()
    fields = await measurement_fields(request, indicator)
    listed = await api(
        request,
        "GET",
        f"{GOV}/master-plans/indicators/{code}/measurements",
        params={"limit": "1000"},
    )
    names = await member_names(request)
    items = listed.json().get("items", []) if listed.status_code == 200 else []
    unit = indicator.get("unit") or ""
    measurements = [
        {
            "period": date(m["period"]),
            "member": names.get(m.get("member_code") or "", "Tous les adhérents"),
            "value": value_label(m.get("value"), unit),
            "source": m.get("source") or "",
        }
        for m in sorted(items, key=lambda m: m["period"], reverse=True)
    ]
    context = {
        "indicator": indicator,
        "target": value_label(indicator.get("target"), unit),
        "baseline": value_label(indicator.get("baseline"), unit),
        "measurements": measurements,
        "can_write": user.can("indicators:write"),
        "form": form or Form(fields, {"period": dt.date.today().isoformat(), "source": "DSIT"}),
    }
    page = "pages/governance_indicator.html"
    return render(request, page, page, context, status_code=status_code)


@router.get("/gouvernance/schemas-directeurs/indicateurs/{code}", response_class=HTMLResponse)
async def read_indicator(request: Request, user: Reader, code: CodePath) -> Response:
    return await indicator_page(request, user, code)


@router.post(
    "/gouvernance/schemas-directeurs/indicateurs/{code}/mesures", response_class=HTMLResponse
)
async def record_measurement(request: Request, user: Reader, code: CodePath) -> Response:
    if not user.can("indicators:write"):
        return error_page(request, 403)
    answer = await api(request, "GET", f"{GOV}/master-plans/indicators/{code}")
    if answer.status_code != 200:
        return error_page(request, 404)
    fields = await measurement_fields(request, answer.json())
    values = await posted(request, user, tuple(f.name for f in fields))
    form = Form(fields, values, french_checks(fields, values))
    measured = [n for n in ("value", "numerator", "denominator") if values.get(n)]
    if not measured and not form.errors.fields:
        name = "numerator" if "numerator" in values else "value"
        form.errors.fields[name] = "Indiquez la valeur mesurée."
    if form.errors.fields:
        form.errors.message = ERRORS
        return await indicator_page(request, user, code, form, 422)
    item: dict[str, Any] = {
        "period": values["period"],
        "member_code": values["member_code"] or None,
        "source": values["source"],
    }
    for name in measured:
        item[name] = decimal_text(values[name])
    answer = await api(
        request,
        "POST",
        f"{GOV}/master-plans/indicators/{code}/measurements",
        json={"measurements": [item]},
    )
    if answer.status_code == 200:
        return RedirectResponse(
            f"/gouvernance/schemas-directeurs/indicateurs/{code}", status_code=303
        )
    form.errors = refused(answer, fields)
    return await indicator_page(request, user, code, form, status_of(answer))


# --- projects ------------------------------------------------------------------------------


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
