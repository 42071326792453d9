"""Prometheus metrics of every app: HTTP requests by route template and status, billing runs,
ingestion counts, all served on ``/metrics`` in the Prometheus text format.

Each container runs one uvicorn process (scale with replicas, not ``--workers``), so the default
in-process registry is exact; Prometheus adds the ``pod``/``instance`` label when it scrapes.

Routes are labelled by their template (``/members/{code}``), never by the raw path, so a scan of
random URLs cannot explode the number of series: unmatched requests share ``<unmatched>``.

Where ``/metrics`` is served:
- back-end services: open, like ``/healthz`` (they are never exposed outside the cluster);
- gateway and web (``protected=True``): only with ``Authorization: Bearer $MUTUALIS_METRICS_TOKEN``,
  and not at all (404) when that variable is not set, because both face the public.
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Mapping

from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

METRICS_PATH = "/metrics"
UNMATCHED = "<unmatched>"

HTTP_REQUESTS = Counter(
    "mutualis_http_requests",
    "HTTP requests answered, by app, method, route template and status code.",
    ["app", "method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "mutualis_http_request_duration_seconds",
    "Time to answer an HTTP request (until the end of the body), by route template and status.",
    ["app", "method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
BILLING_RUN_DURATION = Histogram(
    "mutualis_billing_run_duration_seconds",
    "Duration of a billing run from its claim to its final status, by kind and outcome.",
    ["kind", "outcome"],  # kind: forecast | final; outcome: succeeded | failed
    buckets=(1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
)
INGESTED_ITEMS = Counter(
    "mutualis_ingestion_items",
    "Items received by bulk ingestion, by feed and by what became of them.",
    ["feed", "outcome"],  # feed: inventory | usage | …; outcome: created|updated|unchanged|rejected
)


class MetricsSettings(BaseSettings):
    """``MUTUALIS_METRICS_TOKEN``: the bearer token Prometheus sends to the gateway and web."""

    model_config = SettingsConfigDict(env_prefix="MUTUALIS_METRICS_", extra="ignore")

    token: str = Field("", description="bearer token for /metrics on the gateway and web")


def observe_billing_run(*, kind: str, outcome: str, seconds: float) -> None:
    """Called once per billing run when it reaches ``succeeded`` or ``failed``."""
    BILLING_RUN_DURATION.labels(kind=kind, outcome=outcome).observe(seconds)


def count_ingestion(*, feed: str, counts: Mapping[str, int]) -> None:
    """Called once per bulk ingestion with its report, e.g. ``{"created": 3, "rejected": 1}``."""
    for outcome, number in counts.items():
        if number:
            INGESTED_ITEMS.labels(feed=feed, outcome=outcome).inc(number)


def route_template(scope: Scope) -> str:
    """The template of the route that answered (``/members/{code}``), never the raw path."""
    route = scope.get("route")
    if route is None:
        return UNMATCHED
    if isinstance(route, Mount):
        return f"{route.path}/{{path}}"
    return str(getattr(route, "path_format", None) or getattr(route, "path", UNMATCHED))


class MetricsMiddleware:
    """Pure ASGI middleware (streaming-safe): counts and times every request but ``/metrics``."""

    def __init__(self, app: ASGIApp, *, app_name: str) -> None:
        self.app = app
        self.app_name = app_name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") == METRICS_PATH:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            labels = {
                "app": self.app_name,
                "method": scope["method"],
                "route": route_template(scope),
                "status": str(status),
            }
            HTTP_REQUESTS.labels(**labels).inc()
            HTTP_DURATION.labels(**labels).observe(time.perf_counter() - started)


def _problem(status: int, slug: str, detail: str) -> Response:
    body = {"type": f"urn:mutualis:problem:{slug}", "status": status, "detail": detail}
    headers = {"WWW-Authenticate": 'Bearer realm="metrics"'} if status == 401 else None
    return Response(
        json.dumps(body), status, headers=headers, media_type="application/problem+json"
    )


def install_metrics(
    app: FastAPI,
    app_name: str,
    *,
    protected: bool = False,
    registry: CollectorRegistry = REGISTRY,
) -> None:
    """Count the app's requests and serve ``/metrics`` (see the module docstring)."""
    token = MetricsSettings().token if protected else ""
    app.add_middleware(MetricsMiddleware, app_name=app_name)

    @app.get(METRICS_PATH, include_in_schema=False)
    def metrics(request: Request) -> Response:
        if protected:
            # plain responses: the web app renders AppError as HTML pages, not problem+json
            if not token:
                return _problem(404, "not-found", "Not found.")
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                return _problem(401, "unauthorized", "Metrics need the MUTUALIS_METRICS_TOKEN.")
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
