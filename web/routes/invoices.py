"""Titres de recettes (back office): the list with its filters, a title's page (content,
documents and their SHA-256), forcing a waiting title, and the correction form."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.billing import fiscal_years
from web.session import User, api, require_page
from web.views.format import amount_from_form, euros
from web.views.forms import FormErrors, check_csrf, in_french, problem_errors
from web.views.helios import error_text
from web.views.invoices import (
    CORRECTION_KINDS,
    IMPUTATION_KINDS,
    STATES,
    STATUSES,
    TitleRow,
    TitleView,
)
from web.views.invoices_issue import BP_RULE

router = APIRouter()
Reader = Annotated[User, Depends(require_page("invoices:read", staff_only=True))]
Issuer = Annotated[User, Depends(require_page("invoices:issue", staff_only=True))]
TitleId = Annotated[int, Path(ge=1, le=2**62)]
SECTIONS = {"operating": "Fonctionnement", "investment": "Investissement"}
CORRECTION_FIELDS = ("kind", "amount", "line_kind", "reason")
ISSUE_FIELDS = ("force_reason", "forecast_reason")
# the issuing rules of the accounting chain, as the finance officer reads them
ISSUE_RULES = {
    "urn:mutualis:problem:forecast-not-in-time": (
        "forecast_reason",
        "Aucune prévision de l'année n'a été notifiée aux membres avant la date limite de vote "
        "de leur budget primitif (CGCT, art. D5211-16) : indiquez le motif d'une émission "
        "malgré tout ; il sera conservé sur chaque titre.",
    ),
    "urn:mutualis:problem:claims-prescribed": (
        "",
        "Les créances de cet exercice sont prescrites (loi n° 68-1250 du 31 décembre 1968, "
        "prescription quadriennale) : aucun titre ne peut plus être émis.",
    ),
    "urn:mutualis:problem:exercice-not-open": (
        "",
        "L'exercice de ces services n'est pas encore ouvert : les titres seront émis "
        "à partir du 1er janvier.",
    ),
}


def _problem_type(answer: Any) -> str:
    try:
        return str(answer.json().get("type", ""))
    except ValueError:
        return ""


def api_errors(answer: Any, known: tuple[str, ...]) -> FormErrors:
    """The API's problem as field errors; a whole-body rule is placed on the field it names."""
    errors = problem_errors(answer, known)
    rule = ISSUE_RULES.get(_problem_type(answer))
    if rule is not None:
        field, message = rule
        if field:
            errors.fields[field] = message
            errors.message = ""
        else:
            errors.message = message
        return errors
    if answer.status_code == 422 and in_french(answer) and "amount" in known:
        # a rule on the correction as a whole (kind and amount together) is named on no
        # field: it is about the amount, shown beside it
        whole = [str(e.get("message", "")) for e in _problem_items(answer) if not e.get("field")]
        if whole and "amount" not in errors.fields:
            errors.fields["amount"] = whole[0]
    return errors


def _problem_items(answer: Any) -> list[dict[str, Any]]:
    try:
        items = answer.json().get("errors") or []
    except ValueError:
        return []
    return [e for e in items if isinstance(e, dict)]


async def members(request: Request) -> list[tuple[str, str]]:
    answer = await api(request, "GET", "/api/registry/members", params={"limit": "500"})
    items = answer.json().get("items", []) if answer.status_code == 200 else []
    return [(m["code"], m["name"]) for m in items]


@router.get("/titres", response_class=HTMLResponse)
async def list_titles(
    request: Request,
    _user: Reader,
    fiscal_year: Annotated[str, Query(pattern=r"^(|\d{4})$")] = "",
    member_code: Annotated[str, Query(max_length=80)] = "",
    section: Annotated[str, Query(pattern="^(|operating|investment)$")] = "",
    status: Annotated[
        str, Query(pattern="^(|ready|prepared|rejected|liquidated|issued|cancelled)$")
    ] = "",
    state: Annotated[str, Query(pattern="^(|" + "|".join(STATES) + ")$")] = "",
    reference: Annotated[str, Query(max_length=40)] = "",
    cursor: Annotated[str, Query(max_length=500)] = "",
    back: Annotated[str, Query(max_length=5000)] = "",
) -> HTMLResponse:
    """Newest first, 25 a page, with the total; ``back`` keeps the cursors of the pages
    already seen, so that "Page précédente" goes back one page without any state kept."""
    filters = {
        "fiscal_year": fiscal_year,
        "member_code": member_code,
        "section": section,
        "status": status,
        "state": state,
        "reference": reference.strip(),
    }
    params = {
        k: v for k, v in {**filters, "cursor": cursor, "limit": "25", "order": "desc"}.items() if v
    }
    answer = await api(request, "GET", "/api/billing/invoices", params=params)
    body = answer.json() if answer.status_code == 200 else {"items": []}
    years = await fiscal_years(request)
    trail = [c for c in back.split(",") if c]
    filters_query = urlencode({k: v for k, v in filters.items() if v})
    context = {
        "titles": [TitleRow.of(item) for item in body["items"]],
        "total": body.get("total"),
        "next_href": page_href(filters_query, body.get("next_cursor"), [*trail, cursor or "-"])
        if body.get("next_cursor")
        else "",
        "previous_href": page_href(filters_query, trail[-1], trail[:-1]) if trail else "",
        "filters": filters,
        "filters_query": filters_query,
        "years": years,
        "export_years": [int(fiscal_year)] if fiscal_year else years,
        "members": await members(request),
        "sections": SECTIONS,
        "statuses": STATUSES,
        "states": STATES,
    }
    return render(request, "pages/invoices_list.html", "partials/invoices_table.html", context)


def page_href(filters_query: str, cursor: str | None, trail: list[str]) -> str:
    """A page of the list: its cursor ("-" is the first page) and the pages before it."""
    params = [p for p in (filters_query,) if p]
    if cursor and cursor != "-":
        params.append(urlencode({"cursor": cursor}))
    if trail:
        params.append(urlencode({"back": ",".join(trail)}))
    return "/titres?" + "&".join(params)


async def title_page(
    request: Request,
    user: User,
    title_id: int,
    *,
    correction: dict[str, str] | None = None,
    correction_errors: FormErrors | None = None,
    issue: dict[str, str] | None = None,
    issue_errors: FormErrors | None = None,
    notice: str = "",
    confirming: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    answer = await api(request, "GET", f"/api/billing/invoices/{title_id}")
    if answer.status_code != 200:
        return error_page(request, 404)
    item = answer.json()
    sha256, bordereau_errors = "", []
    bordereau: dict[str, Any] = {}
    if item.get("bordereau"):
        b = await api(request, "GET", f"/api/billing/bordereaux/{item['bordereau']['id']}")
        bordereau = b.json() if b.status_code == 200 else {}
        sha256 = bordereau.get("sha256", "")
        # what Hélios said of it, when it rejected it
        bordereau_errors = [error_text(e) for e in bordereau.get("errors") or []]
    context = {
        "title": TitleView.of(item, sha256, bordereau),
        "bordereau_errors": bordereau_errors,
        "can_issue": user.can("invoices:issue"),
        "can_validate": user.can("invoices:validate"),
        "correction_kinds": CORRECTION_KINDS,
        "correction": correction or {"kind": "", "amount": "", "line_kind": "", "reason": ""},
        "correction_errors": correction_errors or FormErrors(),
        "issue": issue or {"force_reason": "", "forecast_reason": ""},
        "issue_errors": issue_errors or FormErrors(),
        "bp_rule": BP_RULE,
        "notice": notice,
        "confirming": confirming,
    }
    page = "pages/invoices_title.html"
    return render(request, page, page, context, status_code=status_code)


@router.get("/titres/{title_id}", response_class=HTMLResponse)
async def read_title(request: Request, user: Reader, title_id: TitleId) -> HTMLResponse:
    return await title_page(request, user, title_id)


@router.post("/titres/{title_id}/corrections", response_class=HTMLResponse)
async def correct_title(
    request: Request,
    user: Issuer,
    title_id: TitleId,
    kind: Annotated[str, Form(max_length=20)] = "",
    amount: Annotated[str, Form(max_length=40)] = "",
    line_kind: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    confirm: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """A correction names the accounting line in error (the only line of a one-line title);
    the page first says what it will do (amount, line, the balance once it is validated),
    then it is prepared, and issued when a signatory validates it."""
    check_csrf(request, user, csrf_token)
    form = {"kind": kind, "amount": amount, "line_kind": line_kind, "reason": reason}
    errors = FormErrors()
    if kind not in CORRECTION_KINDS:
        errors.fields["kind"] = "Choisissez le type de correction."
    elif not confirm:
        answer = await api(request, "GET", f"/api/billing/invoices/{title_id}")
        if answer.status_code != 200:
            return error_page(request, 404)
        effect, errors = correction_effect(answer.json(), form)
        if not errors:
            return await title_page(request, user, title_id, correction=form, confirming=effect)
    else:
        payload: dict[str, Any] = {"kind": kind, "reason": reason.strip()}
        if kind != "cancellation" or amount.strip():
            payload["amount"] = amount_from_form(amount)
        if kind != "cancellation" and line_kind in IMPUTATION_KINDS:
            payload["lines"] = [{"line_kind": line_kind, "amount": payload["amount"]}]
        answer = await api(
            request, "POST", f"/api/billing/invoices/{title_id}/corrections", json=payload
        )
        if answer.status_code == 201:
            return RedirectResponse(f"/titres/{answer.json()['id']}", status_code=303)
        if answer.status_code == 404:
            return error_page(request, 404)
        errors = api_errors(answer, CORRECTION_FIELDS)
    return await title_page(
        request, user, title_id, correction=form, correction_errors=errors, status_code=422
    )


def correction_effect(
    title: dict[str, Any], form: dict[str, str]
) -> tuple[dict[str, str], FormErrors]:
    """What the correction will do, checked in French first: the amount (none for a
    cancellation), the line, the reason, the balance once validated."""
    errors = FormErrors()
    balance = Decimal(title.get("balance") or title["total"])
    kind = form["kind"]
    amount = balance
    if kind != "cancellation":
        try:
            amount = Decimal(amount_from_form(form["amount"]))
        except InvalidOperation:
            amount = Decimal(0)
        if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            errors.fields["amount"] = "Indiquez un montant positif en euros (par exemple 100,50)."
        elif kind == "reduction" and amount >= balance:
            errors.fields["amount"] = (
                f"Une réduction est partielle : moins que le solde dû ({euros(str(balance))}) ; "
                "pour le solde entier, choisissez l'annulation."
            )
    if len(form["reason"].strip()) < 10:
        errors.fields["reason"] = (
            "Indiquez le motif de l'erreur matérielle (10 caractères au moins)."
        )
    after = balance + amount if kind == "complementary" else balance - amount
    line = IMPUTATION_KINDS.get(form["line_kind"], "")
    return {
        "kind": CORRECTION_KINDS[kind],
        "amount": euros(str(amount)),
        "line": line if kind != "cancellation" else "toutes les lignes",
        "balance": euros(str(balance)),
        "after": euros(str(after)),
    }, errors


@router.post("/titres/{title_id}/emission", response_class=HTMLResponse)
async def issue_title(
    request: Request,
    user: Issuer,
    title_id: TitleId,
    force: Annotated[str, Form(max_length=10)] = "",
    force_reason: Annotated[str, Form(max_length=2000)] = "",
    forecast_reason: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Prepare one waiting title for the signature; forcing it before the BP vote needs a
    reason, and so does issuing it without a forecast notified in time."""
    check_csrf(request, user, csrf_token)
    form = {"force_reason": force_reason, "forecast_reason": forecast_reason}
    payload: dict[str, Any] = {}
    if force:
        payload.update(force=True, force_reason=force_reason.strip() or None)
    if forecast_reason.strip():
        payload["forecast_reason"] = forecast_reason.strip()
    answer = await api(request, "POST", f"/api/billing/invoices/{title_id}/issue", json=payload)
    if answer.status_code == 200:
        waiting = answer.json().get("waiting") or []
        if not waiting:
            return RedirectResponse(f"/titres/{title_id}", status_code=303)
        notice = "Le titre reste en attente : " + waiting[0].get("detail", "")
        return await title_page(request, user, title_id, issue=form, notice=notice)
    if answer.status_code == 404:
        return error_page(request, 404)
    errors = api_errors(answer, ISSUE_FIELDS)
    return await title_page(
        request, user, title_id, issue=form, issue_errors=errors, status_code=422
    )
