"""View models of billing runs: a run, its members' amounts, and one member's explanation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from web.views.format import euros, number, timestamp

KINDS = {"forecast": "Prévisionnel", "final": "Définitif"}
STATUSES = {
    "queued": "En file d'attente",
    "running": "En cours",
    "succeeded": "Terminé",
    "failed": "Échoué",
}
PHASES = {
    "queued": "en attente d'un calculateur",
    "claimed": "pris en charge",
    "registry read": "adhérents et postes de travail lus",
    "cost lines read": "lignes de coût lues",
    "usage read": "consommations lues",
    "computing": "calcul des quotes-parts",
    "storing results": "enregistrement des résultats",
    "done": "terminé",
    "failed": "échoué",
}
# the web's label tables of billing's codes (the billing service has its own for documents,
# services/billing/labels.py; names of components, services and drivers come with the data)
SECTIONS = {"operating": "Fonctionnement", "investment": "Investissement"}
LINE_KINDS = {
    "payroll": "Masse salariale",
    "direct": "Coût direct",
    "indirect": "Coût indirect",
    "cap": "Écrêtement",
}
NATURES = {
    "acquisition": "acquisition",
    "maintenance": "maintenance",
    "licence": "licences",
    "subscription": "abonnement",
    "hosting": "hébergement",
    "service": "prestation de service",
}
HISTORY_SOURCES = {"import": "historique importé", "titles": "titres émis (nets des corrections)"}


def history_source(source: str) -> str:
    """Where a cap history total comes from, in French (``run:12`` is a final run)."""
    if source.startswith("run:"):
        return f"calcul définitif n°{source[4:]}"
    return HISTORY_SOURCES.get(source, source)


TOTAL_LABELS = {
    "payroll": "Masse salariale",
    "direct_operating": "Direct — fonctionnement",
    "indirect_operating": "Indirect — fonctionnement",
    "operating": "Fonctionnement avant plafonnement",
    "cap_reduction": "Écrêtement",
    "operating_invoiced": "Fonctionnement facturé",
    "direct_investment": "Direct — investissement",
    "indirect_investment": "Indirect — investissement",
    "investment": "Investissement",
    "host_share": "Part de l'hôte",
    "cap_absorbed": "Écrêtement absorbé",
    "host_absorbs": "Pris en charge par l'hôte",
    "invoiced_total": "Total facturé",
}
# columns of the results table and of its CSV/XLSX exports, in order
MEMBER_AMOUNTS = (
    ("payroll", "Masse salariale"),
    ("direct_operating", "Direct fonct."),
    ("indirect_operating", "Indirect fonct."),
    ("operating", "Fonct. avant plafond"),
    ("cap_reduction", "Écrêtement"),
    ("operating_invoiced", "Fonct. facturé"),
    ("investment", "Investissement"),
)


def unit_price(value: str | None) -> str:
    """Unit prices keep every decimal the API gives (informative, at least 6)."""
    return number(value) + "\u00a0€" if value else ""


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    fix: str


LAUNCHER = re.compile(r"^[a-z]+:\d+ \((?P<name>.+)\)$")


def person(principal: str) -> str:
    """``account:2 (Service financier)`` → the person's name, never the account's code."""
    found = LAUNCHER.match(principal)
    return found["name"] if found else principal


@dataclass(frozen=True)
class RunView:
    id: int
    fiscal_year: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    progress: int
    phase_label: str
    launched_by: str
    created_at: str
    made_available_at: str
    finished_at: str
    snapshot_hash: str
    is_current: bool
    replaces: int | None
    replaced_by: int | None
    replacement_reason: str | None
    problems: list[Problem]
    totals: list[tuple[str, str]]
    rate_per_workstation: str
    total_workstations: str

    @property
    def in_progress(self) -> bool:
        return self.status in ("queued", "running")

    @classmethod
    def of(cls, item: dict[str, Any]) -> RunView:
        payroll = item.get("payroll") or {}
        totals = item.get("totals") or {}
        return cls(
            id=item["id"],
            fiscal_year=item["fiscal_year"],
            kind=item["kind"],
            kind_label=KINDS.get(item["kind"], item["kind"]),
            status=item["status"],
            status_label=STATUSES.get(item["status"], item["status"]),
            progress=int(item.get("progress") or 0),
            phase_label=PHASES.get(item.get("phase") or "", item.get("phase") or ""),
            launched_by=person(item.get("launched_by") or ""),
            created_at=timestamp(item.get("created_at")),
            made_available_at=timestamp(item.get("made_available_at")),
            finished_at=timestamp(item.get("finished_at")),
            snapshot_hash=item.get("snapshot_hash") or "",
            is_current=bool(item.get("is_current")),
            replaces=item.get("replaces"),
            replaced_by=item.get("replaced_by"),
            replacement_reason=item.get("replacement_reason"),
            problems=[
                Problem(p["code"], p["message"], p.get("fix", ""))
                for p in item.get("problems") or []
            ],
            totals=[
                (label, euros(totals[key])) for key, label in TOTAL_LABELS.items() if key in totals
            ],
            rate_per_workstation=unit_price(payroll.get("rate_per_workstation")),
            total_workstations=number(payroll.get("total_workstations")),
        )


@dataclass(frozen=True)
class MemberAmounts:
    code: str
    name: str
    is_host: bool
    invoiced: bool
    workstations: str
    raw: dict[str, str]  # two-decimal strings, as the API sent them (exports)
    shown: dict[str, str]  # the same in French format

    @classmethod
    def of(cls, item: dict[str, Any]) -> MemberAmounts:
        raw = {key: item[key] for key, _ in MEMBER_AMOUNTS}
        return cls(
            code=item["member_code"],
            name=item["name"],
            is_host=item["is_host"],
            invoiced=item["invoiced"],
            workstations=number(item.get("workstations")),
            raw=raw,
            shown={key: euros(value) for key, value in raw.items()},
        )


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class ExplainedLine:
    number: int
    label: str
    kind_label: str
    section_label: str
    amount: str
    basis: list[Fact]
    rounding: list[Fact]


BASIS_LABELS = {
    "payroll_envelope": ("Enveloppe de masse salariale", euros),
    "total_workstations": ("Postes de travail (total)", number),
    "rate_per_workstation": ("Taux par poste", unit_price),
    "workstations": ("Postes de l'adhérent", number),
    "component_name": ("Composant", str),
    "service_name": ("Service", str),
    "nature_label": ("Nature de la dépense", str),
    "cost_line_id": ("Ligne de coût n°", str),
    "line_amount": ("Montant de la ligne", euros),
    "weight": ("Poids de l'adhérent", number),
    "total_weight": ("Poids total", number),
    "driver_label": ("Inducteur", str),
    "unit": ("Unité", str),
    "pool_amount": ("Coût réparti", euros),
    "usage": ("Consommation de l'adhérent", number),
    "total_usage": ("Consommation totale", number),
    "unit_price": ("Prix unitaire", unit_price),
    "ceiling": ("Plafond (moyenne)", euros),
    "operating_before_cap": ("Fonctionnement avant plafond", euros),
    "reduction": ("Écrêtement", euros),
    "window": ("Années de référence", lambda v: ", ".join(str(y) for y in v)),
}
ROUNDING_LABELS = {
    "exact": ("Part exacte", lambda v: number(v) + "\u00a0€"),
    "floored": ("Arrondie au centime inférieur", euros),
    "remainder_cent": ("Centime de reste reçu", euros),
    "remainder_rank": ("Rang du reste", str),
    "remainder_cents_distributed": ("Centimes de reste distribués", str),
}


def facts(values: dict[str, Any], labels: dict[str, Any]) -> list[Fact]:
    return [
        Fact(label, fmt(values[key]))
        for key, (label, fmt) in labels.items()
        if key in values and values[key] is not None
    ]


def readable_basis(basis: dict[str, Any]) -> dict[str, Any]:
    """A line's basis with names instead of codes: the names the run carried, else (a run made
    before names were kept) the code, and the nature's label."""
    out = dict(basis)
    for name, code in (
        ("component_name", "component_code"),
        ("service_name", "service_code"),
        ("driver_label", "driver_code"),
    ):
        if not out.get(name) and out.get(code):
            out[name] = out[code]
    if out.get("nature"):
        out["nature_label"] = NATURES.get(out["nature"], out["nature"])
    return out


def explained_line(line: dict[str, Any]) -> ExplainedLine:
    return ExplainedLine(
        number=line["line"],
        label=line["label"],
        kind_label=LINE_KINDS.get(line["kind"], line["kind"]),
        section_label=SECTIONS.get(line["section"], line["section"]),
        amount=euros(line["amount"]),
        basis=facts(readable_basis(line.get("basis") or {}), BASIS_LABELS),
        rounding=facts(line.get("rounding") or {}, ROUNDING_LABELS),
    )
