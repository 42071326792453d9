"""Web app factory (run with ``uvicorn --factory web.app:create_app``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kit.forwarding import ClientAddressMiddleware
from kit.logging import RequestIdMiddleware, configure_logging
from kit.metrics import install_metrics
from kit.security import SecurityHeadersMiddleware
from kit.tracing import configure_tracing
from web import errors
from web.gateway_client import GatewayClient
from web.rendering import WEB_DIR
from web.routes import (
    accounts,
    audit,
    auth,
    billing,
    billing_simulations,
    billing_years,
    catalogue,
    catalogue_components,
    catalogue_costs,
    catalogue_glpi,
    catalogue_imports,
    catalogue_staffing,
    dashboard,
    governance,
    governance_gdpr,
    governance_gdpr_forms,
    governance_meetings,
    governance_packs,
    governance_plans,
    governance_plans_forms,
    invoices,
    invoices_accounting,
    invoices_documents,
    invoices_helios,
    invoices_issue,
    member_catalogue,
    members,
    notifications,
    settlements,
    settlements_forms,
    signatures,
    status,
)
from web.settings import WebSettings


def create_app(
    settings: WebSettings | None = None,
    *,
    gateway_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    settings = settings or WebSettings()
    configure_logging("web", fmt=settings.log_format, level=settings.log_level)
    gateway = GatewayClient(
        settings.gateway_url, transport=gateway_transport, secret=settings.internal_secret
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await gateway.aclose()

    app = FastAPI(title="Mutualis web", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.gateway = gateway
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.https)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(ClientAddressMiddleware)
    app.add_middleware(errors.ControlCharacterPathMiddleware)
    install_metrics(app, "web", protected=True)  # bearer MUTUALIS_METRICS_TOKEN
    configure_tracing("web")
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    errors.install(app)
    app.include_router(auth.router)
    app.include_router(status.router)
    app.include_router(members.router)
    app.include_router(dashboard.router)
    app.include_router(member_catalogue.router)
    app.include_router(governance_meetings.router)  # /seances/nouvelle before /seances/{id}
    app.include_router(governance_packs.router)
    app.include_router(governance_plans_forms.router)  # /projets/nouveau before /projets/{code}
    app.include_router(governance_gdpr_forms.router)
    app.include_router(governance.router)
    app.include_router(governance_gdpr.router)
    app.include_router(governance_plans.router)
    app.include_router(catalogue.router)
    app.include_router(catalogue_components.router)
    app.include_router(catalogue_costs.router)
    app.include_router(catalogue_glpi.router)
    app.include_router(catalogue_imports.router)
    app.include_router(catalogue_staffing.router)
    app.include_router(billing.router)
    app.include_router(billing_years.router)
    app.include_router(billing_simulations.router)
    app.include_router(signatures.router)  # /titres/a-valider before /titres/{id}
    app.include_router(invoices_accounting.router)  # /titres/comptabilite before /titres/{id}
    app.include_router(invoices_helios.router)  # /titres/helios before /titres/{id}
    app.include_router(invoices.router)
    app.include_router(invoices_documents.router)
    app.include_router(invoices_issue.router)
    app.include_router(settlements.router)
    app.include_router(settlements_forms.router)
    app.include_router(accounts.router)
    app.include_router(notifications.router)
    app.include_router(audit.router)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": "web"}

    app.add_api_route("/readyz", healthz, include_in_schema=False)  # no database: up is ready
    return app
