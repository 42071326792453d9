"""Where a run reads its inputs: the registry and the catalogue, over HTTP (``kit.client``).

``HttpInputs`` follows every page (``next_cursor``) of the bulk read endpoints and returns plain
values; the run turns them into its snapshot. A failing upstream raises an ``AppError`` naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from kit.client import ServiceClient
from services.billing.engine.snapshot import CostLine, Member

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class UpstreamInputs:
    members: tuple[Member, ...]
    workstations: tuple[tuple[str, int], ...]
    drivers: tuple[tuple[str, str], ...]
    cost_lines: tuple[CostLine, ...]
    usage: tuple[tuple[str, str, str], ...]


class InputsSource(Protocol):
    def fetch(self, fiscal_year: int, progress: Progress) -> UpstreamInputs: ...


class HttpInputs:
    """Reads the registry and the catalogue through their public read contracts."""

    def __init__(self, registry: ServiceClient, catalogue: ServiceClient, page_size: int) -> None:
        self.registry = registry
        self.catalogue = catalogue
        self.page_size = page_size

    def _items(self, client: ServiceClient, path: str, limit: int) -> Iterator[dict[str, Any]]:
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": limit}
            if cursor:
                params["cursor"] = cursor
            page = client.get_json(path, params=params)
            yield from page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                return

    def fetch(self, fiscal_year: int, progress: Progress) -> UpstreamInputs:
        members = tuple(
            Member(
                code=m["code"],
                name=m["name"],
                is_host=bool(m["is_host"]),
                invoiced=bool(m["invoiced"]),
                joined_on=m.get("joined_on"),
                left_on=m.get("left_on"),
            )
            for m in self._items(self.registry, "/members", 500)
        )
        workstations = tuple(
            (w["member_code"], int(w["count"]))
            for w in self._items(self.registry, f"/workstations/{fiscal_year}", self.page_size)
        )
        progress(15, "registry read")
        drivers = tuple(
            (d["code"], d.get("unit") or "") for d in self._items(self.catalogue, "/drivers", 500)
        )
        cost_lines = tuple(
            _cost_line(c)
            for c in self._items(
                self.catalogue, f"/yearly-cost-lines/{fiscal_year}", self.page_size
            )
        )
        progress(30, "cost lines read")
        usage = tuple(
            (u["driver_code"], u["member_code"], str(u["quantity"]))
            for u in self._items(self.catalogue, f"/usage/{fiscal_year}", self.page_size)
        )
        progress(45, "usage read")
        return UpstreamInputs(members, workstations, drivers, cost_lines, usage)


def _cost_line(item: dict[str, Any]) -> CostLine:
    return CostLine(
        cost_line_id=str(item["cost_line_id"]),
        component_code=item["component_code"],
        service_code=item.get("service_code"),
        fiscal_year=int(item["fiscal_year"]),
        section=item["section"],
        mode=item["mode"],
        driver_code=item.get("driver_code"),
        nature=item.get("nature"),
        amount=str(item["amount"]),
        allocation=tuple(
            (a["member_code"], str(a["weight"])) for a in item.get("allocation") or ()
        ),
    )
