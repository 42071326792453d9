"""Refacturation (back office): runs listed and launched, live progress, results, exports,
and the explanation of one member's amounts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes import notifications
from web.session import User, api, require_page
from web.views.billing import (
    KINDS,
    MEMBER_AMOUNTS,
    SECTIONS,
    STATUSES,
    MemberAmounts,
    RunView,
    explained_line,
    history_source,
)
from web.views.exports import Column, csv_response, xlsx_response
from web.views.format import euros, number
from web.views.forms import FormErrors, check_csrf, problem_errors
from web.views.pager import Pages, pager

router = APIRouter()
Reader = Annotated[User, Depends(require_page("billing:read", staff_only=True))]
Writer = Annotated[User, Depends(require_page("billing:write", staff_only=True))]
RunId = Annotated[int, Path(ge=1, le=2**31)]
LAUNCH_FIELDS = ("fiscal_year", "kind", "replacement_reason")
FINAL_RUN_EXISTS = "urn:mutualis:problem:final-run-exists"


def _problem_type(answer: Any) -> str:
    try:
        return str(answer.json().get("type", ""))
    except ValueError:
        return ""


async def fiscal_years(request: Request) -> list[int]:
    answer = await api(request, "GET", "/api/billing/fiscal-years", params={"limit": "100"})
    items = answer.json().get("items", []) if answer.status_code == 200 else []
    return sorted((item["fiscal_year"] for item in items), reverse=True)


async def runs_context(
    request: Request, *, fiscal_year: str, kind: str, status: str, cursor: str, pages: str = ""
) -> dict[str, Any]:
    filters = {"fiscal_year": fiscal_year, "kind": kind, "status": status}
    params = {k: v for k, v in {**filters, "cursor": cursor, "limit": "25"}.items() if v}
    answer = await api(request, "GET", "/api/billing/runs", params=params)
    body = answer.json() if answer.status_code == 200 else {"items": []}
    return {
        "runs": [RunView.of(item) for item in body["items"]],
        "total": body.get("total"),
        **pager(cursor=cursor, pages=pages, next_cursor=body.get("next_cursor"), filters=filters),
        "kinds": KINDS,
        "statuses": STATUSES,
    }


async def runs_page(
    request: Request,
    user: User,
    *,
    fiscal_year: str = "",
    kind: str = "",
    status: str = "",
    cursor: str = "",
    pages: str = "",
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    confirming: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = await runs_context(
        request, fiscal_year=fiscal_year, kind=kind, status=status, cursor=cursor, pages=pages
    )
    context.update(
        confirming=confirming,
        years=await fiscal_years(request),
        can_launch=user.can("billing:write"),
        form=form or {"fiscal_year": "", "kind": "forecast", "replacement_reason": ""},
        errors=errors or FormErrors(),
    )
    return render(
        request,
        "pages/billing_runs.html",
        "partials/billing_runs_table.html",
        context,
        status_code=status_code,
    )


@router.get("/facturation", response_class=HTMLResponse)
async def list_runs(
    request: Request,
    user: Reader,
    fiscal_year: Annotated[str, Query(pattern=r"^(|\d{4})$")] = "",
    kind: Annotated[str, Query(pattern="^(|forecast|final)$")] = "",
    status: Annotated[str, Query(pattern="^(|queued|running|succeeded|failed)$")] = "",
    cursor: Annotated[str, Query(max_length=500)] = "",
    pages: Pages = "",
) -> HTMLResponse:
    return await runs_page(
        request,
        user,
        fiscal_year=fiscal_year,
        kind=kind,
        status=status,
        cursor=cursor,
        pages=pages,
    )


@router.post("/facturation/calculs", response_class=HTMLResponse)
async def launch_run(
    request: Request,
    user: Writer,
    fiscal_year: Annotated[str, Form(max_length=10)] = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    replacement_reason: Annotated[str, Form(max_length=2000)] = "",
    confirm: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """A forecast is launched at once; a final run first shows what it will do (it fixes the
    year's amounts, from which titles are issued, and replaces the final run in force) and is
    launched once confirmed."""
    check_csrf(request, user, csrf_token)
    form = {"fiscal_year": fiscal_year, "kind": kind, "replacement_reason": replacement_reason}
    errors = FormErrors()
    if not fiscal_year.isdigit():
        errors.fields["fiscal_year"] = "Choisissez un exercice."
    if kind not in KINDS:
        errors.fields["kind"] = "Choisissez le type de calcul."
    if not errors and kind == "final" and not confirm:
        return await runs_page(
            request, user, form=form, confirming=await final_run_effects(request, fiscal_year)
        )
    if not errors:
        payload: dict[str, Any] = {"fiscal_year": int(fiscal_year), "kind": kind}
        if replacement_reason.strip():
            payload["replacement_reason"] = replacement_reason.strip()
        answer = await api(request, "POST", "/api/billing/runs", json=payload)
        if answer.status_code == 202:
            return RedirectResponse(f"/facturation/calculs/{answer.json()['id']}", status_code=303)
        errors = problem_errors(answer, LAUNCH_FIELDS)
        if answer.status_code == 409 and _problem_type(answer) == FINAL_RUN_EXISTS:
            errors.fields.setdefault(
                "replacement_reason",
                "Un calcul définitif existe déjà pour cet exercice : indiquez le motif "
                "de son remplacement (5 caractères au moins).",
            )
    return await runs_page(request, user, form=form, errors=errors, status_code=422)


async def final_run_effects(request: Request, fiscal_year: str) -> dict[str, Any]:
    """What a final run of the year will do: the run it replaces and the titles already
    issued from it (which a regularisation will then correct)."""
    answer = await api(
        request,
        "GET",
        "/api/billing/runs",
        params={"fiscal_year": fiscal_year, "kind": "final", "status": "succeeded", "limit": "50"},
    )
    runs = answer.json().get("items", []) if answer.status_code == 200 else []
    current = next((r for r in runs if r.get("is_current")), None)
    titles = await api(
        request, "GET", "/api/billing/invoices", params={"fiscal_year": fiscal_year, "limit": "500"}
    )
    items = titles.json().get("items", []) if titles.status_code == 200 else []
    issued = [t for t in items if t["kind"] == "title" and t["status"] in ("issued", "cancelled")]
    return {
        "fiscal_year": fiscal_year,
        "replaces": current["id"] if current else None,
        "issued_titles": len(issued),
    }


async def get_run(request: Request, run_id: int) -> dict[str, Any] | None:
    answer = await api(request, "GET", f"/api/billing/runs/{run_id}")
    return answer.json() if answer.status_code == 200 else None


async def member_results(request: Request, run_id: int) -> list[MemberAmounts]:
    """Every member's amounts, following the cursor (a few dozen members in practice)."""
    rows: list[MemberAmounts] = []
    params = {"limit": "1000"}
    while True:
        answer = await api(request, "GET", f"/api/billing/runs/{run_id}/members", params=params)
        if answer.status_code != 200:
            return rows
        body = answer.json()
        rows.extend(MemberAmounts.of(item) for item in body["items"])
        if not body.get("next_cursor"):
            return rows
        params = {"limit": "1000", "cursor": body["next_cursor"]}


@router.get("/facturation/calculs/{run_id}", response_class=HTMLResponse)
async def run_page(request: Request, _user: Reader, run_id: RunId) -> HTMLResponse:
    """The run; while it is queued or running its section polls this URL every second."""
    item = await get_run(request, run_id)
    if item is None:
        return error_page(request, 404)
    run = RunView.of(item)
    members = await member_results(request, run_id) if run.status == "succeeded" else []
    context = {"run": run, "members": members, "columns": MEMBER_AMOUNTS}
    if run.kind == "forecast" and run.status == "succeeded":  # when each member's mail left
        context["mailing"] = await notifications.forecast_mailing(request, run_id)
    return render(request, "pages/billing_run.html", "partials/billing_run_body.html", context)


EXPORT_COLUMNS = (
    Column("Code"),
    Column("Adhérent"),
    Column("Hôte"),
    Column("Facturé"),
    Column("Postes de travail"),
    *(Column(label, money=True) for _, label in MEMBER_AMOUNTS),
)


async def export_rows(request: Request, run_id: int) -> list[list[Any]] | None:
    item = await get_run(request, run_id)
    if item is None or item["status"] != "succeeded":
        return None
    answer = await api(
        request, "GET", f"/api/billing/runs/{run_id}/members", params={"limit": "10000"}
    )
    rows = []
    for m in answer.json().get("items", []):
        flags = ["oui" if m["is_host"] else "non", "oui" if m["invoiced"] else "non"]
        amounts = [m[key] for key, _ in MEMBER_AMOUNTS]
        rows.append([m["member_code"], m["name"], *flags, m.get("workstations"), *amounts])
    return rows


@router.get("/facturation/calculs/{run_id}/resultats.{fmt}")
async def export_results(
    request: Request,
    _user: Reader,
    run_id: RunId,
    fmt: Annotated[str, Path(pattern="^(csv|xlsx)$")],
) -> Response:
    rows = await export_rows(request, run_id)
    if rows is None:
        return error_page(request, 404)
    name = f"calcul-{run_id}-resultats"
    if fmt == "csv":
        return csv_response(name, EXPORT_COLUMNS, rows)
    return xlsx_response(name, f"Calcul {run_id}", EXPORT_COLUMNS, rows)


@router.get("/facturation/calculs/{run_id}/adherents/{code}", response_class=HTMLResponse)
async def explain_page(
    request: Request, _user: Reader, run_id: RunId, code: Annotated[str, Path(max_length=80)]
) -> HTMLResponse:
    answer = await api(request, "GET", f"/api/billing/runs/{run_id}/members/{code}/explain")
    item = await get_run(request, run_id)
    if answer.status_code != 200 or item is None:
        return error_page(request, 404)
    body = answer.json()
    member = await api(request, "GET", f"/api/billing/runs/{run_id}/members/{code}")
    cap = body.get("cap") or {}
    context = {
        "run": RunView.of(item),
        "code": code,
        "name": member.json().get("name", code) if member.status_code == 200 else code,
        "totals": [(label, euros(body["totals"][key])) for key, label in MEMBER_AMOUNTS],
        "investment_total": euros(body["totals"].get("investment")),
        "lines": [explained_line(line) for line in body["lines"]],
        "pools": [
            {
                "label": f"{p.get('driver_label') or p['driver_code']} — "
                f"{SECTIONS.get(p['section'], p['section']).lower()}",
                "amount": euros(p["amount"]),
                "total_usage": number(p["total_usage"]) + " " + p.get("unit", ""),
                "unit_price": number(p["unit_price"]) + "\u00a0€",
                "cost_lines": [
                    (
                        c["cost_line_id"],
                        c.get("component_name") or c["component_code"],
                        euros(c["amount"]),
                    )
                    for c in p.get("cost_lines", [])
                ],
            }
            for p in body.get("pools", [])
        ],
        "cap": {
            "ceiling": euros(cap.get("ceiling")),
            "reduction": euros(cap.get("reduction")),
            "history": [
                (h["fiscal_year"], euros(h["operating_total"]), history_source(h["source"]))
                for h in cap.get("history", [])
            ],
            "window": ", ".join(str(y) for y in cap.get("window", [])),
        }
        if cap
        else None,
        "notes": body.get("notes") or [],
        "check": body["check"],
        "check_lines": (
            euros(body["check"]["operating_lines"]),
            euros(body["check"]["investment_lines"]),
        ),
    }
    return render(request, "pages/billing_explain.html", "pages/billing_explain.html", context)
