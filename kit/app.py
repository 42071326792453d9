"""The one factory behind every back-end service app: same errors, logs, probes, lifecycle."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI

from kit.db import create_db_engine, make_sessionmaker
from kit.errors import install_error_handlers
from kit.health import health_router
from kit.i18n import LanguageMiddleware
from kit.identity import current_principal
from kit.logging import RequestIdMiddleware, configure_logging
from kit.metrics import install_metrics
from kit.openapi import document_problems
from kit.settings import ServiceSettings
from kit.tracing import configure_tracing


def create_service_app(
    *,
    settings: ServiceSettings,
    title: str,
    description: str,
    routers: Sequence[APIRouter] = (),
    version: str = "0.1.0",
) -> FastAPI:
    """Build a service: the engine is created here (connections open lazily) and disposed on
    shutdown, so the app also works under ``httpx.ASGITransport`` which runs no lifespan."""
    name = settings.service_name
    configure_logging(name, fmt=settings.log_format, level=settings.log_level)
    engine = create_db_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(title=title, description=description, version=version, lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    install_error_handlers(app)
    app.add_middleware(LanguageMiddleware)
    app.add_middleware(RequestIdMiddleware)
    install_metrics(app, name)  # /metrics open like the probes: services are never public
    configure_tracing(name)
    app.include_router(health_router(name))
    for router in routers:
        # every API route needs the internal identity; probes and OpenAPI stay open
        app.include_router(router, dependencies=[Depends(current_principal)])
    document_errors(app)
    return app


def document_errors(app: FastAPI) -> None:
    """The app's OpenAPI document names the problem responses of every operation."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
