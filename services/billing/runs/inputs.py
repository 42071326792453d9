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
    labels: tuple[tuple[str, str, str], ...] = ()  # (kind, code, French name): see Snapshot


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
        catalogue_drivers = list(self._items(self.catalogue, "/drivers", 500))
        drivers = tuple((d["code"], d.get("unit") or "") for d in catalogue_drivers)
        items = list(
            self._items(self.catalogue, f"/yearly-cost-lines/{fiscal_year}", self.page_size)
        )
        cost_lines = tuple(_cost_line(c) for c in items)
        labels = names(catalogue_drivers, items)
        progress(30, "cost lines read")
        usage = tuple(
            (u["driver_code"], u["member_code"], str(u["quantity"]))
            for u in self._items(self.catalogue, f"/usage/{fiscal_year}", self.page_size)
        )
        progress(45, "usage read")
        return UpstreamInputs(members, workstations, drivers, cost_lines, usage, labels)


def _one_line(text: Any) -> str:
    return " ".join(str(text or "").split())


def names(
    drivers: list[dict[str, Any]], cost_lines: list[dict[str, Any]]
) -> tuple[tuple[str, str, str], ...]:
    """The catalogue's French names of what the run uses: a driver's description (its label,
    e.g. "Postes de travail gérés"), a component's and a service's name."""
    out = {
        ("driver", d["code"], " ".join(str(d.get("description") or "").split())) for d in drivers
    }
    for c in cost_lines:
        out.add(("component", c["component_code"], str(c.get("component_name") or "")))
        if c.get("service_code"):
            out.add(("service", c["service_code"], str(c.get("service_name") or "")))
    return tuple(sorted(item for item in out if item[2]))


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
