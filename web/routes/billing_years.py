"""Exercices et historique (back office): each fiscal year's payroll envelope and cap, set by
a form, and the billed operating totals imported for the years before Mutualis."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.rendering import render
from web.session import User, api, require_page
from web.views.format import amount_from_form, euros
from web.views.forms import FormErrors, check_csrf, problem_errors
from web.views.pager import Pages, pager

router = APIRouter()
Reader = Annotated[User, Depends(require_page("billing:read", staff_only=True))]
Writer = Annotated[User, Depends(require_page("billing:write", staff_only=True))]
YEAR_FIELDS = ("fiscal_year", "payroll_envelope", "cap", "enabled", "window")
EMPTY_FORM = {"fiscal_year": "", "payroll_envelope": "", "cap_enabled": True, "window": "3"}


def year_row(item: dict[str, Any]) -> dict[str, Any]:
    cap = item["cap"]
    return {
        "fiscal_year": item["fiscal_year"],
        "envelope": euros(item["payroll_envelope"]),
        "cap": (
            f"oui, moyenne de {', '.join(str(y) for y in cap['years'])}"
            if cap["enabled"]
            else "non"
        ),
    }


async def history_context(
    request: Request, *, fiscal_year: str, member_code: str, cursor: str, pages: str = ""
) -> dict[str, Any]:
    filters = {
        "fiscal_year": fiscal_year if fiscal_year.isdigit() else "",
        "member_code": member_code,
    }
    params = {k: v for k, v in {**filters, "cursor": cursor, "limit": "50"}.items() if v}
    answer = await api(request, "GET", "/api/billing/history", params=params)
    body = answer.json() if answer.status_code == 200 else {"items": []}
    return {
        "history": [
            {
                "fiscal_year": h["fiscal_year"],
                "member_code": h["member_code"],
                "total": euros(h["operating_total"]),
                "source": h.get("source", ""),
            }
            for h in body["items"]
        ],
        "total": body.get("total"),
        **pager(cursor=cursor, pages=pages, next_cursor=body.get("next_cursor"), filters=filters),
    }


async def years_page(
    request: Request,
    user: User,
    *,
    fiscal_year: str = "",
    member_code: str = "",
    cursor: str = "",
    pages: str = "",
    form: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = await history_context(
        request, fiscal_year=fiscal_year, member_code=member_code, cursor=cursor, pages=pages
    )
    answer = await api(request, "GET", "/api/billing/fiscal-years", params={"limit": "100"})
    years = answer.json().get("items", []) if answer.status_code == 200 else []
    context.update(
        years=[year_row(item) for item in years],
        can_write=user.can("billing:write"),
        form=form or EMPTY_FORM,
        errors=errors or FormErrors(),
    )
    return render(
        request,
        "pages/billing_years.html",
        "partials/billing_history_table.html",
        context,
        status_code=status_code,
    )


@router.get("/facturation/exercices", response_class=HTMLResponse)
async def list_years(
    request: Request,
    user: Reader,
    fiscal_year: Annotated[str, Query(max_length=10)] = "",
    member_code: Annotated[str, Query(max_length=80)] = "",
    cursor: Annotated[str, Query(max_length=500)] = "",
    pages: Pages = "",
) -> HTMLResponse:
    return await years_page(
        request,
        user,
        fiscal_year=fiscal_year,
        member_code=member_code,
        cursor=cursor,
        pages=pages,
    )


@router.post("/facturation/exercices", response_class=HTMLResponse)
async def set_year(
    request: Request,
    user: Writer,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    fiscal_year: Annotated[str, Form(max_length=10)] = "",
    payroll_envelope: Annotated[str, Form(max_length=40)] = "",
    cap_enabled: Annotated[str, Form(max_length=10)] = "",
    window: Annotated[str, Form(max_length=4)] = "3",
) -> Response:
    check_csrf(request, user, csrf_token)
    form = {
        "fiscal_year": fiscal_year,
        "payroll_envelope": payroll_envelope,
        "cap_enabled": bool(cap_enabled),
        "window": window,
    }
    errors = FormErrors()
    if not (fiscal_year.isdigit() and len(fiscal_year) == 4):
        errors.fields["fiscal_year"] = "Indiquez l'année sur quatre chiffres."
    if not window.isdigit():
        errors.fields["window"] = "Indiquez un nombre d'années."
    amount = amount_from_form(payroll_envelope)
    if not errors:
        payload = {
            "payroll_envelope": amount,
            "cap": {"enabled": bool(cap_enabled), "window": int(window)},
        }
        answer = await api(request, "PUT", f"/api/billing/fiscal-years/{fiscal_year}", json=payload)
        if answer.status_code in (200, 201):
            return RedirectResponse("/facturation/exercices", status_code=303)
        errors = problem_errors(answer, YEAR_FIELDS)
        if "cap" in errors.fields:
            errors.fields.setdefault("window", errors.fields.pop("cap"))
        if "enabled" in errors.fields:
            errors.fields.setdefault("window", errors.fields.pop("enabled"))
    return await years_page(request, user, form=form, errors=errors, status_code=422)
