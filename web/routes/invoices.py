"""Titres de recettes (back office): the list with its filters and exports, a title's page with
its documents and their SHA-256, forcing a waiting title, corrections; and the member's PDF."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.billing import fiscal_years
from web.routes.dashboard import Contact
from web.session import User, api, require_page
from web.views.forms import FormErrors, check_csrf, problem_errors
from web.views.invoices import (
    BP_RULE,
    CORRECTION_KINDS,
    STATUSES,
    TitleRow,
    TitleView,
)

router = APIRouter()
Reader = Annotated[User, Depends(require_page("invoices:read", staff_only=True))]
Issuer = Annotated[User, Depends(require_page("invoices:issue", staff_only=True))]
TitleId = Annotated[int, Path(ge=1, le=2**62)]
SECTIONS = {"operating": "Fonctionnement", "investment": "Investissement"}
CORRECTION_FIELDS = ("kind", "amount", "reason", "name", "function")
ISSUE_FIELDS = ("name", "function", "force_reason")


def passed_on(answer: Any, media_type: str) -> Response:
    """A document of the API handed to the browser as is, with its SHA-256 when it has one."""
    headers = {"Content-Disposition": answer.headers.get("content-disposition", "attachment")}
    if answer.headers.get("x-content-sha256"):
        headers["X-Content-SHA256"] = answer.headers["x-content-sha256"]
    return Response(answer.content, media_type=media_type, headers=headers)


def api_errors(answer: Any, known: tuple[str, ...]) -> FormErrors:
    """The API's problem as field errors; a whole-body rule is placed on the field it names."""
    errors = problem_errors(answer, known)
    if errors.message and answer.status_code == 422:
        for name in ("amount", "force_reason"):
            if name in errors.message and name not in errors.fields:
                errors.fields[name] = errors.message.split(" — ")[-1]
    return errors


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
    status: Annotated[str, Query(pattern="^(|ready|issued|cancelled)$")] = "",
    cursor: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    filters = {
        "fiscal_year": fiscal_year,
        "member_code": member_code,
        "section": section,
        "status": status,
    }
    params = {k: v for k, v in {**filters, "cursor": cursor, "limit": "25"}.items() if v}
    answer = await api(request, "GET", "/api/billing/invoices", params=params)
    body = answer.json() if answer.status_code == 200 else {"items": []}
    years = await fiscal_years(request)
    context = {
        "titles": [TitleRow.of(item) for item in body["items"]],
        "next_cursor": body.get("next_cursor"),
        "filters": filters,
        "filters_query": "&".join(f"{k}={v}" for k, v in filters.items() if v),
        "years": years,
        "export_years": [int(fiscal_year)] if fiscal_year else years,
        "members": await members(request),
        "sections": SECTIONS,
        "statuses": STATUSES,
    }
    return render(request, "pages/invoices_list.html", "partials/invoices_table.html", context)


@router.get("/titres/export/{year}.{fmt}", response_class=Response)
async def export_titles(
    request: Request,
    _user: Reader,
    year: Annotated[int, Path(ge=2000, le=2100)],
    fmt: Annotated[str, Path(pattern="^(csv|xlsx)$")],
    partie: Annotated[str, Query(pattern="^(titres|lignes)$")] = "titres",
) -> Response:
    """The API's export of a year's titles, passed through (the browser only talks to us)."""
    params = {"part": "lines" if partie == "lignes" else "titles"} if fmt == "csv" else None
    answer = await api(request, "GET", f"/api/billing/invoices/export/{year}.{fmt}", params=params)
    if answer.status_code != 200:
        return error_page(request, 404)
    return passed_on(answer, answer.headers.get("content-type", "application/octet-stream"))


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
    status_code: int = 200,
) -> HTMLResponse:
    answer = await api(request, "GET", f"/api/billing/invoices/{title_id}")
    if answer.status_code != 200:
        return error_page(request, 404)
    item = answer.json()
    sha256 = ""
    if item.get("bordereau"):
        b = await api(request, "GET", f"/api/billing/bordereaux/{item['bordereau']['id']}")
        sha256 = b.json().get("sha256", "") if b.status_code == 200 else ""
    signatory = {"name": "", "function": ""}
    context = {
        "title": TitleView.of(item, sha256),
        "can_issue": user.can("invoices:issue"),
        "correction_kinds": CORRECTION_KINDS,
        "correction": correction or {"kind": "", "amount": "", "reason": "", **signatory},
        "correction_errors": correction_errors or FormErrors(),
        "issue": issue or {"force_reason": "", **signatory},
        "issue_errors": issue_errors or FormErrors(),
        "bp_rule": BP_RULE,
        "notice": notice,
    }
    page = "pages/invoices_title.html"
    return render(request, page, page, context, status_code=status_code)


@router.get("/titres/{title_id}", response_class=HTMLResponse)
async def read_title(request: Request, user: Reader, title_id: TitleId) -> HTMLResponse:
    return await title_page(request, user, title_id)


@router.get("/titres/{title_id}/empreinte-pdf", response_class=HTMLResponse)
async def pdf_fingerprint(request: Request, _user: Reader, title_id: TitleId) -> HTMLResponse:
    """The SHA-256 of the title's PDF, loaded after the page (the PDF is made at first read)."""
    answer = await api(request, "GET", f"/api/billing/invoices/{title_id}/asap.pdf")
    sha256 = answer.headers.get("x-content-sha256", "") if answer.status_code == 200 else ""
    page = "partials/invoices_pdf_hash.html"
    return render(request, page, page, {"sha256": sha256, "title_id": title_id})


DOCUMENTS = {"avis.pdf": "asap.pdf", "factur-x.pdf": "facturx.pdf"}


async def document(request: Request, title_id: int, name: str) -> Response:
    """The ASAP or its Factur-X, from billing (which answers 404 for another member's title)."""
    path = f"/api/billing/invoices/{title_id}/{DOCUMENTS[name]}"
    answer = await api(request, "GET", path)
    if answer.status_code != 200:
        return error_page(request, 404)
    return passed_on(answer, "application/pdf")


@router.get("/titres/{title_id}/avis.pdf", response_class=Response)
async def title_pdf(request: Request, _user: Reader, title_id: TitleId) -> Response:
    return await document(request, title_id, "avis.pdf")


@router.get("/titres/{title_id}/factur-x.pdf", response_class=Response)
async def title_facturx(request: Request, _user: Reader, title_id: TitleId) -> Response:
    return await document(request, title_id, "factur-x.pdf")


@router.get("/titres/{title_id}/pes.xml", response_class=Response)
async def title_pes(request: Request, _user: Reader, title_id: TitleId) -> Response:
    answer = await api(request, "GET", f"/api/billing/invoices/{title_id}/pes.xml")
    if answer.status_code != 200:
        return error_page(request, 404)
    return passed_on(answer, "application/xml")


def amount_of(text: str) -> str:
    """``1 234,56`` → ``1234.56`` (the API checks the rest)."""
    for space in ("\u202f", "\u00a0", " "):
        text = text.replace(space, "")
    return text.replace(",", ".")


@router.post("/titres/{title_id}/corrections", response_class=HTMLResponse)
async def correct_title(
    request: Request,
    user: Issuer,
    title_id: TitleId,
    kind: Annotated[str, Form(max_length=20)] = "",
    amount: Annotated[str, Form(max_length=40)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    function: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(request, user, csrf_token)
    form = {"kind": kind, "amount": amount, "reason": reason, "name": name, "function": function}
    errors = FormErrors()
    if kind not in CORRECTION_KINDS:
        errors.fields["kind"] = "Choisissez le type de correction."
    else:
        payload: dict[str, Any] = {
            "kind": kind,
            "reason": reason.strip(),
            "signatory": {"name": name.strip(), "function": function.strip()},
        }
        if kind != "cancellation" or amount.strip():
            payload["amount"] = amount_of(amount)
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


@router.post("/titres/{title_id}/emission", response_class=HTMLResponse)
async def issue_title(
    request: Request,
    user: Issuer,
    title_id: TitleId,
    name: Annotated[str, Form(max_length=200)] = "",
    function: Annotated[str, Form(max_length=200)] = "",
    force: Annotated[str, Form(max_length=10)] = "",
    force_reason: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Issue one waiting title; forcing it before the BP vote needs a reason."""
    check_csrf(request, user, csrf_token)
    form = {"name": name, "function": function, "force_reason": force_reason}
    payload: dict[str, Any] = {"signatory": {"name": name.strip(), "function": function.strip()}}
    if force:
        payload.update(force=True, force_reason=force_reason.strip() or None)
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


@router.get("/tableau-de-bord/titres/{title_id}/avis.pdf", response_class=Response)
async def member_title_pdf(request: Request, _user: Contact, title_id: TitleId) -> Response:
    """A contact's own title as PDF; another member's title is a 404."""
    return await document(request, title_id, "avis.pdf")


@router.get("/tableau-de-bord/titres/{title_id}/factur-x.pdf", response_class=Response)
async def member_title_facturx(request: Request, _user: Contact, title_id: TitleId) -> Response:
    """A contact's own title as Factur-X (EN 16931 XML inside the PDF/A-3)."""
    return await document(request, title_id, "factur-x.pdf")
