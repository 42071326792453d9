"""Catalogue service app factory.

Run with ``uvicorn --factory services.catalogue.app:create_app``.
"""

from fastapi import FastAPI

from kit.app import create_service_app
from services.catalogue.settings import CatalogueSettings

DESCRIPTION = (
    "Service catalogue, IS components, cost lines, drivers and usage, inventory ingestion."
)


def create_app(settings: CatalogueSettings | None = None) -> FastAPI:
    settings = settings or CatalogueSettings()
    return create_service_app(
        settings=settings,
        title="Mutualis catalogue",
        description=DESCRIPTION,
        routers=[],
    )
