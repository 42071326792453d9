"""What the pack reads from billing and the registry over HTTP (never their tables): billing's
current final run and recoveries (the annual report's reader, reused), the forecasts notified
to the members and the members' budget calendars."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import FastAPI

from kit.client import ServiceClient
from services.governance.reports import upstream as reports


def _pages(client: ServiceClient, path: str, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        page = client.get_json(path, params=params)
        items.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return items


def total(row: dict[str, Any]) -> str:
    """A member's amount as billing bills it: operating after the cap plus investment."""
    return f"{Decimal(row['operating_invoiced']) + Decimal(row['investment']):.2f}"


def notified_forecasts(billing: ServiceClient, year: int) -> dict[str, dict[str, Any]]:
    """Per member, the last forecast of ``year`` notified to it: amount, run, date."""
    notices = billing.get_json("/forecast-notices", params={"fiscal_year": year})
    latest: dict[str, dict[str, Any]] = {}
    for notice in notices:  # oldest first: the last one wins
        latest[notice["member_code"]] = notice
    amounts: dict[int, dict[str, str]] = {}
    for run_id in sorted({n["run_id"] for n in latest.values()}):
        rows = _pages(billing, f"/runs/{run_id}/members", 10_000)
        amounts[run_id] = {r["member_code"]: total(r) for r in rows}
    return {
        code: {
            "run_id": n["run_id"],
            "notified_at": n["made_available_at"],
            "amount": amounts.get(n["run_id"], {}).get(code),
        }
        for code, n in latest.items()
    }


def budget_calendars(registry: ServiceClient, year: int) -> dict[str, dict[str, Any]]:
    rows = _pages(registry, f"/budget-calendars/{year}", 10_000)
    return {r["member_code"]: r for r in rows}


def budget_sources(app: FastAPI, year: int) -> dict[str, Any]:
    """Everything the budget follow-up of ``year`` needs, read now."""
    billing = reports.client(app, "billing")
    registry = reports.client(app, "registry")
    return {
        "names": reports.member_names(registry),
        "final": reports.billing_results(billing, year),
        "forecasts": notified_forecasts(billing, year),
        "calendars": budget_calendars(registry, year),
    }
