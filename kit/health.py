"""Probes: ``/healthz`` (the process answers) and ``/readyz`` (database reachable, at head —
or ahead, during a rolling upgrade)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from kit.errors import ServiceUnavailable
from kit.migrations import current_revisions, head_revisions, known_revisions


def health_router(service: str) -> APIRouter:
    router = APIRouter(tags=["health"])
    heads = head_revisions(service)
    known = known_revisions(service)

    @router.get("/healthz", summary="The process is up")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @router.get(
        "/readyz",
        summary="The database answers and is migrated to the head revision",
        responses={503: {"description": "Not ready", "content": {"application/problem+json": {}}}},
    )
    def readyz(request: Request) -> dict[str, Any]:
        engine = request.app.state.engine
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            current = current_revisions(engine)
        except SQLAlchemyError as exc:
            raise ServiceUnavailable(
                f"The {service} database does not answer: {type(exc).__name__}",
                detail_fr=f"La base de données du service {service} ne répond pas "
                f"({type(exc).__name__}).",
                slug="database-unavailable",
            ) from exc
        if current and not current & known:
            # The database is ahead of this code: a newer release migrated it during a
            # rolling upgrade. Migrations are additive (docs/production.md), so the old code
            # keeps serving until it is replaced.
            return {
                "status": "ok",
                "service": service,
                "revision": sorted(current),
                "database_ahead": True,
            }
        if current != heads:
            raise ServiceUnavailable(
                f"The {service} database is at revision {sorted(current) or 'none'}, "
                f"expected {sorted(heads)}: run `mutualis migrate {service}`.",
                detail_fr=f"La base de données du service {service} est à la révision "
                f"{sorted(current) or 'aucune'}, {sorted(heads)} attendue : lancez "
                f"`mutualis migrate {service}`.",
                slug="database-not-migrated",
            )
        return {"status": "ok", "service": service, "revision": sorted(current)}

    return router
