"""Mes services (a member's contact): the catalogue's services the member subscribes to, what
each costs it in the year's latest run and why.

Every call is made for ``user.member`` only: the catalogue answers a contact only its own
subscriptions and billing only its own lines, so the page can never show another member's.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from web.rendering import render
from web.routes.dashboard import Contact, get_json, items, latest_run
from web.views.member_catalogue import MemberCatalogue, member_catalogue

router = APIRouter()


async def load_subscriptions(
    request: Request, member: str, offerings: list[dict[str, Any]]
) -> dict[str, str | None]:
    """The member's subscriptions by service code, with their start date."""
    found: dict[str, str | None] = {}
    for o in offerings:
        body = await get_json(request, f"/api/catalogue/services/{o['code']}/subscribers")
        for s in items(body):
            if s["member_code"] == member:
                found[o["code"]] = s.get("since")
    return found


async def load_member_catalogue(request: Request, member: str, year: int) -> MemberCatalogue:
    profile = await get_json(request, f"/api/registry/members/{member}")
    offerings = items(await get_json(request, "/api/catalogue/services", limit="500"))
    subscriptions = await load_subscriptions(request, member, offerings)
    run = await latest_run(request, year)
    explanation = None
    if run is not None:
        path = f"/api/billing/runs/{run['id']}/members/{member}/explain"
        explanation = await get_json(request, path)
    return member_catalogue(
        member_code=member,
        member_name=(profile or {}).get("name", member),
        year=year,
        offerings=offerings,
        subscriptions=subscriptions,
        run=run if explanation else None,
        explanation=explanation,
    )


@router.get("/mes-services", response_class=HTMLResponse)
async def member_catalogue_page(
    request: Request,
    user: Contact,
    annee: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> HTMLResponse:
    year = annee or dt.date.today().year
    catalogue = await load_member_catalogue(request, user.member or "", year)
    page = "pages/member_catalogue.html"
    return render(request, page, page, {"catalogue": catalogue})
