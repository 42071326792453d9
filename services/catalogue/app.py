"""Catalogue service app factory.

Run with ``uvicorn --factory services.catalogue.app:create_app``.
"""

from fastapi import FastAPI

from kit.app import create_service_app
from kit.audit import audit_router
from services.catalogue.components.endpoints import router as components
from services.catalogue.cost_lines.endpoints import router as cost_lines
from services.catalogue.drivers.endpoints import router as drivers
from services.catalogue.inventory.agent import router as glpi_agent
from services.catalogue.inventory.endpoints import router as inventory
from services.catalogue.inventory.mapping_endpoints import router as glpi_mappings
from services.catalogue.models import AuditEntry
from services.catalogue.offerings.endpoints import router as offerings
from services.catalogue.settings import CatalogueSettings
from services.catalogue.staffing.endpoints import router as staffing
from services.catalogue.usage.endpoints import router as usage

DESCRIPTION = (
    "Service catalogue, IS components, cost lines, drivers and usage, inventory ingestion."
)


def create_app(settings: CatalogueSettings | None = None) -> FastAPI:
    settings = settings or CatalogueSettings()
    return create_service_app(
        settings=settings,
        title="Mutualis catalogue",
        description=DESCRIPTION,
        routers=[
            offerings,
            components,
            drivers,
            cost_lines,
            usage,
            inventory,
            glpi_mappings,
            glpi_agent,
            staffing,
            audit_router(AuditEntry),
        ],
    )
