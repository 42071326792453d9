"""Gouvernance — RGPD (back office, DPO): the processor register, breaches with their
72-hour clock, data-subject requests with their deadlines (and a form to record one)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.governance import Code, Cursor, listing
from web.session import User, api, require_page
from web.views.forms import FormErrors, check_csrf, problem_errors
from web.views.governance_gdpr import REQUEST_KINDS, BreachRow, ProcessingRow, RequestRow
from web.views.governance_labels import member_names
from web.views.pager import Pages

router = APIRouter()
Reader = Annotated[User, Depends(require_page("gdpr:read", staff_only=True))]
Writer = Annotated[User, Depends(require_page("gdpr:write", staff_only=True))]
GDPR = "/api/governance/gdpr"
REQUEST_FIELDS = (
    "reference",
    "controller_code",
    "kind",
    "received_on",
    "extended",
    "extension_reason",
)
REGISTERS = {"processing": "traitements", "breaches": "violations", "requests": "demandes"}


def gdpr_render(request: Request, name: str, context: dict[str, Any], **kw: Any) -> HTMLResponse:
    return render(
        request,
        f"pages/governance_gdpr_{name}.html",
        f"partials/governance_gdpr_{name}_table.html",
        context,
        **kw,
    )


@router.get("/gouvernance/rgpd", response_class=HTMLResponse)
async def processing_page(
    request: Request, user: Reader, controller: Code = "", cursor: Cursor = "", pages: Pages = ""
) -> HTMLResponse:
    filters = {"controller": controller}
    page = await listing(request, f"{GDPR}/processing", filters, cursor, 50, pages=pages)
    names = await member_names(request)
    context = {
        **page,
        "rows": [ProcessingRow.of(i, names) for i in page["items"]],
        "can_write": user.can("gdpr:write"),
        "members": names,
    }
    return gdpr_render(request, "processing", context)


@router.get("/gouvernance/rgpd/violations", response_class=HTMLResponse)
async def breaches_page(
    request: Request, user: Reader, controller: Code = "", cursor: Cursor = "", pages: Pages = ""
) -> HTMLResponse:
    filters = {"controller": controller}
    page = await listing(request, f"{GDPR}/breaches", filters, cursor, pages=pages)
    names = await member_names(request)
    context = {
        **page,
        "rows": [BreachRow.of(i, names) for i in page["items"]],
        "can_write": user.can("gdpr:write"),
        "members": names,
    }
    return gdpr_render(request, "breaches", context)


async def requests_page(
    request: Request,
    user: User,
    *,
    controller: str = "",
    cursor: str = "",
    pages: str = "",
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    filters = {"controller": controller}
    page = await listing(request, f"{GDPR}/requests", filters, cursor, pages=pages)
    empty = dict.fromkeys(REQUEST_FIELDS, "")
    context = {
        **page,
        "rows": [RequestRow.of(i, await member_names(request)) for i in page["items"]],
        "members": await member_names(request),
        "kinds": REQUEST_KINDS,
        "can_write": user.can("gdpr:write"),
        "form": form or {**empty, "received_on": dt.date.today().isoformat()},
        "errors": errors or FormErrors(),
    }
    return gdpr_render(request, "requests", context, status_code=status_code)


@router.get("/gouvernance/rgpd/demandes", response_class=HTMLResponse)
async def list_requests(
    request: Request, user: Reader, controller: Code = "", cursor: Cursor = "", pages: Pages = ""
) -> HTMLResponse:
    return await requests_page(request, user, controller=controller, cursor=cursor, pages=pages)


@router.post("/gouvernance/rgpd/demandes", response_class=HTMLResponse)
async def record_request(
    request: Request,
    user: Writer,
    reference: Annotated[str, Form(max_length=100)] = "",
    controller_code: Annotated[str, Form(max_length=100)] = "",
    kind: Annotated[str, Form(max_length=40)] = "",
    received_on: Annotated[str, Form(max_length=20)] = "",
    extended: Annotated[str, Form(max_length=10)] = "",
    extension_reason: Annotated[str, Form(max_length=20_000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Record a data-subject request; the API's refusals are shown next to their fields."""
    check_csrf(request, user, csrf_token)
    form = {
        "reference": reference,
        "controller_code": controller_code,
        "kind": kind,
        "received_on": received_on,
        "extended": extended,
        "extension_reason": extension_reason,
    }
    payload: dict[str, Any] = {
        "reference": reference,
        "controller_code": controller_code,
        "kind": kind,
        "received_on": received_on or None,
        "extended": extended == "true",
        "extension_reason": extension_reason or None,
    }
    answer = await api(request, "POST", f"{GDPR}/requests", json=payload)
    if answer.status_code == 201:
        return RedirectResponse("/gouvernance/rgpd/demandes", status_code=303)
    errors = problem_errors(answer, REQUEST_FIELDS)
    code = 422 if answer.status_code in (400, 409, 422) else answer.status_code
    return await requests_page(request, user, form=form, errors=errors, status_code=code)


@router.get("/gouvernance/rgpd/{register}/export.{fmt}", response_class=Response)
async def export_register(
    request: Request,
    _user: Reader,
    register: Annotated[str, Path(pattern="^(processing|breaches|requests)$")],
    fmt: Annotated[str, Path(pattern="^(csv|pdf)$")],
    controller: Code = "",
) -> Response:
    """The register's export, as governance produces it (filtered like the list)."""
    params = {"controller": controller} if controller else None
    answer = await api(request, "GET", f"{GDPR}/{register}/export.{fmt}", params=params)
    if answer.status_code != 200:
        return error_page(request, 503 if answer.status_code >= 500 else 404)
    media = "application/pdf" if fmt == "pdf" else "text/csv; charset=utf-8"
    filename = f"rgpd-{REGISTERS[register]}.{fmt}"
    return Response(
        answer.content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
