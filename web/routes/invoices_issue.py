"""Issuing the titles of a final run (back office): the BP rule and where each member's BP
stands, and the answer — what was prepared for the signature, what waits and why."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.billing import get_run
from web.routes.invoices import ISSUE_FIELDS, api_errors
from web.session import User, api, require_page
from web.views.billing import RunView
from web.views.format import euros
from web.views.forms import FormErrors, check_csrf
from web.views.invoices_issue import BP_RULE, IssueOutcome, bp_statuses

router = APIRouter()
Issuer = Annotated[User, Depends(require_page("invoices:issue", staff_only=True))]
RunId = Annotated[int, Path(ge=1, le=2**31)]


def issuable(run: dict[str, Any]) -> bool:
    return run["kind"] == "final" and run["status"] == "succeeded" and bool(run.get("is_current"))


async def calendars(request: Request, year: int) -> dict[str, str | None]:
    answer = await api(
        request, "GET", f"/api/registry/budget-calendars/{year}", params={"limit": "10000"}
    )
    items = answer.json().get("items", []) if answer.status_code == 200 else []
    return {c["member_code"]: c.get("bp_voted_on") for c in items}


async def paying_exercice(request: Request, year: int) -> int:
    """The exercice the titles would be taken on today, whose BP the rule reads (billing's
    rule and clock); the service year itself when it is not open or is prescribed."""
    answer = await api(request, "GET", "/api/billing/exercices/open", params={"service_year": year})
    return int(answer.json()["exercice"]) if answer.status_code == 200 else year


async def run_members(request: Request, run_id: int) -> list[dict[str, Any]]:
    answer = await api(
        request, "GET", f"/api/billing/runs/{run_id}/members", params={"limit": "10000"}
    )
    return list(answer.json().get("items", [])) if answer.status_code == 200 else []


async def settled_by_compensation(request: Request, year: int) -> dict[str, str]:
    """The communes settling the year through their attribution de compensation: no
    operating title for them (code → what is deducted)."""
    answer = await api(request, "GET", "/api/billing/settlements", params={"fiscal_year": year})
    items = answer.json() if answer.status_code == 200 else []
    return {s["member_code"]: euros(s["deducted"]) for s in items}


async def issue_page(
    request: Request,
    run: dict[str, Any],
    *,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    outcome: IssueOutcome | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    exercice = await paying_exercice(request, run["fiscal_year"])
    statuses = bp_statuses(
        await run_members(request, run["id"]), await calendars(request, exercice)
    )
    context = {
        "run": RunView.of(run),
        "exercice": exercice,
        "issuable": issuable(run),
        "statuses": statuses,
        "bp_rule": BP_RULE,
        "form": form or {"force_reason": "", "force": "", "forecast_reason": ""},
        "errors": errors or FormErrors(),
        "outcome": outcome,
        "settled": await settled_by_compensation(request, run["fiscal_year"]),
    }
    page = "pages/invoices_issue.html"
    return render(request, page, page, context, status_code=status_code)


@router.get("/facturation/calculs/{run_id}/titres", response_class=HTMLResponse)
async def issue_form(request: Request, _user: Issuer, run_id: RunId) -> HTMLResponse:
    run = await get_run(request, run_id)
    if run is None:
        return error_page(request, 404)
    return await issue_page(request, run)


@router.post("/facturation/calculs/{run_id}/titres", response_class=HTMLResponse)
async def issue_run(
    request: Request,
    user: Issuer,
    run_id: RunId,
    force: Annotated[str, Form(max_length=10)] = "",
    force_reason: Annotated[str, Form(max_length=2000)] = "",
    forecast_reason: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Prepare what the BP rule allows (or everything, forced with a reason) for a signatory
    to validate; the page then lists what was prepared, what waits and why. Preparing again
    only adds what was waiting.
    Without a forecast notified in time (CGCT D5211-16), a reason is asked for."""
    check_csrf(request, user, csrf_token)
    run = await get_run(request, run_id)
    if run is None:
        return error_page(request, 404)
    form = {"force": force, "force_reason": force_reason, "forecast_reason": forecast_reason}
    payload: dict[str, Any] = {}
    if force:
        payload.update(force=True, force_reason=force_reason.strip() or None)
    if forecast_reason.strip():
        payload["forecast_reason"] = forecast_reason.strip()
    answer = await api(request, "POST", f"/api/billing/runs/{run_id}/issue", json=payload)
    if answer.status_code == 200:
        outcome = IssueOutcome.of(answer.json())
        return await issue_page(request, run, form=form, outcome=outcome)
    errors = api_errors(answer, ISSUE_FIELDS)
    return await issue_page(request, run, form=form, errors=errors, status_code=422)
