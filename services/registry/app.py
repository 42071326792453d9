"""Registry service app factory.

Run with ``uvicorn --factory services.registry.app:create_app``.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from kit.app import create_service_app
from kit.audit import audit_router
from services.registry.budget_calendars.endpoints import router as budget_calendars_router
from services.registry.contacts.endpoints import router as contacts_router
from services.registry.conventions.endpoints import router as conventions_router
from services.registry.imports.endpoints import router as imports_router
from services.registry.members.endpoints import router as members_router
from services.registry.models import AuditEntry
from services.registry.notifications.endpoints import router as notifications_router
from services.registry.notifications.worker import start_mail, stop_mail
from services.registry.settings import RegistrySettings
from services.registry.workstations.endpoints import router as workstations_router

DESCRIPTION = (
    "Members (adhérents), conventions, contacts, workstation counts, budget calendars, and "
    "the notifications sent to their contacts by e-mail."
)


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    settings = settings or RegistrySettings()
    app = create_service_app(
        settings=settings,
        title="Mutualis registry",
        description=DESCRIPTION,
        routers=[
            members_router,
            conventions_router,
            contacts_router,
            workstations_router,
            budget_calendars_router,
            imports_router,
            notifications_router,
            audit_router(AuditEntry),
        ],
    )
    service_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[None]:
        async with service_lifespan(app_):
            await run_in_threadpool(start_mail, app_)  # catch-all (development), mail worker
            try:
                yield
            finally:
                await run_in_threadpool(stop_mail, app_)

    app.router.lifespan_context = lifespan
    return app
