"""Journal d'audit (administrators): the gateway's logins and writes, and the before/after of
the writes each service keeps (the services that expose their trail over the gateway)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from web.errors import error_page
from web.rendering import render
from web.session import User, api, require_page
from web.views.audit import EVENTS, RESOURCES, SERVICE_TRAILS, GatewayEntry, ServiceEntry

router = APIRouter()
Auditor = Annotated[User, Depends(require_page("audit:read", staff_only=True))]
Cursor = Annotated[str, Query(max_length=500)]


def query_of(filters: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in filters.items() if v})


async def page_of(request: Request, path: str, params: dict[str, str]) -> dict[str, Any]:
    answer = await api(request, "GET", path, params={k: v for k, v in params.items() if v})
    return answer.json() if answer.status_code == 200 else {"items": []}


@router.get("/journal", response_class=HTMLResponse)
async def gateway_log(
    request: Request,
    _user: Auditor,
    event: Annotated[str, Query(max_length=40)] = "",
    email: Annotated[str, Query(max_length=254)] = "",
    cursor: Cursor = "",
) -> HTMLResponse:
    filters = {"event": event, "email": email}
    body = await page_of(request, "/api/auth/audit", {**filters, "cursor": cursor, "limit": "50"})
    context = {
        "rows": [GatewayEntry.of(item) for item in body["items"]],
        "next_cursor": body.get("next_cursor"),
        "filters": filters,
        "filters_query": query_of(filters),
        "events": EVENTS,
        "trails": SERVICE_TRAILS,
    }
    return render(request, "pages/audit_gateway.html", "partials/audit_gateway_table.html", context)


@router.get("/journal/{service}", response_class=HTMLResponse)
async def service_log(
    request: Request,
    _user: Auditor,
    service: str,
    resource_type: Annotated[str, Query(max_length=60)] = "",
    resource_id: Annotated[str, Query(max_length=200)] = "",
    cursor: Cursor = "",
) -> HTMLResponse:
    if service not in SERVICE_TRAILS:
        return error_page(request, 404)
    label, path = SERVICE_TRAILS[service]
    filters = {"resource_type": resource_type, "resource_id": resource_id}
    body = await page_of(request, path, {**filters, "cursor": cursor, "limit": "50"})
    context = {
        "service": service,
        "service_label": label,
        "rows": [ServiceEntry.of(item) for item in body["items"]],
        "next_cursor": body.get("next_cursor"),
        "filters": filters,
        "filters_query": query_of(filters),
        "trails": SERVICE_TRAILS,
        "resources": RESOURCES,
    }
    return render(request, "pages/audit_service.html", "partials/audit_service_table.html", context)
