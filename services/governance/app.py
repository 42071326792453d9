"""Governance service app factory.

Run with ``uvicorn --factory services.governance.app:create_app``.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from kit.app import create_service_app
from kit.audit import audit_router
from services.governance.bodies.endpoints import router as bodies_router
from services.governance.decisions.endpoints import router as decisions_router
from services.governance.gdpr.endpoints import router as gdpr_router
from services.governance.indicators.endpoints import router as indicators_router
from services.governance.meetings.endpoints import router as meetings_router
from services.governance.models import AuditEntry
from services.governance.notify.sweeper import start_sweeper, stop_sweeper
from services.governance.packs.endpoints import router as packs_router
from services.governance.plans.endpoints import router as plans_router
from services.governance.projects.endpoints import router as projects_router
from services.governance.reports.endpoints import router as reports_router
from services.governance.settings import GovernanceSettings

DESCRIPTION = (
    "Bodies and meetings, master plans, project portfolio, workload plan, reports, GDPR registers."
)


def create_app(settings: GovernanceSettings | None = None) -> FastAPI:
    settings = settings or GovernanceSettings()
    app = create_service_app(
        settings=settings,
        title="Mutualis governance",
        description=DESCRIPTION,
        routers=[
            bodies_router,
            meetings_router,
            packs_router,
            decisions_router,
            plans_router,
            indicators_router,
            projects_router,
            gdpr_router,
            reports_router,
            audit_router(AuditEntry),
        ],
    )
    service_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[None]:
        async with service_lifespan(app_):
            await run_in_threadpool(start_sweeper, app_)  # deadlines mailed via the registry
            try:
                yield
            finally:
                await run_in_threadpool(stop_sweeper, app_)

    app.router.lifespan_context = lifespan
    return app
