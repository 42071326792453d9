"""Correspondances GLPI (back office): which member a GLPI agent's tag or a GLPI entity stands
for. The page lists the mappings and edits them as one form (add, change, remove rows) whose
whole list replaces the stored one (``PUT /api/catalogue/glpi/member-mappings``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.rendering import render
from web.routes.catalogue_data import Reader, Writer, members, notice, posted
from web.session import User, api
from web.views.forms import FormErrors, problem_errors

router = APIRouter()
PAGE = "/catalogue/correspondances-glpi"
API = "/api/catalogue/glpi/member-mappings"
MATCHES = {"tag": "Étiquette de l'agent", "entity": "Entité GLPI"}
BLANK_ROWS = 3  # empty rows offered for new mappings
Row = dict[str, str]


def _key(row: Row) -> tuple[str, tuple[str, ...]]:
    """A tag, or an entity's path segment by segment, as the API compares them."""
    if row["match"] != "entity":
        return row["match"], (row["value"].strip().casefold(),)
    segments = (p.strip().casefold() for p in row["value"].split(">"))
    return row["match"], tuple(s for s in segments if s)


def rows_of(lists: dict[str, list[str]]) -> list[Row]:
    """The form's rows (repeated ``match``, ``value``, ``member_code``), without those marked
    for removal and the blank ones."""
    matches, values, codes = (lists.get(n, []) for n in ("match", "value", "member_code"))
    removed = set(lists.get("remove", []))
    rows = []
    for index, match in enumerate(matches):
        row = {
            "index": str(index),
            "match": match,
            "value": (values[index] if index < len(values) else "").strip(),
            "member_code": codes[index] if index < len(codes) else "",
        }
        if str(index) in removed or not (row["value"] or row["member_code"]):
            continue
        rows.append(row)
    return rows


def check(rows: list[Row], names: dict[str, str]) -> dict[int, str]:
    """French messages by row position: what the API would refuse, said before asking it."""
    errors: dict[int, str] = {}
    seen: dict[tuple[str, tuple[str, ...]], int] = {}
    for position, row in enumerate(rows):
        if row["match"] not in MATCHES:
            errors[position] = "Choisissez ce que la ligne fait correspondre."
        elif not row["value"]:
            label = "l'étiquette" if row["match"] == "tag" else "le chemin de l'entité"
            errors[position] = f"Indiquez {label}."
        elif len(row["value"]) > 300:
            errors[position] = "300 caractères au plus."
        elif row["member_code"] not in names:
            errors[position] = "Choisissez l'adhérent."
        elif _key(row) in seen:
            errors[position] = "Cette correspondance figure déjà plus haut."
        seen.setdefault(_key(row), position)
    return errors


async def page(
    request: Request,
    user: User,
    *,
    rows: list[Row] | None = None,
    row_errors: dict[int, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    names = await members(request)
    stored: list[dict[str, Any]] = []
    answer = await api(request, "GET", API)
    if answer.status_code == 200:
        stored = answer.json().get("items", [])
    else:
        errors = errors or FormErrors(message="Les correspondances n'ont pas pu être lues.")
    if rows is None:
        rows = [
            {"match": i["match"], "value": i["value"], "member_code": i["member_code"]}
            for i in stored
        ]
    shown = [
        {
            **row,
            "match_label": MATCHES.get(row["match"], row["match"]),
            "member_name": names.get(row["member_code"], row["member_code"]),
            "error": (row_errors or {}).get(position),
        }
        for position, row in enumerate(rows)
    ]
    listed = [
        {
            "match_label": MATCHES.get(i["match"], i["match"]),
            "value": i["value"],
            "member_name": names.get(i["member_code"], i["member_code"]),
        }
        for i in stored
    ]
    context = {
        "mappings": listed,
        "rows": shown,
        "blank_rows": BLANK_ROWS,
        "matches": MATCHES,
        "members": names,
        "errors": errors or FormErrors(),
        "can_write": user.can("catalogue:write"),
        "agent_url": str(request.base_url).rstrip("/") + "/api/catalogue/glpi-agent",
        "notice": notice(request),
    }
    return render(
        request,
        "pages/catalogue_glpi.html",
        "pages/catalogue_glpi.html",
        context,
        status_code=status_code,
    )


@router.get(PAGE, response_class=HTMLResponse)
async def mappings_page(request: Request, user: Reader) -> HTMLResponse:
    return await page(request, user)


@router.post(PAGE, response_class=HTMLResponse, response_model=None)
async def save_mappings(request: Request, user: Writer) -> Response:
    _form, lists = await posted(request, user)
    rows = rows_of(lists)
    names = await members(request)
    row_errors = check(rows, names)
    if row_errors:
        count = len(row_errors)
        message = f"{count} ligne{'s' if count > 1 else ''} à corriger : rien n'a été enregistré."
        return await page(
            request,
            user,
            rows=rows,
            row_errors=row_errors,
            errors=FormErrors(message=message),
            status_code=422,
        )
    body = {
        "items": [
            {"match": r["match"], "value": r["value"], "member_code": r["member_code"]}
            for r in rows
        ]
    }
    answer = await api(request, "PUT", API, json=body)
    if answer.status_code == 200:
        return RedirectResponse(f"{PAGE}?modifie", status_code=303)
    errors = problem_errors(answer)
    errors.message = "Les correspondances ont été refusées : " + (errors.message or "")
    return await page(request, user, rows=rows, errors=errors, status_code=422)
