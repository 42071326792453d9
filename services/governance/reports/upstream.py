"""Reads from the registry and billing over HTTP (never their tables)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from kit.client import ServiceClient, UpstreamError
from kit.errors import AppError


def client(app: FastAPI, service: str) -> ServiceClient:
    """The long-lived client of ``service`` (``app.state.<service>_client`` may hold another,
    e.g. one on the real upstream app in tests)."""
    attribute = f"{service}_client"
    found: ServiceClient | None = getattr(app.state, attribute, None)
    if found is None:
        settings = app.state.settings
        found = ServiceClient(
            service,
            getattr(settings, f"{service}_url"),
            caller="governance",
            secret=settings.internal_secret,
        )
        setattr(app.state, attribute, found)
    return found


def member_names(registry: ServiceClient) -> dict[str, str]:
    names: dict[str, str] = {}
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 500}
        if cursor:
            params["cursor"] = cursor
        page = registry.get_json("/members", params=params)
        names.update({m["code"]: m["name"] for m in page["items"]})
        cursor = page.get("next_cursor")
        if not cursor:
            return names


def billing_results(billing: ServiceClient, year: int) -> dict[str, Any] | None:
    """Billing's own figures for ``year``: its current final run, totals and member results."""
    runs = billing.get_json(
        "/runs", params={"fiscal_year": year, "kind": "final", "status": "succeeded", "limit": 50}
    )
    current = next((r for r in runs["items"] if r["is_current"]), None)
    if current is None:
        return None
    members: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 10_000}
        if cursor:
            params["cursor"] = cursor
        page = billing.get_json(f"/runs/{current['id']}/members", params=params)
        members.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            break
    recovery = billing.get_json("/payments/summary", params={"fiscal_year": year})
    return {"run": current, "members": members, "recovery": recovery}


def staffing_comparisons(billing: ServiceClient, year: int) -> dict[str, Any] | None:
    """Billing's comparison of each member's bill with hiring its own IT staff for the year
    (``GET /comparisons/{year}``); None without a run of the year, ``{"unavailable": True}``
    when billing (or the catalogue behind it) cannot answer: the rest of the report stands."""
    try:
        found: dict[str, Any] = billing.get_json(f"/comparisons/{year}")
    except UpstreamError as exc:
        if exc.status == 404:
            return None
        return {"unavailable": True}
    except AppError:
        return {"unavailable": True}
    return found
