"""Gouvernance (back office): a master-plan action's progress, an indicator's measurements,
projects (create, edit, their own page) and the person-days they need (workload entries)."""

from __future__ import annotations

from fastapi import APIRouter

from web.routes.governance_plans_forms import actions, indicators, projects

router = APIRouter()
router.include_router(actions.router)
router.include_router(indicators.router)
router.include_router(projects.router)
