"""The gateway's public, unauthenticated routes: health and the merged OpenAPI document."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from gateway.openapi import merge_documents
from kit.openapi import document_problems

public_router = APIRouter()


@public_router.get("/healthz", tags=["health"], summary="The gateway process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok", "service": "gateway"}


@public_router.get("/api/health", tags=["health"], summary="Health of every service")
async def health(request: Request) -> JSONResponse:
    upstreams = request.app.state.upstreams
    services = await upstreams.health(request.app.state.settings.health_timeout)
    ok = all(s["status"] == "ok" for s in services.values())
    body = {"status": "ok" if ok else "degraded", "gateway": "ok", "services": services}
    return JSONResponse(body, status_code=200 if ok else 503)


@public_router.get("/api/openapi.json", include_in_schema=False)
async def merged_openapi(request: Request) -> dict[str, Any]:
    """The gateway's own routes and every reachable service's, under its public prefix."""
    app = request.app
    upstreams = app.state.upstreams

    async def fetch(name: str) -> tuple[str, dict[str, Any] | None]:
        try:
            response = await upstreams.client(name).get("/openapi.json", timeout=5)
            return name, response.json() if response.status_code == 200 else None
        except httpx.HTTPError:
            return name, None

    fetched = await asyncio.gather(*(fetch(n) for n in upstreams.clients))
    base = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    merged = merge_documents(document_problems(base), {n: d for n, d in fetched if d is not None})
    merged["components"].setdefault("securitySchemes", {})["OAuth2PasswordBearer"] = {
        "type": "oauth2",
        "flows": {"password": {"tokenUrl": "/api/auth/token", "scopes": {}}},
    }
    merged["security"] = [{"OAuth2PasswordBearer": []}]
    return merged
