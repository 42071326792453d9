"""État de la plateforme: health of the gateway and every service, refreshed by htmx."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kit.settings import SERVICES
from web.rendering import render
from web.session import current_user

router = APIRouter()

SERVICE_LABELS = {
    "gateway": "Passerelle (API)",
    "registry": "Référentiel des adhérents",
    "catalogue": "Catalogue et inventaire",
    "billing": "Refacturation et titres",
    "governance": "Gouvernance et RGPD",
}


@dataclass(frozen=True)
class ServiceStatus:
    name: str
    label: str
    ok: bool
    detail: str


async def fetch_statuses(request: Request) -> list[ServiceStatus]:
    gateway = request.app.state.gateway
    try:
        response = await gateway.get("/api/health")
        report = response.json()
    except (httpx.HTTPError, ValueError):
        down = "injoignable"
        return [ServiceStatus(n, SERVICE_LABELS[n], False, down) for n in ("gateway", *SERVICES)]
    services = report.get("services", {})
    statuses = [ServiceStatus("gateway", SERVICE_LABELS["gateway"], True, "")]
    for name in SERVICES:
        entry = services.get(name, {"status": "down", "detail": "inconnu"})
        ok = entry.get("status") == "ok"
        statuses.append(ServiceStatus(name, SERVICE_LABELS[name], ok, entry.get("detail", "")))
    return statuses


@router.get("/statut", response_class=HTMLResponse)
async def status_page(request: Request) -> HTMLResponse:
    await current_user(request)  # the menu shows who is signed in, if anyone
    statuses = await fetch_statuses(request)
    context = {
        "statuses": statuses,
        "all_ok": all(s.ok for s in statuses),
        "checked_at": dt.datetime.now().astimezone().strftime("%H:%M:%S"),
        "refresh_seconds": request.app.state.settings.status_refresh_seconds,
    }
    return render(request, "pages/status.html", "partials/status_table.html", context)
