"""Billing service app factory.

Run with ``uvicorn --factory services.billing.app:create_app``.
"""

from fastapi import FastAPI

from kit.app import create_service_app
from services.billing.fiscal_years.endpoints import router as fiscal_years_router
from services.billing.history.endpoints import router as history_router
from services.billing.settings import BillingSettings

DESCRIPTION = (
    "Fiscal years, billing runs, allocation, cap, and revenue titles (titres de recettes)."
)


def create_app(settings: BillingSettings | None = None) -> FastAPI:
    settings = settings or BillingSettings()
    return create_service_app(
        settings=settings,
        title="Mutualis billing",
        description=DESCRIPTION,
        routers=[fiscal_years_router, history_router],
    )
