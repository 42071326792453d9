"""Gateway app factory (run with ``uvicorn --factory gateway.app:create_app``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from gateway.clients import Upstreams
from gateway.openapi import merge_documents
from gateway.settings import GatewaySettings
from kit.errors import install_error_handlers
from kit.logging import RequestIdMiddleware, configure_logging

FORWARDED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def create_app(
    settings: GatewaySettings | None = None,
    *,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
) -> FastAPI:
    settings = settings or GatewaySettings()
    configure_logging("gateway", fmt=settings.log_format, level=settings.log_level)
    upstreams = Upstreams(
        settings.upstream_urls(),
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        transports=transports,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await upstreams.aclose()

    app = FastAPI(
        title="Mutualis API",
        description="Public API of Mutualis: every service under /api/<service>.",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url="/api/gateway/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.upstreams = upstreams
    install_error_handlers(app)
    app.add_middleware(RequestIdMiddleware)

    @app.get("/healthz", tags=["health"], summary="The gateway process is up")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": "gateway"}

    @app.get("/api/health", tags=["health"], summary="Health of the gateway and every service")
    async def health() -> JSONResponse:
        services = await upstreams.health(settings.health_timeout)
        ok = all(s["status"] == "ok" for s in services.values())
        body = {"status": "ok" if ok else "degraded", "gateway": "ok", "services": services}
        return JSONResponse(body, status_code=200 if ok else 503)

    @app.get("/api/openapi.json", include_in_schema=False)
    async def merged_openapi() -> dict[str, Any]:
        """Every reachable service's OpenAPI document, merged under its public prefix."""

        async def fetch(name: str) -> tuple[str, dict[str, Any] | None]:
            try:
                response = await upstreams.client(name).get("/openapi.json", timeout=5)
                return name, response.json() if response.status_code == 200 else None
            except httpx.HTTPError:
                return name, None

        fetched = await asyncio.gather(*(fetch(n) for n in upstreams.clients))
        base = get_openapi(title=app.title, version=app.version, routes=app.routes)
        return merge_documents(base, {n: d for n, d in fetched if d is not None})

    @app.api_route(
        "/api/{service}/{path:path}",
        methods=FORWARDED_METHODS,
        include_in_schema=False,
    )
    async def forward(service: str, path: str, request: Request):  # type: ignore[no-untyped-def]
        return await upstreams.forward(service, path, request)

    return app
