"""Why the payroll share's workstation count and a workstations driver can differ.

They count different things, from different sources, on purpose (DESIGN.md, billing rules):

- the payroll share is indexed on the member's workstation count for the service year as the
  registry holds it (``/members/{code}/workstations/{year}``: declared by the member or taken
  from the DSIT's records at a reference date, usually 31 December of the year before) — every
  workstation of the member, the index the convention sets for sharing the DSIT's staff;
- a driver of unit "postes" (the demo's ``workstations``, "Postes de travail gérés") is a usage
  measurement in the catalogue: the workstations the DSIT actually manages for the member at
  the measurement date, from its inventory, which shares the costs that follow the managed
  fleet (antivirus, renewal of the fleet).

Reconciling them would change the rules the convention sets; the notice and the run's
explanation say in one sentence which is which, so a reader is not left with two numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any


def is_workstation_driver(basis: dict[str, Any]) -> bool:
    unit = " ".join(str(basis.get("unit") or "").lower().split())
    return basis.get("driver_code") == "workstations" or unit in ("poste", "postes")


def french_number(value: Any) -> str:
    """``1100`` → ``1 100``, ``47.5`` → ``47,5`` (narrow no-break space between thousands)."""
    number = Decimal(str(value)).normalize()
    whole = f"{number:,f}".replace(",", "\u202f").replace(".", ",")
    return whole


def workstations_note(lines: Iterable[dict[str, Any]]) -> str | None:
    """One French sentence when a member has both a payroll share and a workstations driver,
    saying what each counts; None otherwise."""
    lines = list(lines)
    payroll = next((ln for ln in lines if ln["kind"] == "payroll"), None)
    drivers: dict[str, dict[str, Any]] = {}
    for line in lines:
        basis = line.get("basis") or {}
        if line["kind"] == "indirect" and is_workstation_driver(basis):
            drivers.setdefault(str(basis["driver_code"]), basis)
    if payroll is None or not drivers:
        return None
    count = payroll["basis"]["workstations"]
    measured = " ; ".join(
        f"l'inducteur « {b.get('driver_label') or 'Postes de travail gérés'} » compte "
        f"{french_number(b['usage'])} postes"
        for b in drivers.values()
    )
    return (
        f"Les {french_number(count)} postes de travail de la quote-part de masse salariale sont "
        "ceux que l'adhérent a déclarés au registre pour l'année de service (l'indice de "
        f"partage du personnel fixé par la convention) ; {measured}, mesurés par la DSIT dans "
        "son inventaire à la date de relevé pour répartir les coûts qui suivent le parc géré : "
        "ce ne sont pas les mêmes postes, et les deux nombres n'ont pas à être égaux."
    )
