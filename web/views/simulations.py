"""Simulations as the pages show them: the form's rows of changes turned into the API's
changes (and back), French labels of the kinds, the comparison as view rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from web.views.format import amount_from_form, euros, number

KINDS = {
    "workstations": "Nombre de postes de travail d'un adhérent",
    "usage": "Consommation d'un inducteur par un adhérent",
    "payroll_envelope": "Enveloppe de masse salariale",
    "cost_line_amount": "Montant d'une ligne de coût",
    "cost_line_remove": "Suppression d'une ligne de coût",
    "cost_line_add": "Ajout d'une ligne de coût",
    "member_join": "Adhésion d'un nouvel adhérent",
    "member_leave": "Retrait d'un adhérent",
    "cap": "Plafonnement activé ou désactivé",
}
MEMBER_KINDS = ("workstations", "usage")  # what a member's contact may simulate
ROW_FIELDS = ("kind", "member_code", "driver_code", "cost_line_id", "value", "name", "weights")
AMOUNTS = (
    ("total", "Facture (fonctionnement facturé + investissement)"),
    ("operating_invoiced", "Fonctionnement facturé"),
    ("investment", "Investissement"),
    ("payroll", "Quote-part de masse salariale"),
)
LINE_KINDS = {
    "payroll": "Quote-part de masse salariale",
    "direct": "Coût direct",
    "indirect": "Coût indirect",
    "cap": "Écrêtement (plafonnement)",
}
SECTIONS = {"operating": "Fonctionnement", "investment": "Investissement"}
BASE_KINDS = {"forecast": "prévisionnel", "final": "définitif"}


@dataclass
class Row:
    """One row of the form: a change of any kind, its fields as typed."""

    values: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    @property
    def empty(self) -> bool:
        return not self.get("kind")


def rows_from_form(form: dict[str, str], count: int) -> list[Row]:
    return [
        Row({name: str(form.get(f"{name}_{i}", "")).strip() for name in ROW_FIELDS})
        for i in range(count)
    ]


def _decimal(text: str) -> str | None:
    cleaned = text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return str(value) if value.is_finite() else None


def _weights(text: str) -> list[dict[str, str]] | None:
    """``ludres=1; nancy=2`` → the allocation; None when it cannot be read."""
    out = []
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        code, sep, weight = part.partition("=")
        value = _decimal(weight)
        if not sep or not code.strip() or value is None:
            return None
        out.append({"member_code": code.strip(), "weight": value})
    return out


def change_of(row: Row, member: str | None) -> dict[str, Any] | None:
    """The API's change for a filled row (``row.error`` set when it cannot be read); a member's
    contact's rows are its own member's."""
    kind = row.get("kind")
    code = member or row.get("member_code")
    value = row.get("value")
    if kind not in KINDS:
        row.error = "Choisissez le type de modification."
        return None
    needs = {
        "workstations": ("member", "value"), "usage": ("member", "driver", "value"),
        "payroll_envelope": ("value",), "cost_line_amount": ("cost_line", "value"),
        "cost_line_remove": ("cost_line",), "cost_line_add": ("name", "value"),
        "member_join": ("member", "name", "value"), "member_leave": ("member",), "cap": ("value",),
    }[kind]  # fmt: skip
    missing = {
        "member": not code, "driver": not row.get("driver_code"),
        "cost_line": not row.get("cost_line_id"), "name": not row.get("name"), "value": not value,
    }  # fmt: skip
    labels = {"member": "l'adhérent", "driver": "l'inducteur", "cost_line": "la ligne de coût",
              "name": "le nom", "value": "la valeur"}  # fmt: skip
    absent = [labels[n] for n in needs if missing[n]]
    if absent:
        row.error = "Indiquez " + " et ".join(absent) + "."
        return None
    if kind in ("workstations", "member_join"):
        if not value.isdigit():
            row.error = "Indiquez un nombre entier de postes."
            return None
    if kind == "workstations":
        return {"kind": kind, "member_code": code, "count": int(value)}
    if kind == "member_join":
        return {"kind": kind, "member_code": code, "name": row.get("name"),
                "workstations": int(value)}  # fmt: skip
    if kind == "member_leave":
        return {"kind": kind, "member_code": code}
    if kind == "cap":
        if value not in ("oui", "non"):
            row.error = "Indiquez « oui » (plafonnement activé) ou « non »."
            return None
        return {"kind": kind, "enabled": value == "oui"}
    if kind == "cost_line_remove":
        return {"kind": kind, "cost_line_id": row.get("cost_line_id")}
    if kind == "usage":
        quantity = _decimal(value)
        if quantity is None:
            row.error = "Indiquez une quantité (par exemple 12,5)."
            return None
        return {"kind": kind, "member_code": code, "driver_code": row.get("driver_code"),
                "quantity": quantity}  # fmt: skip
    amount = amount_from_form(value)
    if kind == "payroll_envelope":
        return {"kind": kind, "amount": amount}
    if kind == "cost_line_amount":
        return {"kind": kind, "cost_line_id": row.get("cost_line_id"), "amount": amount}
    weights = _weights(row.get("weights"))
    if weights is None:
        row.error = "Écrivez la répartition sous la forme « ludres=1; nancy=2 »."
        return None
    name = row.get("name")
    line: dict[str, Any] = {"kind": kind, "component_code": name[:80], "label": name,
                            "amount": amount, "allocation": weights}  # fmt: skip
    if row.get("driver_code"):
        line["driver_code"] = row.get("driver_code")
    return line


def row_of(change: dict[str, Any]) -> Row:
    """A saved change back as a row of the form (to change a simulation)."""
    kind = change.get("kind", "")
    values = {"kind": kind, "member_code": change.get("member_code", ""),
              "driver_code": change.get("driver_code") or "",
              "cost_line_id": change.get("cost_line_id", ""),
              "name": change.get("name") or change.get("label") or ""}  # fmt: skip
    value: Any = {
        "workstations": change.get("count"), "member_join": change.get("workstations"),
        "usage": change.get("quantity"), "payroll_envelope": change.get("amount"),
        "cost_line_amount": change.get("amount"), "cost_line_add": change.get("amount"),
        "cap": ("oui" if change.get("enabled") else "non") if kind == "cap" else None,
    }.get(kind)  # fmt: skip
    values["value"] = "" if value is None else str(value).replace(".", ",")
    values["weights"] = "; ".join(
        f"{w['member_code']}={w['weight']}" for w in change.get("allocation", [])
    )
    return Row(values)


def member_row(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": item["member_code"],
        "name": item["name"],
        "is_host": item["is_host"],
        "invoiced": item["invoiced"],
        "in_base": item["in_base"],
        "in_simulation": item["in_simulation"],
        "workstations": (
            number(item["workstations"]["base"]),
            number(item["workstations"]["simulated"]),
        ),
        "amounts": [
            (
                label,
                euros(item["base"][key]),
                euros(item["simulated"][key]),
                euros(item["difference"][key]),
            )
            for key, label in AMOUNTS
        ],  # fmt: skip
        "changed": Decimal(item["difference"]["total"]) != 0,
    }


def line_row(line: dict[str, Any]) -> dict[str, str]:
    return {
        "label": line["label"],
        "kind": LINE_KINDS.get(line["kind"], line["kind"]),
        "section": SECTIONS.get(line["section"], line["section"]),
        "base": euros(line["base"]) if line["base"] is not None else "—",
        "simulated": euros(line["simulated"]) if line["simulated"] is not None else "—",
        "difference": euros(line["difference"]),
    }


def base_label(base: dict[str, Any]) -> str:
    kind = BASE_KINDS.get(base["kind"], base["kind"])
    current = " en vigueur" if base.get("is_current") else ""
    return f"calcul {kind}{current} n° {base['id']} de {base['fiscal_year']}"
