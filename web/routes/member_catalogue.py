"""Mes services (a member's contact): the catalogue's services the member subscribes to, what
each costs it in the year's latest run and why.

Every call is made for ``user.member`` only: the catalogue answers a contact only its own
subscriptions and billing only its own lines, so the page can never show another member's.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from web.rendering import render
from web.routes.dashboard import Contact, get_json, items, latest_run
from web.views.member_catalogue import MemberCatalogue, member_catalogue

router = APIRouter()


async def load_subscriptions(request: Request, member: str) -> dict[str, str | None]:
    """The member's subscriptions by service code, with their start date."""
    body = await get_json(request, "/api/catalogue/subscriptions", member_code=member, limit="500")
    return {s["service_code"]: s.get("since") for s in items(body) if s["member_code"] == member}


async def load_member_catalogue(request: Request, member: str, year: int) -> MemberCatalogue:
    # three chains side by side, one per service (as the dashboard does)
    async def catalogue() -> tuple[list[dict[str, Any]], dict[str, str | None]]:
        offerings = items(await get_json(request, "/api/catalogue/services", limit="500"))
        return offerings, await load_subscriptions(request, member)

    async def billing() -> tuple[dict[str, Any] | None, Any]:
        run = await latest_run(request, year)
        if run is None:
            return None, None
        path = f"/api/billing/runs/{run['id']}/members/{member}/explain"
        return run, await get_json(request, path)

    profile, (offerings, subscriptions), (run, explanation) = await asyncio.gather(
        get_json(request, f"/api/registry/members/{member}"), catalogue(), billing()
    )
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
