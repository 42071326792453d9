"""Adhérents (back office): the list with its filters, one member's record, and its form
(create, edit, delete when it has no history). Contacts, yearly figures, conventions and
imports have their own modules, included here."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes import conventions, members_contacts, members_imports, members_years
from web.routes.registry_forms import FRENCH, Code, Reader, Writer, submitted
from web.session import api
from web.views.format import date
from web.views.forms import FormErrors
from web.views.members import API_RENAME, MEMBER_FIELDS, MemberView, form_of, member_body
from web.views.notifications import NotificationRow
from web.views.registry import (
    DEBTOR_CATEGORIES,
    KINDS,
    LEGAL_NATURES,
    AdhesionRow,
    ContactRow,
    CountRow,
    api_errors,
)

router = APIRouter()
HISTORY = {
    "adhesions": "adhésion(s)",
    "contacts": "interlocuteur(s)",
    "workstation_counts": "décompte(s) de postes",
    "budget_calendars": "calendrier(s) budgétaire(s)",
}
router.include_router(members_imports.router)  # /adherents/import/… before /adherents/{code}
router.include_router(conventions.router)


@dataclass(frozen=True)
class MemberRow:
    code: str
    name: str
    kind_label: str
    siret: str
    is_host: bool
    invoiced: bool
    joined_on: str
    left_on: str | None

    @classmethod
    def of(cls, item: dict[str, Any]) -> MemberRow:
        return cls(
            item["code"],
            item["name"],
            KINDS.get(item["kind"], item["kind"]),
            item["siret"],
            item["is_host"],
            item["invoiced"],
            date(item["joined_on"]),
            date(item.get("left_on")) or None,
        )


PAGE_SIZE = 50


def sort_key(row: MemberRow) -> tuple[bool, str, str]:
    """The host first, then alphabetical order of names, accents aside (Épinal after Essey)."""
    plain = unicodedata.normalize("NFKD", row.name)
    return (not row.is_host, "".join(c for c in plain if not unicodedata.combining(c)).casefold(),
            row.code)  # fmt: skip


async def all_members(request: Request, filters: dict[str, str]) -> list[MemberRow]:
    """Every member matching the filters, following the API's cursor (a few dozen members: the
    order people read, host first then by name, is made on the whole list)."""
    rows: list[MemberRow] = []
    params = {**{k: v for k, v in filters.items() if v}, "limit": "500"}
    while True:
        answer = await api(request, "GET", "/api/registry/members", params=params)
        body = answer.json() if answer.status_code == 200 else {"items": []}
        rows += [MemberRow.of(item) for item in body["items"]]
        if not body.get("next_cursor"):
            return sorted(rows, key=sort_key)
        params["cursor"] = body["next_cursor"]


@router.get("/adherents", response_class=HTMLResponse)
async def members_page(
    request: Request,
    user: Reader,
    kind: Annotated[str, Query(max_length=40)] = "",
    invoiced: Annotated[str, Query(pattern="^(|true|false)$")] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """Members, the host first then by name, 50 a page, with their total."""
    filters = {"kind": kind, "invoiced": invoiced}
    rows = await all_members(request, filters)
    last = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(page, last)
    filters_query = urlencode({k: v for k, v in filters.items() if v})
    sep = "&" if filters_query else ""
    context = {
        "rows": rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        "total": len(rows),
        "page_number": page,
        "previous_href": f"/adherents?{filters_query}{sep}page={page - 1}" if page > 1 else "",
        "next_href": f"/adherents?{filters_query}{sep}page={page + 1}" if page < last else "",
        "kinds": KINDS,
        "kind": kind,
        "invoiced": invoiced,
        "can_write": user.can("registry:write"),
        "filters_query": filters_query,
    }
    return render(request, "pages/members.html", "partials/members_table.html", context)


def form_page(
    request: Request,
    *,
    form: dict[str, Any],
    errors: FormErrors | None = None,
    creating: bool,
    status_code: int = 200,
) -> HTMLResponse:
    code = form.get("code", "")
    context = {
        "heading": "Nouvel adhérent" if creating else f"Modifier {form.get('name') or code}",
        "action": "/adherents/nouveau" if creating else f"/adherents/{code}/modifier",
        "back": "/adherents" if creating else f"/adherents/{code}",
        "creating": creating,
        "form": form,
        "errors": errors or FormErrors(),
        "kinds": KINDS,
        "debtor_categories": DEBTOR_CATEGORIES,
        "legal_natures": LEGAL_NATURES,
    }
    page = "pages/member_form.html"
    return render(request, page, page, context, status_code=status_code)


@router.get("/adherents/nouveau", response_class=HTMLResponse)
async def new_member(request: Request, _user: Writer) -> HTMLResponse:
    return form_page(request, form={"invoiced": True}, creating=True)


@router.post("/adherents/nouveau", response_class=HTMLResponse)
async def create_member(request: Request, user: Writer) -> Response:
    form = await submitted(request, user)
    body, checks = member_body(form, creating=True)
    if checks.errors:
        return form_page(request, form=form, errors=checks.errors, creating=True, status_code=422)
    answer = await api(request, "POST", "/api/registry/members", json=body, headers=FRENCH)
    if answer.status_code != 201:
        errors = api_errors(answer, MEMBER_FIELDS, API_RENAME)
        return form_page(request, form=form, errors=errors, creating=True, status_code=422)
    return RedirectResponse(f"/adherents/{body['code']}?enregistre=1", status_code=303)


@router.get("/adherents/{code}/modifier", response_class=HTMLResponse)
async def edit_member(request: Request, _user: Writer, code: Code) -> HTMLResponse:
    answer = await api(request, "GET", f"/api/registry/members/{code}")
    if answer.status_code != 200:
        return error_page(request, 404)
    return form_page(request, form=form_of(answer.json()), creating=False)


@router.post("/adherents/{code}/modifier", response_class=HTMLResponse)
async def update_member(request: Request, user: Writer, code: Code) -> Response:
    form = {**await submitted(request, user), "code": code}
    body, checks = member_body(form, creating=False)
    if checks.errors:
        return form_page(request, form=form, errors=checks.errors, creating=False, status_code=422)
    answer = await api(request, "PATCH", f"/api/registry/members/{code}", json=body, headers=FRENCH)
    if answer.status_code != 200:
        errors = api_errors(answer, MEMBER_FIELDS, API_RENAME)
        return form_page(request, form=form, errors=errors, creating=False, status_code=422)
    return RedirectResponse(f"/adherents/{code}?enregistre=1", status_code=303)


@router.get("/adherents/{code}/supprimer", response_class=HTMLResponse)
async def confirm_delete(request: Request, _user: Writer, code: Code) -> HTMLResponse:
    answer = await api(request, "GET", f"/api/registry/members/{code}")
    if answer.status_code != 200:
        return error_page(request, 404)
    context = {"member": MemberView.of(answer.json()), "refusal": None}
    page = "pages/member_delete.html"
    return render(request, page, page, context)


@router.post("/adherents/{code}/supprimer", response_class=HTMLResponse)
async def delete_member(request: Request, user: Writer, code: Code) -> Response:
    await submitted(request, user)
    answer = await api(request, "DELETE", f"/api/registry/members/{code}", headers=FRENCH)
    if answer.status_code == 204:
        return RedirectResponse("/adherents?supprime=1", status_code=303)
    found = await api(request, "GET", f"/api/registry/members/{code}")
    if found.status_code != 200:
        return error_page(request, 404)
    history = (answer.json() if answer.status_code == 409 else {}).get("history") or {}
    held = [f"{n} {HISTORY.get(name, name)}" for name, n in history.items()]
    context = {"member": MemberView.of(found.json()), "refusal": held or ["un historique"]}
    page = "pages/member_delete.html"
    return render(request, page, page, context, status_code=409)


router.include_router(members_contacts.router)
router.include_router(members_years.router)


@router.get("/adherents/{code}", response_class=HTMLResponse)
async def member_page(request: Request, user: Reader, code: Code) -> HTMLResponse:
    answer = await api(request, "GET", f"/api/registry/members/{code}")
    if answer.status_code == 404:
        return error_page(request, 404)
    year = dt.date.today().year
    base = f"/api/registry/members/{code}"
    contacts = await api(request, "GET", f"{base}/contacts", params={"limit": "200"})
    counts = await api(request, "GET", f"{base}/workstations")
    adhesions = await api(request, "GET", f"{base}/adhesions", params={"limit": "200"})
    sent = await api(request, "GET", "/api/registry/notifications",
                     params={"member_code": code, "limit": "50"})  # fmt: skip
    calendars = {}
    for y in (year - 1, year, year + 1):
        found = await api(request, "GET", f"{base}/budget-calendar/{y}")
        calendars[y] = found.json() if found.status_code == 200 else None
    context = {
        "member": MemberView.of(answer.json()),
        "contacts": [ContactRow.of(c) for c in _items(contacts)],
        "counts": [CountRow.of(c) for c in _items(counts)],
        "adhesions": [AdhesionRow.of(a) for a in _items(adhesions)],
        "notifications": [NotificationRow.of(n) for n in _items(sent)],
        "calendars": {y: _calendar(c) for y, c in calendars.items()},
        "year": year,
        "count_years": list(range(year + 1, _joined_year(answer.json(), year) - 1, -1)),
        "can_write": user.can("registry:write"),
        "can_erase": user.can("gdpr:write"),
        "saved": request.query_params.get("enregistre") == "1",
    }
    return render(request, "pages/member.html", "pages/member.html", context)


def _joined_year(member: dict[str, Any], year: int) -> int:
    joined = str(member.get("joined_on") or "")
    return int(joined[:4]) if joined[:4].isdigit() else year


def _items(answer: Any) -> list[dict[str, Any]]:
    return list(answer.json().get("items", [])) if answer.status_code == 200 else []


def _calendar(body: dict[str, Any] | None) -> dict[str, str] | None:
    if body is None:
        return None
    return {
        "bp": date(body.get("bp_voted_on")) or "non voté",
        "bs": date(body.get("bs_voted_on")) or "—",
        "dm": ", ".join(date(d) for d in body.get("dm_dates", [])) or "—",
    }
