"""Billing service app factory.

Run with ``uvicorn --factory services.billing.app:create_app``.
"""

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from kit.app import create_service_app
from kit.audit import audit_router
from services.billing.comparisons.endpoints import router as comparisons_router
from services.billing.fiscal_years.endpoints import router as fiscal_years_router
from services.billing.forecasts.endpoints import router as forecasts_router
from services.billing.history.endpoints import router as history_router
from services.billing.invoices import immutability  # noqa: F401 - registers the guard
from services.billing.invoices.documents import router as invoice_documents_router
from services.billing.invoices.endpoints import router as invoices_router
from services.billing.invoices.exercice_endpoints import router as exercices_router
from services.billing.invoices.exports import router as invoice_exports_router
from services.billing.invoices.feed import router as invoice_feed_router
from services.billing.invoices.imputation_endpoints import router as imputations_router
from services.billing.invoices.liquidations import router as liquidations_router
from services.billing.invoices.mandate_proposals import router as mandate_proposals_router
from services.billing.invoices.payments import router as payments_router
from services.billing.invoices.sending import router as sending_router
from services.billing.invoices.settings import IssuerSettings
from services.billing.invoices.signatories import router as signatories_router
from services.billing.invoices.validation import router as validations_router
from services.billing.models import AuditEntry
from services.billing.notifications import start_overdue_sweeper, stop_overdue_sweeper
from services.billing.runs.endpoints import router as runs_router
from services.billing.runs.worker import recover
from services.billing.settings import BillingSettings
from services.billing.settlements.endpoints import router as settlements_router
from services.billing.simulations.endpoints import router as simulations_router

DESCRIPTION = (
    "Fiscal years, billing runs, allocation, cap, and revenue titles (titres de recettes)."
)


def create_app(settings: BillingSettings | None = None) -> FastAPI:
    settings = settings or BillingSettings()
    app = create_service_app(
        settings=settings,
        title="Mutualis billing",
        description=DESCRIPTION,
        routers=[
            fiscal_years_router,
            history_router,
            runs_router,
            forecasts_router,
            comparisons_router,
            invoice_feed_router,  # before /invoices/{id}
            invoice_exports_router,
            imputations_router,
            exercices_router,
            liquidations_router,
            mandate_proposals_router,
            signatories_router,
            validations_router,
            payments_router,  # before /invoices/{id}
            invoices_router,
            invoice_documents_router,
            sending_router,
            simulations_router,
            settlements_router,
            audit_router(AuditEntry),
        ],
    )
    # the issuer's settings are checked at start-up (SIRET checksum, PES code lengths): a wrong
    # one would make every bordereau rejected by Hélios
    app.state.issuer_settings = IssuerSettings()
    app.state.run_worker_lock = threading.Lock()
    app.state.run_worker_wake = False
    service_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[None]:
        async with service_lifespan(app_):
            await run_in_threadpool(recover, app_)  # runs left by a process that died
            start_overdue_sweeper(app_)  # titles overdue mailed to the members
            try:
                yield
            finally:
                await run_in_threadpool(stop_overdue_sweeper, app_)

    app.router.lifespan_context = lifespan
    return app
