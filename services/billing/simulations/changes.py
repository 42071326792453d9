"""Applying a simulation's changes to a copy of a run's snapshot (``dataclasses.replace`` on
the frozen ``Snapshot``): pure, so the rules are tested without a database. A change naming
what the snapshot does not hold (a member, a driver, a cost line) is refused with the index of
the change and a French message; nothing is ever written back to the run or its inputs."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from kit.french import quoted
from services.billing.engine.money import fmt, to_cents
from services.billing.engine.snapshot import CostLine, Member, Snapshot
from services.billing.simulations.schemas import (
    CapChange,
    Change,
    CostLineAddition,
    CostLineAmountChange,
    CostLineRemoval,
    MemberJoining,
    MemberLeaving,
    PayrollEnvelopeChange,
    UsageChange,
    WorkstationsChange,
)

# the kinds of change a member's contact may make: its own figures only
MEMBER_KINDS = ("workstations", "usage")
CHANGE_LABELS = {
    "workstations": "Nombre de postes de travail",
    "usage": "Consommation d'un inducteur",
    "payroll_envelope": "Enveloppe de masse salariale",
    "cost_line_amount": "Montant d'une ligne de coût",
    "cost_line_remove": "Suppression d'une ligne de coût",
    "cost_line_add": "Ajout d'une ligne de coût",
    "member_join": "Adhésion d'un nouvel adhérent",
    "member_leave": "Retrait d'un adhérent",
    "cap": "Plafonnement",
}


class ChangeErrors(Exception):
    """Changes that do not fit the snapshot: ``errors`` as the API's per-field errors."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} change(s) do not fit the base run")
        self.errors = errors


class _Applier:
    def __init__(self, snapshot: Snapshot) -> None:
        self.s = snapshot
        self.errors: list[dict[str, Any]] = []
        self.added = 0

    def error(self, index: int, field: str, message: str, message_fr: str) -> None:
        self.errors.append(
            {
                "field": f"changes.{index}.{field}",
                "message": message,
                "type": "simulation-change",
                "message_fr": message_fr,
            }
        )

    def participants(self) -> set[str]:
        return {m.code for m in self.s.members if m.participates_in(self.s.fiscal_year)}

    def member(self, index: int, code: str) -> bool:
        if code in self.participants():
            return True
        self.error(
            index,
            "member_code",
            f"'{code}' is not a member taking part in {self.s.fiscal_year} in the base run.",
            f"{quoted(code)} n'est pas un adhérent participant à {self.s.fiscal_year} dans le "
            "calcul de référence.",
        )
        return False

    def cost_line(self, index: int, line_id: str) -> bool:
        if any(c.cost_line_id == line_id for c in self.s.cost_lines):
            return True
        self.error(
            index,
            "cost_line_id",
            f"The base run has no cost line '{line_id}'.",
            f"Le calcul de référence n'a pas de ligne de coût n° {line_id}.",
        )
        return False

    def replace(self, **fields: Any) -> None:
        self.s = dataclasses.replace(self.s, **fields)

    def apply(self, index: int, change: Change) -> None:
        s = self.s
        if isinstance(change, WorkstationsChange):
            if self.member(index, change.member_code):
                rows = [w for w in s.workstations if w[0] != change.member_code]
                self.replace(workstations=(*rows, (change.member_code, change.count)))
        elif isinstance(change, UsageChange):
            self.usage(index, change)
        elif isinstance(change, PayrollEnvelopeChange):
            envelope = fmt(to_cents(change.amount))
            self.replace(parameters=dataclasses.replace(s.parameters, payroll_envelope=envelope))
        elif isinstance(change, CapChange):
            self.replace(parameters=dataclasses.replace(s.parameters, cap_enabled=change.enabled))
        elif isinstance(change, CostLineAmountChange):
            if self.cost_line(index, change.cost_line_id):
                amount = fmt(to_cents(change.amount))
                self.replace(
                    cost_lines=tuple(
                        dataclasses.replace(c, amount=amount)
                        if c.cost_line_id == change.cost_line_id
                        else c
                        for c in s.cost_lines
                    )
                )
        elif isinstance(change, CostLineRemoval):
            if self.cost_line(index, change.cost_line_id):
                lines = tuple(c for c in s.cost_lines if c.cost_line_id != change.cost_line_id)
                self.replace(cost_lines=lines)
        elif isinstance(change, CostLineAddition):
            self.add_line(index, change)
        elif isinstance(change, MemberJoining):
            self.join(index, change)
        elif isinstance(change, MemberLeaving):
            self.leave(index, change)

    def usage(self, index: int, change: UsageChange) -> None:
        if change.driver_code not in {code for code, _unit in self.s.drivers}:
            self.error(
                index,
                "driver_code",
                f"The base run has no driver '{change.driver_code}'.",
                f"Le calcul de référence n'a pas d'inducteur {quoted(change.driver_code)}.",
            )
            return
        if not self.member(index, change.member_code):
            return
        key = (change.driver_code, change.member_code)
        rows = [u for u in self.s.usage if (u[0], u[1]) != key]
        self.replace(usage=(*rows, (*key, str(change.quantity))))

    def add_line(self, index: int, change: CostLineAddition) -> None:
        self.added += 1
        if change.driver_code is None and not change.allocation:
            self.error(
                index,
                "allocation",
                "A direct cost line needs weights per member (or give a driver_code).",
                "Une ligne de coût directe se répartit selon des poids par adhérent : "
                "donnez-les, ou choisissez un inducteur.",
            )
            return
        if change.driver_code is not None and change.driver_code not in dict(self.s.drivers):
            self.error(
                index,
                "driver_code",
                f"The base run has no driver '{change.driver_code}'.",
                f"Le calcul de référence n'a pas d'inducteur {quoted(change.driver_code)}.",
            )
            return
        weights = tuple((w.member_code, str(w.weight)) for w in change.allocation)
        if not all(self.member(index, code) for code, _ in weights):
            return
        line = CostLine(
            cost_line_id=f"simulation-{self.added}",
            component_code=change.component_code,
            section=change.section,
            mode="indirect" if change.driver_code else "direct",
            amount=fmt(to_cents(change.amount)),
            fiscal_year=self.s.fiscal_year,
            driver_code=change.driver_code,
            allocation=() if change.driver_code else weights,
        )
        labels = self.s.labels
        named = self.s.names("component")
        if change.label and change.component_code not in named:
            labels = (*labels, ("component", change.component_code, change.label))
        self.replace(cost_lines=(*self.s.cost_lines, line), labels=labels)

    def join(self, index: int, change: MemberJoining) -> None:
        code = change.member_code
        if code in self.participants():
            self.error(
                index,
                "member_code",
                f"'{code}' already takes part in {self.s.fiscal_year}.",
                f"{quoted(code)} participe déjà à {self.s.fiscal_year}.",
            )
            return
        member = Member(
            code=code,
            name=change.name,
            invoiced=change.invoiced,
            joined_on=f"{self.s.fiscal_year}-01-01",
        )
        members = tuple(m for m in self.s.members if m.code != code)
        workstations = tuple(w for w in self.s.workstations if w[0] != code)
        self.replace(
            members=(*members, member), workstations=(*workstations, (code, change.workstations))
        )

    def leave(self, index: int, change: MemberLeaving) -> None:
        code = change.member_code
        if not self.member(index, code):
            return
        if any(m.code == code and m.is_host for m in self.s.members):
            self.error(
                index,
                "member_code",
                "The host cannot leave: it carries what is not invoiced.",
                "L'hôte ne peut pas se retirer : il porte ce qui n'est pas refacturé.",
            )
            return
        self.replace(
            members=tuple(m for m in self.s.members if m.code != code),
            workstations=tuple(w for w in self.s.workstations if w[0] != code),
            usage=tuple(u for u in self.s.usage if u[1] != code),
            cost_lines=tuple(
                dataclasses.replace(c, allocation=tuple(a for a in c.allocation if a[0] != code))
                if c.allocation
                else c
                for c in self.s.cost_lines
            ),
        )


def apply_changes(snapshot: Snapshot, changes: Sequence[Change]) -> Snapshot:
    """A copy of ``snapshot`` with ``changes`` applied in order; ``ChangeErrors`` lists every
    change that does not fit."""
    applier = _Applier(snapshot)
    for index, change in enumerate(changes):
        applier.apply(index, change)
    if applier.errors:
        raise ChangeErrors(applier.errors)
    return applier.s


def _euros(amount: Any) -> str:
    from services.billing.engine.money import euros

    return euros(to_cents(amount))


def describe(change: dict[str, Any]) -> str:
    """One change as a French reader reads it (the page, the PDF, the XLSX)."""
    kind = change.get("kind", "")
    label = CHANGE_LABELS.get(kind, kind)
    member = quoted(change.get("member_code", ""))
    if kind == "workstations":
        return f"{label} de {member} : {change['count']}"
    if kind == "usage":
        return (
            f"{label} : {member}, inducteur {quoted(change['driver_code'])} : "
            f"{str(change['quantity']).replace('.', ',')}"
        )
    if kind == "payroll_envelope":
        return f"{label} : {_euros(change['amount'])}"
    if kind == "cost_line_amount":
        return f"{label} n° {change['cost_line_id']} : {_euros(change['amount'])}"
    if kind == "cost_line_remove":
        return f"{label} n° {change['cost_line_id']}"
    if kind == "cost_line_add":
        how = (
            f"répartie selon l'inducteur {quoted(change['driver_code'])}"
            if change.get("driver_code")
            else "répartie selon des poids : "
            + ", ".join(
                f"{quoted(w['member_code'])} {str(w['weight']).replace('.', ',')}"
                for w in change.get("allocation", [])
            )
        )
        section = "investissement" if change.get("section") == "investment" else "fonctionnement"
        name = change.get("label") or change["component_code"]
        return f"{label} : {name} ({section}), {_euros(change['amount'])}, {how}"
    if kind == "member_join":
        invoiced = "refacturé" if change.get("invoiced", True) else "non refacturé"
        return f"{label} : {change['name']} ({member}), {change['workstations']} postes, {invoiced}"
    if kind == "member_leave":
        return f"{label} : {member}"
    if kind == "cap":
        return f"{label} : {'activé' if change['enabled'] else 'désactivé'}"
    return label
