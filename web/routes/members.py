"""Adhérents (back office): the list with its filters, and one member's record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse

from web.rendering import render
from web.session import User, api, require_page

router = APIRouter()
Reader = Annotated[User, Depends(require_page("registry:read", staff_only=True))]

KINDS = {
    "metropole": "Métropole",
    "commune": "Commune",
    "ccas": "CCAS",
    "syndicat": "Syndicat",
    "etablissement_public": "Établissement public",
    "association": "Association",
    "other": "Autre",
}


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
            item["joined_on"],
            item.get("left_on"),
        )


@router.get("/adherents", response_class=HTMLResponse)
async def members_page(
    request: Request,
    _user: Reader,
    kind: Annotated[str, Query(max_length=40)] = "",
    invoiced: Annotated[str, Query(pattern="^(|true|false)$")] = "",
    cursor: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    params = {
        k: v
        for k, v in {"kind": kind, "invoiced": invoiced, "cursor": cursor, "limit": "50"}.items()
        if v
    }
    answer = await api(request, "GET", "/api/registry/members", params=params)
    body = answer.json() if answer.status_code == 200 else {"items": []}
    context = {
        "rows": [MemberRow.of(item) for item in body["items"]],
        "next_cursor": body.get("next_cursor"),
        "kinds": KINDS,
        "kind": kind,
        "invoiced": invoiced,
        "filters_query": "&".join(
            f"{k}={v}" for k, v in (("kind", kind), ("invoiced", invoiced)) if v
        ),
    }
    return render(request, "pages/members.html", "partials/members_table.html", context)


@router.get("/adherents/{code}", response_class=HTMLResponse)
async def member_page(
    request: Request, _user: Reader, code: Annotated[str, Path(max_length=60)]
) -> HTMLResponse:
    answer = await api(request, "GET", f"/api/registry/members/{code}")
    if answer.status_code == 404:
        from web.errors import error_page

        return error_page(request, 404)
    year = dt.date.today().year
    contacts = await api(request, "GET", f"/api/registry/members/{code}/contacts")
    count = await api(request, "GET", f"/api/registry/members/{code}/workstations/{year}")
    context = {
        "member": MemberRow.of(answer.json()),
        "address": answer.json().get("address", {}),
        "contacts": contacts.json().get("items", []) if contacts.status_code == 200 else [],
        "year": year,
        "workstations": count.json() if count.status_code == 200 else None,
    }
    return render(request, "pages/member.html", "pages/member.html", context)
