"""Simulations (Refacturation): the list, a new simulation (rows of changes of every kind), its
result against the base run for every member, one member's lines, exports, rename, delete.

A member's contact reaches them from its dashboard, for its own figures (its workstations and
usage); the API shows it its own member's lines only. A simulation's URL is its share link:
whoever opens it sees it only if the API lets them (the same permissions).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.session import User, api, require_page
from web.views.format import timestamp
from web.views.forms import FormErrors, check_csrf, problem_errors, refusal_message
from web.views.simulations import (
    AMOUNTS,
    KINDS,
    MEMBER_KINDS,
    Row,
    base_label,
    change_of,
    line_row,
    member_row,
    row_of,
    rows_from_form,
)

router = APIRouter()
Reader = Annotated[User, Depends(require_page("billing:read"))]
SimulationId = Annotated[int, Path(ge=1, le=2**31)]
BASE = "/facturation/simulations"
MAX_ROWS = 50


def may_write(user: User) -> bool:
    return user.is_contact or user.can("billing:write")


async def years(request: Request) -> list[int]:
    answer = await api(request, "GET", "/api/billing/fiscal-years", params={"limit": "100"})
    items = answer.json().get("items", []) if answer.status_code == 200 else []
    return sorted((item["fiscal_year"] for item in items), reverse=True)


@router.get(BASE, response_class=HTMLResponse)
async def list_simulations(request: Request, user: Reader) -> HTMLResponse:
    answer = await api(request, "GET", "/api/billing/simulations", params={"limit": "100"})
    items = answer.json().get("items", []) if answer.status_code == 200 else []
    simulations = [
        {
            "id": s["id"],
            "name": s["name"],
            "fiscal_year": s["fiscal_year"],
            "base": base_label(s["base_run"]),
            "member_code": s["member_code"],
            "changes": len(s["changes"]),
            "updated_at": timestamp(s["updated_at"]),
        }
        for s in items
    ]
    context = {"simulations": simulations, "can_write": may_write(user)}
    return render(
        request, "pages/billing_simulations.html", "pages/billing_simulations.html", context
    )


async def base_runs(request: Request) -> list[dict[str, str]]:
    """The succeeded runs a simulation may compare with, newest first."""
    params = {"status": "succeeded", "limit": "100"}
    answer = await api(request, "GET", "/api/billing/runs", params=params)
    items = answer.json().get("items", []) if answer.status_code == 200 else []
    return [{"id": str(r["id"]), "label": base_label(r)} for r in items]


async def choices(request: Request, path: str, label: str) -> list[tuple[str, str]]:
    """(code, name) of the members or drivers, for the form's suggestions."""
    answer = await api(request, "GET", path, params={"limit": "500"})
    items = answer.json().get("items", []) if answer.status_code == 200 else []
    return [(str(i["code"]), str(i.get(label) or i["code"])) for i in items]


async def form_page(
    request: Request,
    user: User,
    *,
    form: dict[str, str],
    rows: list[Row],
    errors: FormErrors | None = None,
    simulation: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    kinds = {k: v for k, v in KINDS.items() if not user.is_contact or k in MEMBER_KINDS}
    context = {
        "form": form,
        "rows": rows,
        "kinds": kinds,
        "years": await years(request),
        "runs": [] if simulation else await base_runs(request),
        "drivers": await choices(request, "/api/catalogue/drivers", "description"),
        "members": []
        if user.is_contact
        else await choices(request, "/api/registry/members", "name"),
        "errors": errors or FormErrors(),
        "simulation": simulation,
        "action": f"{BASE}/{simulation['id']}/modifier" if simulation else BASE,
    }
    return render(
        request,
        "pages/billing_simulation_form.html",
        "pages/billing_simulation_form.html",
        context,
        status_code=status_code,
    )


@router.get(f"{BASE}/nouvelle", response_class=HTMLResponse)
async def new_simulation(request: Request, user: Reader) -> HTMLResponse:
    if not may_write(user):
        return error_page(request, 403)
    return await form_page(
        request,
        user,
        form={"name": "", "fiscal_year": "", "base_run_id": ""},
        rows=[Row() for _ in range(3)],
    )


async def read_form(request: Request, user: User) -> tuple[dict[str, str], list[Row], str]:
    data = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, user, data.get("csrf_token"))
    count = min(int(data["rows"]) if data.get("rows", "").isdigit() else 3, MAX_ROWS)
    rows = rows_from_form(data, count)
    form = {
        "name": data.get("name", "").strip(),
        "fiscal_year": data.get("fiscal_year", ""),
        "base_run_id": data.get("base_run_id", ""),
    }
    return form, rows, data.get("action", "")


def changes_of(rows: list[Row], user: User) -> list[dict[str, Any]] | None:
    """The API's changes of the filled rows; None when a row cannot be read."""
    changes, ok = [], True
    for row in rows:
        if row.empty:
            continue
        change = change_of(row, user.member if user.is_contact else None)
        if change is None:
            ok = False
        else:
            changes.append(change)
    return changes if ok else None


def api_errors(answer: Any, rows: list[Row]) -> FormErrors:
    """The API's refusal: per-change errors (``changes.N.field``) on their row of the form."""
    errors = problem_errors(answer, ("name", "fiscal_year", "base_run_id"))
    filled = [row for row in rows if not row.empty]
    try:
        items = answer.json().get("errors") or []
    except ValueError:
        items = []
    for item in items:
        parts = str(item.get("field", "")).split(".")
        if "changes" in parts:
            at = parts.index("changes")
            if at + 1 < len(parts) and parts[at + 1].isdigit() and int(parts[at + 1]) < len(filled):
                row = filled[int(parts[at + 1])]
                row.error = row.error or str(item.get("message", "Valeur refusée."))
    errors.message = errors.message or refusal_message(answer)
    return errors


@router.post(BASE, response_class=HTMLResponse)
async def create_simulation(request: Request, user: Reader) -> Response:
    form, rows, action = await read_form(request, user)
    if action == "add":
        rows.append(Row())
        return await form_page(request, user, form=form, rows=rows)
    errors = FormErrors()
    if not form["name"]:
        errors.fields["name"] = "Donnez un nom à la simulation."
    if not form["fiscal_year"].isdigit():
        errors.fields["fiscal_year"] = "Choisissez un exercice."
    changes = changes_of(rows, user)
    if not errors and changes is not None:
        body: dict[str, Any] = {
            "name": form["name"],
            "fiscal_year": int(form["fiscal_year"]),
            "changes": changes,
        }
        if form["base_run_id"].isdigit():
            body["base_run_id"] = int(form["base_run_id"])
        answer = await api(request, "POST", "/api/billing/simulations", json=body)
        if answer.status_code == 201:
            return RedirectResponse(f"{BASE}/{answer.json()['id']}", status_code=303)
        errors = api_errors(answer, rows)
    return await form_page(request, user, form=form, rows=rows, errors=errors, status_code=422)


async def get_simulation(request: Request, simulation_id: int) -> dict[str, Any] | None:
    answer = await api(request, "GET", f"/api/billing/simulations/{simulation_id}")
    return answer.json() if answer.status_code == 200 else None


@router.get(f"{BASE}/{{simulation_id}}", response_class=HTMLResponse)
async def simulation_page(
    request: Request, user: Reader, simulation_id: SimulationId
) -> HTMLResponse:
    answer = await api(request, "GET", f"/api/billing/simulations/{simulation_id}/compare")
    if answer.status_code != 200:
        return error_page(request, 404 if answer.status_code in (403, 404) else 500)
    body = answer.json()
    simulation = body["simulation"]
    totals = body.get("totals")
    context = {
        "simulation": simulation,
        "base": base_label(simulation["base_run"]),
        "members": [member_row(m) for m in body["members"]],
        "columns": AMOUNTS,
        "totals": totals,
        "share_url": str(request.url_for("simulation_page", simulation_id=simulation_id)),
        "can_write": may_write(user),
    }
    return render(
        request, "pages/billing_simulation.html", "pages/billing_simulation.html", context
    )


@router.get(f"{BASE}/{{simulation_id}}/adherents/{{code}}", response_class=HTMLResponse)
async def member_page(
    request: Request,
    _user: Reader,
    simulation_id: SimulationId,
    code: Annotated[str, Path(max_length=80)],
) -> HTMLResponse:
    answer = await api(request, "GET", f"/api/billing/simulations/{simulation_id}/compare/{code}")
    simulation = await get_simulation(request, simulation_id)
    if answer.status_code != 200 or simulation is None:
        return error_page(request, 404)
    body = answer.json()
    context = {
        "simulation": simulation,
        "base": base_label(simulation["base_run"]),
        "member": member_row(body),
        "lines": [line_row(line) for line in body["lines"]],
    }
    return render(
        request,
        "pages/billing_simulation_member.html",
        "pages/billing_simulation_member.html",
        context,
    )


@router.get(f"{BASE}/{{simulation_id}}/export.{{fmt}}")
async def export(
    request: Request,
    _user: Reader,
    simulation_id: SimulationId,
    fmt: Annotated[str, Path(pattern="^(pdf|xlsx)$")],
) -> Response:
    answer = await api(request, "GET", f"/api/billing/simulations/{simulation_id}/export.{fmt}")
    if answer.status_code != 200:
        return error_page(request, 404)
    return Response(
        answer.content,
        media_type=answer.headers.get("content-type", "application/octet-stream"),
        headers={"Content-Disposition": f'attachment; filename="simulation-{simulation_id}.{fmt}"'},
    )


@router.get(f"{BASE}/{{simulation_id}}/modifier", response_class=HTMLResponse)
async def edit_simulation(
    request: Request, user: Reader, simulation_id: SimulationId
) -> HTMLResponse:
    simulation = await get_simulation(request, simulation_id)
    if simulation is None or not may_write(user):
        return error_page(request, 404 if simulation is None else 403)
    rows = [row_of(c) for c in simulation["changes"]] + [Row()]
    form = {"name": simulation["name"], "fiscal_year": str(simulation["fiscal_year"])}
    return await form_page(request, user, form=form, rows=rows, simulation=simulation)


@router.post(f"{BASE}/{{simulation_id}}/modifier", response_class=HTMLResponse)
async def update_simulation(
    request: Request, user: Reader, simulation_id: SimulationId
) -> Response:
    simulation = await get_simulation(request, simulation_id)
    if simulation is None:
        return error_page(request, 404)
    form, rows, action = await read_form(request, user)
    form["fiscal_year"] = str(simulation["fiscal_year"])  # the base run stays
    if action == "add":
        rows.append(Row())
        return await form_page(request, user, form=form, rows=rows, simulation=simulation)
    errors = FormErrors()
    if not form["name"]:
        errors.fields["name"] = "Donnez un nom à la simulation."
    changes = changes_of(rows, user)
    if not errors and changes is not None:
        body = {"name": form["name"], "changes": changes}
        answer = await api(request, "PATCH", f"/api/billing/simulations/{simulation_id}", json=body)
        if answer.status_code == 200:
            return RedirectResponse(f"{BASE}/{simulation_id}", status_code=303)
        errors = api_errors(answer, rows)
    return await form_page(
        request, user, form=form, rows=rows, errors=errors, simulation=simulation, status_code=422
    )


@router.get(f"{BASE}/{{simulation_id}}/supprimer", response_class=HTMLResponse)
async def confirm_delete(
    request: Request, _user: Reader, simulation_id: SimulationId
) -> HTMLResponse:
    simulation = await get_simulation(request, simulation_id)
    if simulation is None:
        return error_page(request, 404)
    return render(
        request,
        "pages/billing_simulation_delete.html",
        "pages/billing_simulation_delete.html",
        {"simulation": simulation},
    )


@router.post(f"{BASE}/{{simulation_id}}/supprimer", response_class=HTMLResponse)
async def delete_simulation(
    request: Request,
    user: Reader,
    simulation_id: SimulationId,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(request, user, csrf_token)
    answer = await api(request, "DELETE", f"/api/billing/simulations/{simulation_id}")
    if answer.status_code == 204:
        return RedirectResponse(BASE, status_code=303)
    simulation = await get_simulation(request, simulation_id)
    if simulation is None:
        return error_page(request, 404)
    context = {"simulation": simulation, "error": refusal_message(answer)}
    return render(
        request,
        "pages/billing_simulation_delete.html",
        "pages/billing_simulation_delete.html",
        context,
        status_code=answer.status_code,
    )
