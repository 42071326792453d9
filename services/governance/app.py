"""Governance service app factory.

Run with ``uvicorn --factory services.governance.app:create_app``.
"""

from fastapi import FastAPI

from kit.app import create_service_app
from services.governance.settings import GovernanceSettings

DESCRIPTION = (
    "Bodies and meetings, master plans, project portfolio, workload plan, reports, GDPR registers."
)


def create_app(settings: GovernanceSettings | None = None) -> FastAPI:
    settings = settings or GovernanceSettings()
    return create_service_app(
        settings=settings,
        title="Mutualis governance",
        description=DESCRIPTION,
        routers=[],
    )
