"""Registry service app factory.

Run with ``uvicorn --factory services.registry.app:create_app``.
"""

from fastapi import FastAPI

from kit.app import create_service_app
from kit.audit import audit_router
from services.registry.budget_calendars.endpoints import router as budget_calendars_router
from services.registry.contacts.endpoints import router as contacts_router
from services.registry.conventions.endpoints import router as conventions_router
from services.registry.imports.endpoints import router as imports_router
from services.registry.members.endpoints import router as members_router
from services.registry.models import AuditEntry
from services.registry.settings import RegistrySettings
from services.registry.workstations.endpoints import router as workstations_router

DESCRIPTION = "Members (adhérents), conventions, contacts, workstation counts and budget calendars."


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    settings = settings or RegistrySettings()
    return create_service_app(
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
            audit_router(AuditEntry),
        ],
    )
