"""The catalogue's staffing references, read over HTTP like a run reads its inputs."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from fastapi import FastAPI

from kit.client import ServiceClient
from services.billing.comparisons.staffing import Need, Profile
from services.billing.engine.money import to_cents
from services.billing.runs.inputs import HttpInputs
from services.billing.runs.worker import inputs_source


def catalogue(app: FastAPI) -> ServiceClient:
    """``app.state.catalogue_client``, else the runs' catalogue reader (one long-lived client)."""
    found: ServiceClient | None = getattr(app.state, "catalogue_client", None)
    if found is None:
        source = inputs_source(app)
        if isinstance(source, HttpInputs):
            found = source.catalogue
        else:
            settings = app.state.settings
            found = ServiceClient(
                "catalogue",
                settings.catalogue_url,
                caller="billing",
                secret=settings.internal_secret,
            )
        app.state.catalogue_client = found
    return found


def _items(client: ServiceClient, path: str) -> Iterator[dict[str, Any]]:
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 200}
        if cursor:
            params["cursor"] = cursor
        page = client.get_json(path, params=params)
        yield from page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return


def references(client: ServiceClient) -> tuple[list[Profile], list[Need]]:
    profiles = [
        Profile(
            code=p["code"],
            label=p["label"],
            yearly_cost_cents=to_cents(p["yearly_cost"]),
            reference_year=int(p["reference_year"]),
            source=p["source"],
            min_fte=Decimal(p["min_fte"]),
        )
        for p in _items(client, "/staffing/profiles")
    ]
    needs = [
        Need(
            service_code=n["service_code"],
            service_name=n["service_name"],
            profile_code=n["profile_code"],
            min_workstations=int(n["min_workstations"]),
            fte=Decimal(n["fte"]),
        )
        for n in _items(client, "/staffing/needs")
    ]
    return profiles, needs
