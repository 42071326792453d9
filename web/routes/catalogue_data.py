"""What the catalogue pages read from the gateway, and small helpers they share (not a router)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from web.session import User, api, require_page
from web.views.catalogue import DriverRow, OfferingRow
from web.views.forms import check_csrf

Reader = Annotated[User, Depends(require_page("catalogue:read", staff_only=True))]
Writer = Annotated[User, Depends(require_page("catalogue:write", staff_only=True))]
UsageWriter = Annotated[User, Depends(require_page("usage:write", staff_only=True))]
NOTICES = {
    "cree": "Enregistré.",
    "modifie": "Modifications enregistrées.",
    "retire": "Composant retiré du service.",
    "supprime": "Supprimé.",
    "abonne": "Abonnement enregistré.",
    "desabonne": "Abonnement retiré.",
}


async def items(request: Request, path: str, **params: str) -> list[dict[str, Any]]:
    answer = await api(request, "GET", path, params={"limit": "500", **params})
    if answer.status_code != 200:
        return []
    found: list[dict[str, Any]] = answer.json().get("items", [])
    return found


async def offerings(request: Request) -> list[OfferingRow]:
    return [OfferingRow.of(i) for i in await items(request, "/api/catalogue/services")]


async def drivers(request: Request) -> list[DriverRow]:
    return [DriverRow.of(i) for i in await items(request, "/api/catalogue/drivers")]


async def members(request: Request) -> dict[str, str]:
    """Member code → name, alphabetical by name (the host first)."""
    rows = await items(request, "/api/registry/members")
    rows.sort(key=lambda m: (not m.get("is_host"), m["name"].lower()))
    return {m["code"]: m["name"] for m in rows}


async def components(request: Request) -> dict[str, str]:
    rows = await items(request, "/api/catalogue/components")
    return {c["code"]: c["name"] for c in sorted(rows, key=lambda c: c["name"].lower())}


async def posted(request: Request, user: User) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The submitted form (checked against CSRF): each name's first value, and all of them."""
    form = await request.form()
    check_csrf(request, user, str(form.get("csrf_token") or ""))
    lists = {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}
    return {key: values[0] for key, values in lists.items() if values}, lists


def notice(request: Request) -> str | None:
    return next((NOTICES[k] for k in NOTICES if k in request.query_params), None)
