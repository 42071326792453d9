"""What issuing reads from the registry over HTTP: debtors, budget calendars, conventions.

``RegistryReader`` follows the registry's public read contract; tests wire it to the real
registry app (``app.state.invoice_registry``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI

from kit.client import ServiceClient


@dataclass
class RegistryFacts:
    """The registry as issuing needs it for one fiscal year."""

    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    bp_voted_on: dict[str, dt.date | None] = field(default_factory=dict)
    legal_basis: dict[str, dict[str, Any]] = field(default_factory=dict)


class RegistryReader:
    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    def _items(self, path: str, limit: int = 500) -> Iterator[dict[str, Any]]:
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": limit}
            if cursor:
                params["cursor"] = cursor
            page = self.client.get_json(path, params=params)
            yield from page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                return

    def facts(
        self, fiscal_year: int, member_codes: set[str], *, budget_year: int | None = None
    ) -> RegistryFacts:
        """The debtors, their BP vote of ``budget_year`` (the exercice that pays; default the
        service year) and their legal basis for the services of ``fiscal_year``."""
        facts = RegistryFacts()
        for member in self._items("/members"):
            if member["code"] in member_codes:
                facts.members[member["code"]] = member
        for calendar in self._items(f"/budget-calendars/{budget_year or fiscal_year}"):
            voted = calendar.get("bp_voted_on")
            facts.bp_voted_on[calendar["member_code"]] = (
                dt.date.fromisoformat(voted) if voted else None
            )
        conventions: dict[str, dict[str, Any]] = {}
        for code in sorted(member_codes & facts.members.keys()):
            facts.legal_basis[code] = self._legal_basis(code, fiscal_year, conventions)
        return facts

    def _legal_basis(
        self, member_code: str, fiscal_year: int, cache: dict[str, dict[str, Any]]
    ) -> dict[str, Any]:
        """The convention in force during the year that the member adhered to, with both
        deliberations (the Métropole's and the member's)."""
        best: dict[str, Any] = {}
        for adhesion in self._items(f"/members/{member_code}/adhesions"):
            code = adhesion["convention_code"]
            if code not in cache:
                cache[code] = self.client.get_json(f"/conventions/{code}")
            convention = cache[code]
            in_force = (
                convention["starts_on"] <= f"{fiscal_year}-12-31"
                and convention["effective_ends_on"] >= f"{fiscal_year}-01-01"
            )
            if in_force or not best:
                best = {
                    "convention_code": code,
                    "convention_title": convention["title"],
                    "convention_deliberation": convention.get("deliberation_ref"),
                    "convention_deliberated_on": convention.get("deliberated_on"),
                    "member_deliberation": adhesion.get("deliberation_ref"),
                    "member_deliberated_on": adhesion.get("deliberated_on"),
                }
        return best


def registry_reader(app: FastAPI) -> RegistryReader:
    reader: RegistryReader | None = getattr(app.state, "invoice_registry", None)
    if reader is None:
        settings = app.state.settings
        client = ServiceClient(
            "registry", settings.registry_url, caller="billing", secret=settings.internal_secret
        )
        reader = RegistryReader(client)
        app.state.invoice_registry = reader
    return reader
