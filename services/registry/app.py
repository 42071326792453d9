"""Registry service app factory.

Run with ``uvicorn --factory services.registry.app:create_app``.
"""

from fastapi import FastAPI

from kit.app import create_service_app
from services.registry.settings import RegistrySettings

DESCRIPTION = "Members (adhérents), conventions, contacts, workstation counts and budget calendars."


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    settings = settings or RegistrySettings()
    return create_service_app(
        settings=settings,
        title="Mutualis registry",
        description=DESCRIPTION,
        routers=[],
    )
