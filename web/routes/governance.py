"""Gouvernance (back office): meetings and their decisions, decisions followed until closed.
Master plans, portfolio, workload and the annual report are in ``governance_plans``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.session import User, api, require_page
from web.views.forms import FormErrors, check_csrf, problem_errors
from web.views.governance import (
    DECISION_STATUSES,
    DecisionRow,
    MeetingRow,
)
from web.views.governance_labels import member_names
from web.views.governance_pack import pack_section
from web.views.pager import Pages, pager

router = APIRouter()
Reader = Annotated[User, Depends(require_page("governance:read", staff_only=True))]
Writer = Annotated[User, Depends(require_page("governance:write", staff_only=True))]
Cursor = Annotated[str, Query(max_length=500)]
Code = Annotated[str, Query(pattern=r"^(|[a-z0-9][a-z0-9-]{0,79})$")]
GOV = "/api/governance"
DECISION_FIELDS = ("title", "owner", "due_on", "status", "details")


async def listing(
    request: Request,
    path: str,
    filters: dict[str, str],
    cursor: str,
    limit: int = 25,
    *,
    pages: str = "",
    extra: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One page of a governance list, with what the pager and the filters need: ``pages`` is
    the chain of cursors of the pages before this one (the first page's is empty), so the
    pager offers the previous page as well as the next."""
    params = {k: v for k, v in {**filters, "cursor": cursor, "limit": str(limit)}.items() if v}
    answer = await api(request, "GET", path, params={**params, **(extra or {})})
    body = answer.json() if answer.status_code == 200 else {"items": []}
    return {
        "items": body.get("items", []),
        "total": body.get("total"),
        **pager(cursor=cursor, pages=pages, next_cursor=body.get("next_cursor"), filters=filters),
    }


async def bodies(request: Request) -> dict[str, str]:
    answer = await api(request, "GET", f"{GOV}/bodies", params={"limit": "100"})
    items = answer.json().get("items", []) if answer.status_code == 200 else []
    return {b["code"]: b["name"] for b in items}


async def action_titles(request: Request) -> dict[str, str]:
    answer = await api(request, "GET", f"{GOV}/master-plans/actions", params={"limit": "500"})
    items = answer.json().get("items", []) if answer.status_code == 200 else []
    return {a["code"]: a["title"] for a in items}


@router.get("/gouvernance", response_class=HTMLResponse)
async def meetings_page(
    request: Request, user: Reader, body: Code = "", cursor: Cursor = "", pages: Pages = ""
) -> HTMLResponse:
    """Meetings newest first, a page at a time, with their total."""
    page = await listing(
        request, f"{GOV}/meetings", {"body": body}, cursor, pages=pages, extra={"order": "newest"}
    )
    names = await member_names(request)
    context = {
        **page,
        "rows": [MeetingRow.of(m, names) for m in page["items"]],
        "bodies": await bodies(request),
        "can_write": user.can("governance:write"),
    }
    return render(
        request,
        "pages/governance_meetings.html",
        "partials/governance_meetings_table.html",
        context,
    )


async def meeting_page(
    request: Request,
    user: User,
    meeting_id: int,
    *,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    answer = await api(request, "GET", f"{GOV}/meetings/{meeting_id}")
    if answer.status_code != 200:
        return error_page(request, 404)
    context = {
        "meeting": MeetingRow.of(answer.json(), await member_names(request)),
        "pack": await pack_section(request, answer.json()),
        "can_write": user.can("governance:write"),
        "statuses": DECISION_STATUSES,
        "form": form or {"title": "", "owner": "", "due_on": "", "status": "open", "details": ""},
        "errors": errors or FormErrors(),
    }
    page = "pages/governance_meeting.html"
    return render(request, page, page, context, status_code=status_code)


MeetingId = Annotated[int, Path(ge=1, le=2**31)]


@router.get("/gouvernance/seances/{meeting_id}", response_class=HTMLResponse)
async def read_meeting(request: Request, user: Reader, meeting_id: MeetingId) -> HTMLResponse:
    return await meeting_page(request, user, meeting_id)


@router.post("/gouvernance/seances/{meeting_id}/decisions", response_class=HTMLResponse)
async def add_decision(
    request: Request,
    user: Writer,
    meeting_id: MeetingId,
    title: Annotated[str, Form(max_length=400)] = "",
    owner: Annotated[str, Form(max_length=300)] = "",
    due_on: Annotated[str, Form(max_length=20)] = "",
    status: Annotated[str, Form(max_length=20)] = "open",
    details: Annotated[str, Form(max_length=20_000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Record a decision; the API's refusals come back next to their fields."""
    check_csrf(request, user, csrf_token)
    form = {"title": title, "owner": owner, "due_on": due_on, "status": status, "details": details}
    payload: dict[str, Any] = {"title": title, "owner": owner, "status": status}
    if due_on:
        payload["due_on"] = due_on
    if details:
        payload["details"] = details
    answer = await api(request, "POST", f"{GOV}/meetings/{meeting_id}/decisions", json=payload)
    if answer.status_code == 201:
        return RedirectResponse(f"/gouvernance/seances/{meeting_id}#decisions", status_code=303)
    errors = problem_errors(answer, DECISION_FIELDS)
    code = 422 if answer.status_code in (400, 409, 422) else answer.status_code
    return await meeting_page(request, user, meeting_id, form=form, errors=errors, status_code=code)


@router.get("/gouvernance/decisions", response_class=HTMLResponse)
async def decisions_page(
    request: Request,
    _user: Reader,
    status: Annotated[str, Query(pattern="^(|open|in_progress|done|cancelled)$")] = "",
    overdue: Annotated[str, Query(pattern="^(|true)$")] = "",
    cursor: Cursor = "",
    pages: Pages = "",
) -> HTMLResponse:
    filters = {"status": status, "overdue": overdue}
    page = await listing(request, f"{GOV}/decisions", filters, cursor, pages=pages)
    names = await member_names(request)
    context = {
        **page,
        "rows": [DecisionRow.of(d, names) for d in page["items"]],
        "statuses": DECISION_STATUSES,
        "actions": await action_titles(request),
    }
    return render(
        request,
        "pages/governance_decisions.html",
        "partials/governance_decisions_table.html",
        context,
    )
