"""Checks and parses a snapshot before anything is computed, collecting every problem.

A run either bills everything or fails with the full list of what to fix: nothing is silently
dropped (an unused pool, a member without workstations, a line for an unknown member…).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import groupby
from operator import itemgetter

from services.billing.engine.money import MoneyError, to_cents
from services.billing.engine.problems import InputProblems, Problem
from services.billing.engine.snapshot import CostLine, Member, Snapshot
from services.billing.labels import SECTIONS as SECTIONS_FR

SECTIONS = ("operating", "investment")
_ZERO = Decimal(0)
_MISSING: Decimal | None = Decimal("-1")  # sentinel: never a valid (parsed) quantity


@dataclass
class ParsedLine:
    line: CostLine
    cents: int
    weights: dict[str, Decimal | int] = field(default_factory=dict)  # int: a whole weight


@dataclass
class Prepared:
    """The snapshot parsed into exact values, ready for ``compute``."""

    envelope_cents: int
    members: dict[str, Member]  # participating members, by code
    workstations: dict[str, int]
    units: dict[str, str]  # driver code → unit
    direct: list[ParsedLine]
    pools: dict[tuple[str, str], list[ParsedLine]]  # (driver, section) → lines
    usage: dict[str, dict[str, Decimal | int]]  # driver → member → Σ quantity (int: whole)
    history: dict[str, dict[int, tuple[int, str]]]  # member → year → (cents, source)


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() and number >= 0 else None


def _weight(raw: str) -> Decimal | int | None:
    """A weight as the full check reads it (``Decimal(0) + w``, same value and same digits), as
    an int when it is written as one (the usual case, and the fastest to allocate)."""
    if raw.isdecimal():
        return int(raw)
    weight = _decimal(raw)
    return None if weight is None else _ZERO + weight


class _Checker:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.year = snapshot.fiscal_year
        self.problems: list[Problem] = []
        self.weights_parsed: dict[str, Decimal | int | None] = {}  # weights repeat: parse each once

    def add(
        self, code: str, message: str, fix: str, message_fr: str, fix_fr: str, **ref: object
    ) -> None:
        self.problems.append(Problem(code, message, fix, dict(ref), message_fr, fix_fr))

    def members(self) -> dict[str, Member]:
        known: dict[str, Member] = {}
        for member in self.snapshot.members:
            if member.participates_in(self.year):
                known[member.code] = member
        hosts = [m.code for m in known.values() if m.is_host]
        if len(hosts) > 1:
            self.add(
                "several-hosts",
                f"Several members are marked as host for {self.year}: {', '.join(hosts)}.",
                "Keep is_host on the Métropole only, in the registry.",
                f"Plusieurs adhérents sont marqués comme hôte pour {self.year} : "
                + ", ".join(f"« {h} »" for h in hosts)
                + ".",
                "Ne marquez comme hôte que la Métropole, au registre.",
                members=hosts,
            )
        return known

    def unknown_member(self, code: str, what: str, what_fr: str, **ref: object) -> None:
        self.add(
            "unknown-member",
            f"{what} names member '{code}', which is not a member taking part in {self.year}.",
            f"Create the member '{code}' in the registry (or fix its joined_on/left_on dates), "
            "or correct the member code in the catalogue.",
            f"{what_fr} nomme l'adhérent « {code} », qui ne participe pas à {self.year}.",
            f"Créez l'adhérent « {code} » au registre (ou corrigez ses dates d'adhésion et de "
            "sortie), ou corrigez le code de l'adhérent dans le catalogue.",
            member_code=code,
            **ref,
        )

    def workstations(self, members: dict[str, Member]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for code, count in self.snapshot.workstations:
            if code not in members:
                self.unknown_member(
                    code, f"The workstation count {count}", f"Le nombre de postes {count}"
                )
            elif count < 0:
                self.add(
                    "negative-workstations",
                    f"Member '{code}' has a negative workstation count ({count}) for {self.year}.",
                    "Correct the workstation count in the registry.",
                    f"L'adhérent « {code} » a un nombre de postes négatif ({count}) pour "
                    f"{self.year}.",
                    "Corrigez le nombre de postes au registre.",
                    member_code=code,
                )
            else:
                counts[code] = counts.get(code, 0) + count
        for code, member in sorted(members.items()):
            if code not in counts and (member.invoiced or member.is_host):
                self.add(
                    "missing-workstations",
                    f"Member '{code}' has no workstation count for {self.year}: its payroll "
                    "share cannot be computed.",
                    f"Record the workstation count of '{code}' for {self.year} in the registry "
                    f"(PUT /members/{code}/workstations/{self.year}).",
                    f"L'adhérent « {code} » n'a pas de nombre de postes pour {self.year} : sa "
                    "quote-part de masse salariale ne peut pas être calculée.",
                    f"Enregistrez au registre le nombre de postes de « {code} » pour {self.year}.",
                    member_code=code,
                )
        return counts

    def cost_line(
        self, line: CostLine, members: dict[str, Member], units: dict[str, str]
    ) -> ParsedLine | None:
        cents = 0
        if line.fiscal_year == self.year and line.section in SECTIONS:
            try:  # the usual case, checked without building the messages of a problem
                cents = to_cents(line.amount)
            except MoneyError:
                pass
            else:
                if line.mode == "indirect" and line.driver_code in units:
                    return ParsedLine(line, cents)
                if line.mode == "direct":
                    parsed = self._fast_weights(line, cents, members)
                    if parsed is not None:
                        return parsed
        ref: dict[str, object] = {
            "cost_line_id": line.cost_line_id,
            "component_code": line.component_code,
        }
        where = f"Cost line {line.cost_line_id} ({line.component_code})"
        where_fr = f"La ligne de coût n° {line.cost_line_id} (« {line.component_code} »)"
        before = len(self.problems)
        try:
            cents = to_cents(line.amount)
        except MoneyError as exc:
            self.add(
                "bad-amount",
                f"{where}: {exc}.",
                "Correct its amount in the catalogue.",
                f"{where_fr} : son montant « {line.amount} » n'est pas un montant au centime près.",
                "Corrigez son montant dans le catalogue.",
                **ref,
            )
        if line.fiscal_year != self.year:
            self.add(
                "wrong-fiscal-year",
                f"{where} is for {line.fiscal_year}, not {self.year}.",
                "Correct its fiscal year in the catalogue.",
                f"{where_fr} est de {line.fiscal_year}, non de {self.year}.",
                "Corrigez son exercice dans le catalogue.",
                **ref,
            )
        if line.section not in SECTIONS:
            self.add(
                "bad-section",
                f"{where} has section '{line.section}'.",
                "Set its section to operating or investment in the catalogue.",
                f"{where_fr} a une section inconnue (« {line.section} »).",
                "Donnez-lui la section fonctionnement ou investissement dans le catalogue.",
                **ref,
            )
        parsed = ParsedLine(line, cents)
        if line.mode == "direct":
            self._direct_weights(line, parsed, members, (where, where_fr), ref)
        elif line.mode == "indirect":
            if not line.driver_code or line.driver_code not in units:
                self.add(
                    "unknown-driver",
                    f"{where} is indirect but its driver '{line.driver_code}' is not defined.",
                    "Give it a driver defined in the catalogue (GET /drivers).",
                    f"{where_fr} est indirecte mais son inducteur « {line.driver_code} » n'est "
                    "pas défini.",
                    "Donnez-lui un inducteur défini dans le catalogue.",
                    driver_code=line.driver_code,
                    **ref,
                )
        else:
            self.add(
                "bad-mode",
                f"{where} has mode '{line.mode}'.",
                "Set its mode to direct or indirect.",
                f"{where_fr} a un mode de répartition inconnu (« {line.mode} »).",
                "Donnez-lui le mode direct ou indirect.",
                **ref,
            )
        return parsed if len(self.problems) == before else None

    def _fast_weights(
        self, line: CostLine, cents: int, members: dict[str, Member]
    ) -> ParsedLine | None:
        """The weights of a direct line without a problem (None: let the full check say why)."""
        weights: dict[str, Decimal | int] = {}
        cache = self.weights_parsed
        for code, raw in line.allocation:
            weight = cache.get(raw, _MISSING)
            if weight is _MISSING:
                weight = cache[raw] = _weight(raw)
            if weight is None or code not in members:
                return None
            weights[code] = weights[code] + weight if code in weights else weight
        if cents != 0 and not any(weights.values()):  # weights ≥ 0: a zero sum is all zeros
            return None
        return ParsedLine(line, cents, weights)

    def _direct_weights(
        self,
        line: CostLine,
        parsed: ParsedLine,
        members: dict[str, Member],
        places: tuple[str, str],
        ref: dict[str, object],
    ) -> None:
        where, where_fr = places
        for code, raw in line.allocation:
            weight = _decimal(raw)
            if code not in members:
                self.unknown_member(code, where, where_fr, **ref)
            elif weight is None:
                self.add(
                    "bad-weight",
                    f"{where}: the weight '{raw}' of '{code}' is not a number ≥ 0.",
                    "Correct the allocation key of the line in the catalogue.",
                    f"{where_fr} : le poids « {raw} » de « {code} » n'est pas un nombre positif "
                    "ou nul.",
                    "Corrigez la clé de répartition de la ligne dans le catalogue.",
                    member_code=code,
                    **ref,
                )
            else:
                parsed.weights[code] = parsed.weights.get(code, Decimal(0)) + weight
        if sum(parsed.weights.values(), Decimal(0)) == 0 and parsed.cents != 0:
            self.add(
                "zero-weights",
                f"{where} is direct but its weights add up to zero: nobody would pay it.",
                "Give the line an allocation key with at least one positive weight.",
                f"{where_fr} est directe mais la somme de ses poids est nulle : personne ne la "
                "paierait.",
                "Donnez à la ligne une clé de répartition avec au moins un poids positif.",
                **ref,
            )

    def usage(
        self, members: dict[str, Member], units: dict[str, str]
    ) -> dict[str, dict[str, Decimal | int]]:
        fast = self._usage_fast(members, units)
        if fast is not None:
            return fast
        totals: dict[str, dict[str, Decimal | int]] = defaultdict(dict)
        parsed: dict[str, Decimal | None] = {}  # measurements repeat values: parse each once
        for driver, code, raw in self.snapshot.usage:
            quantity = parsed.get(raw, _MISSING)
            if quantity is _MISSING:
                quantity = parsed[raw] = _decimal(raw)
            if driver not in units:
                self.add(
                    "unknown-driver",
                    f"A usage measurement of '{code}' is for driver '{driver}', which is not "
                    "defined.",
                    "Define the driver in the catalogue or correct the measurement.",
                    f"Une mesure d'usage de « {code} » porte sur l'inducteur « {driver} », qui "
                    "n'est pas défini.",
                    "Définissez l'inducteur dans le catalogue ou corrigez la mesure.",
                    driver_code=driver,
                    member_code=code,
                )
            elif code not in members:
                self.unknown_member(
                    code,
                    f"A usage measurement of '{driver}'",
                    f"Une mesure d'usage de l'inducteur « {driver} »",
                    driver_code=driver,
                )
            elif quantity is None:
                self.add(
                    "bad-quantity",
                    f"The usage of '{driver}' by '{code}' is '{raw}', not a number ≥ 0.",
                    "Correct the measurement in the catalogue.",
                    f"L'usage de « {driver} » par « {code} » vaut « {raw} », qui n'est pas un "
                    "nombre positif ou nul.",
                    "Corrigez la mesure dans le catalogue.",
                    driver_code=driver,
                    member_code=code,
                )
            else:
                per = totals[driver]
                per[code] = per.get(code, Decimal(0)) + quantity
        return totals

    def _usage_fast(
        self, members: dict[str, Member], units: dict[str, str]
    ) -> dict[str, dict[str, Decimal | int]] | None:
        """The sums per (driver, member) with the per-row work left to C (grouping consecutive
        rows, parsing each distinct quantity once); None when a row has a problem, for the full
        check to list them all. Rows in (driver, member) order group best (the catalogue's)."""
        usage = self.snapshot.usage
        parsed: dict[str, Decimal | int] = {}
        for raw in set(map(itemgetter(2), usage)):
            value = _weight(raw)  # a whole quantity as an int: the same digits once summed
            if value is None:
                return None
            parsed[raw] = value
        totals: dict[str, dict[str, Decimal | int]] = {}
        quantity = parsed.__getitem__
        for (driver, code), rows in groupby(usage, key=itemgetter(0, 1)):
            if driver not in units or code not in members:
                return None
            per = totals.get(driver)
            if per is None:
                per = totals[driver] = {}
            amount = sum(map(quantity, map(itemgetter(2), rows)))
            per[code] = per[code] + amount if code in per else amount
        return totals

    def pools(
        self,
        pools: dict[tuple[str, str], list[ParsedLine]],
        usage: dict[str, dict[str, Decimal | int]],
    ) -> None:
        for (driver, section), lines in sorted(pools.items()):
            amount = sum(p.cents for p in lines)
            used = any(q > 0 for q in usage.get(driver, {}).values())
            if amount != 0 and not used:
                ids = [p.line.cost_line_id for p in lines]
                self.add(
                    "pool-without-usage",
                    f"The pool ({driver}, {section}) holds {len(ids)} cost line(s) but no member "
                    f"used '{driver}' in {self.year}: nobody would pay it.",
                    f"Record the {self.year} usage of '{driver}' in the catalogue "
                    "(PUT /usage/{year}/{driver_code}), or move these lines to direct mode.",
                    f"Le groupe de coûts indirects (« {driver} », "
                    f"{SECTIONS_FR.get(section, section)}) compte {len(ids)} ligne(s) de coût, "
                    "mais aucun adhérent n'a d'usage de "
                    f"« {driver} » en {self.year} : personne ne le paierait.",
                    f"Enregistrez l'usage {self.year} de « {driver} » dans le catalogue, ou passez "
                    "ces lignes en mode direct.",
                    driver_code=driver,
                    section=section,
                    cost_line_ids=ids[:20],
                )


def prepare(snapshot: Snapshot) -> Prepared:
    """Parse and check ``snapshot``; raise ``InputProblems`` listing every problem found."""
    checker = _Checker(snapshot)
    members = checker.members()
    counts = checker.workstations(members)
    envelope = 0
    try:
        envelope = to_cents(snapshot.parameters.payroll_envelope)
    except MoneyError as exc:
        checker.add(
            "bad-envelope",
            f"The payroll envelope: {exc}.",
            "Correct the fiscal year parameters.",
            "L'enveloppe de masse salariale n'est pas un montant au centime près.",
            "Corrigez les paramètres de l'exercice.",
        )
    if envelope and not any(counts.values()):
        checker.add(
            "no-workstations",
            f"The payroll envelope of {snapshot.fiscal_year} cannot be shared: no workstations.",
            "Record the workstation counts of the members in the registry.",
            f"L'enveloppe de masse salariale {snapshot.fiscal_year} ne peut pas être répartie : "
            "aucun poste de travail.",
            "Enregistrez au registre le nombre de postes des adhérents.",
        )
    units = dict(snapshot.drivers)
    direct: list[ParsedLine] = []
    pools: dict[tuple[str, str], list[ParsedLine]] = defaultdict(list)
    for line in snapshot.cost_lines:
        parsed = checker.cost_line(line, members, units)
        if parsed is None:
            continue
        if line.mode == "direct":
            direct.append(parsed)
        else:
            pools[(str(line.driver_code), line.section)].append(parsed)
    usage = checker.usage(members, units)
    checker.pools(pools, usage)
    if checker.problems:
        raise InputProblems(checker.problems)
    history: dict[str, dict[int, tuple[int, str]]] = defaultdict(dict)
    for entry in snapshot.history:
        history[entry.member_code][entry.fiscal_year] = (
            to_cents(entry.operating_total),
            entry.source,
        )
    direct.sort(key=lambda p: p.line.cost_line_id)
    return Prepared(envelope, members, counts, units, direct, dict(pools), dict(usage), history)
