"""Gouvernance — RGPD (back office, DPO): the processor register's entries (create, edit),
breaches (declare, update, notify the CNIL, close — the last two confirmed first, with the
72-hour clock in Paris time) and the answer to a data-subject request (confirmed when final)."""

from __future__ import annotations

from fastapi import APIRouter

from web.routes.governance_gdpr_forms import breaches, processing, subject_requests

router = APIRouter()
router.include_router(processing.router)
router.include_router(breaches.router)
router.include_router(subject_requests.router)
