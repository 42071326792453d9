"""A member's figures of a fiscal year: its workstation count (each version kept) and its
budget calendar (BP, BS and DM votes, on which the issuing of titles depends)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.routes.registry_forms import FRENCH, Code, Writer, page, submitted
from web.session import api
from web.views.format import date
from web.views.forms import FormErrors
from web.views.registry import SOURCES, Checks, CountRow, api_errors, form_date

router = APIRouter()
Year = Annotated[int, Path(ge=2000, le=2100)]
COUNT_FIELDS = ("count", "reference_date", "source", "comment")
CALENDAR_FIELDS = ("bp_voted_on", "bs_voted_on", "dm_dates")


async def member_name(request: Request, code: str) -> str | None:
    answer = await api(request, "GET", f"/api/registry/members/{code}")
    return str(answer.json()["name"]) if answer.status_code == 200 else None


async def count_page(
    request: Request,
    code: str,
    year: int,
    *,
    form: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    name = await member_name(request, code)
    if name is None:
        return error_page(request, 404)
    history = await api(request, "GET", f"/api/registry/members/{code}/workstations/{year}/history")
    versions = history.json().get("items", []) if history.status_code == 200 else []
    if form is None:
        current = versions[-1] if versions else {}
        form = {
            "count": str(current.get("count", "")),
            "reference_date": date(current.get("reference_date")),
            "source": current.get("source", "declared"),
            "comment": current.get("comment", ""),
        }
    context = {
        "code": code,
        "name": name,
        "year": year,
        "form": form,
        "errors": errors or FormErrors(),
        "sources": SOURCES,
        "history": [CountRow.of(v) for v in versions],
    }
    return page(request, "pages/member_workstations.html", context, status_code=status_code)


@router.get("/adherents/{code}/postes", response_class=RedirectResponse)
async def count_year_chosen(
    _user: Writer, code: Code, annee: Annotated[int, Query(ge=2000, le=2100)]
) -> RedirectResponse:
    """The member page's year switch: any year's count, past ones too (a late declaration)."""
    return RedirectResponse(f"/adherents/{code}/postes/{annee}", status_code=303)


@router.get("/adherents/{code}/postes/{year}", response_class=HTMLResponse)
async def count_form(request: Request, _user: Writer, code: Code, year: Year) -> HTMLResponse:
    return await count_page(request, code, year)


@router.post("/adherents/{code}/postes/{year}", response_class=HTMLResponse)
async def record_count(request: Request, user: Writer, code: Code, year: Year) -> Response:
    form = await submitted(request, user)
    c = Checks(form)
    body = {
        "count": c.integer("count"),
        "reference_date": c.day("reference_date", required=True),
        "source": c.choice("source", SOURCES),
        "comment": c.text("comment", max_length=2000) or "",
    }
    day = body["reference_date"]
    if day and not year - 2 <= int(str(day)[:4]) <= year:
        c.fail("reference_date", f"Le décompte de {year} est fait entre {year - 2} et {year}.")
    if c.errors:
        return await count_page(request, code, year, form=form, errors=c.errors, status_code=422)
    answer = await api(
        request, "PUT", f"/api/registry/members/{code}/workstations/{year}", json=body,
        headers=FRENCH,
    )  # fmt: skip
    if answer.status_code not in (200, 201):
        errors = api_errors(answer, COUNT_FIELDS)
        return await count_page(request, code, year, form=form, errors=errors, status_code=422)
    return RedirectResponse(f"/adherents/{code}?enregistre=1#postes", status_code=303)


async def calendar_page(
    request: Request,
    code: str,
    year: int,
    *,
    form: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    name = await member_name(request, code)
    if name is None:
        return error_page(request, 404)
    if form is None:
        answer = await api(request, "GET", f"/api/registry/members/{code}/budget-calendar/{year}")
        found = answer.json() if answer.status_code == 200 else {}
        form = {
            "bp_voted_on": date(found.get("bp_voted_on")),
            "bs_voted_on": date(found.get("bs_voted_on")),
            "dm_dates": "\n".join(date(d) for d in found.get("dm_dates", [])),
        }
    context = {"code": code, "name": name, "year": year, "form": form,
               "errors": errors or FormErrors()}  # fmt: skip
    return page(request, "pages/member_calendar.html", context, status_code=status_code)


@router.get("/adherents/{code}/calendrier/{year}", response_class=HTMLResponse)
async def calendar_form(request: Request, _user: Writer, code: Code, year: Year) -> HTMLResponse:
    return await calendar_page(request, code, year)


def calendar_body(form: dict[str, Any], year: int) -> tuple[dict[str, Any], Checks]:
    c = Checks(form)
    body: dict[str, Any] = {
        "bp_voted_on": c.day("bp_voted_on"),
        "bs_voted_on": c.day("bs_voted_on"),
        "dm_dates": [],
    }
    for part in re.split(r"[\s,;]+", str(form.get("dm_dates") or "")):
        if not part:
            continue
        try:
            body["dm_dates"].append(form_date(part))
        except ValueError:
            c.fail("dm_dates", f"« {part} » n'est pas une date au format JJ/MM/AAAA.")
    earliest = dt.date(year - 1, 10, 1).isoformat()
    bp = body["bp_voted_on"]
    if bp and not earliest <= bp <= f"{year}-12-31":
        c.fail("bp_voted_on", f"Le BP {year} se vote du 01/10/{year - 1} au 31/12/{year}.")
    c.after("bs_voted_on", body["bs_voted_on"], bp, "Ce vote ne peut précéder celui du BP.")
    for day in body["dm_dates"]:
        c.after("dm_dates", day, bp, "Une DM ne peut précéder le vote du BP.")
    if len(set(body["dm_dates"])) != len(body["dm_dates"]):
        c.fail("dm_dates", "Une date de DM est répétée.")
    return body, c


@router.post("/adherents/{code}/calendrier/{year}", response_class=HTMLResponse)
async def save_calendar(request: Request, user: Writer, code: Code, year: Year) -> Response:
    form = await submitted(request, user)
    body, checks = calendar_body(form, year)
    if checks.errors:
        return await calendar_page(
            request, code, year, form=form, errors=checks.errors, status_code=422
        )
    answer = await api(
        request, "PUT", f"/api/registry/members/{code}/budget-calendar/{year}", json=body,
        headers=FRENCH,
    )  # fmt: skip
    if answer.status_code not in (200, 201):
        errors = api_errors(answer, CALENDAR_FIELDS)
        return await calendar_page(request, code, year, form=form, errors=errors, status_code=422)
    return RedirectResponse(f"/adherents/{code}?enregistre=1#calendrier", status_code=303)
