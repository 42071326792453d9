"""Rules of simulations: who may make which change and see which lines, the base run, and the
computation (the engine's ``compute()`` on a copy of the base run's snapshot).

Decisions (docs/decisions.md, "What-if simulations"):
- the base is chosen when the simulation is made (the year's current final run, else its latest
  succeeded forecast, or a run named by the user) and kept: a later run does not move a saved
  simulation under its readers; the page says which run it compares with;
- DSIT staff with ``billing:write`` (admin, finance) make any change and see every member; other
  staff read; a member-scoped principal (a member's contact) changes only its own member's
  workstations and usage, and sees only its own member's lines, of its member's simulations;
- a simulation whose changes cannot be computed is refused when saved, with the engine's
  problems in French: a saved simulation always computes (its base snapshot never changes).
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import orjson
from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from kit import audit
from kit.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kit.french import quoted
from kit.identity import Principal
from services.billing.engine.compute import RunResult, compute
from services.billing.engine.problems import InputProblems
from services.billing.engine.snapshot import Snapshot, content_hash, from_document
from services.billing.models import AuditEntry, Run, Simulation
from services.billing.runs import repository as runs
from services.billing.simulations import repository
from services.billing.simulations.changes import (
    CHANGE_LABELS,
    MEMBER_KINDS,
    ChangeErrors,
    apply_changes,
    describe,
)
from services.billing.simulations.schemas import Change, SimulationCreate, SimulationUpdate

CHANGES = TypeAdapter(list[Change])
_CACHE: OrderedDict[str, RunResult] = OrderedDict()
_CACHE_SIZE = 32
_LOCK = threading.Lock()


def is_staff(principal: Principal) -> bool:
    return principal.member is None


def ensure_may_write(principal: Principal) -> None:
    if is_staff(principal) and not principal.has("billing:write"):
        raise Forbidden(
            f"{principal.name} may read simulations, not make or change them.",
            detail_fr=f"{principal.name} peut consulter les simulations, pas en créer ni en "
            "modifier : il faut le droit de modifier la refacturation.",
            slug="permission-denied",
        )


def ensure_member_changes(principal: Principal, changes: Sequence[Change]) -> None:
    """A member-scoped principal simulates only its own figures: its workstations and usage."""
    if is_staff(principal):
        return
    others = [c for c in changes if c.kind not in MEMBER_KINDS]
    if others:
        kinds = sorted({c.kind for c in others})
        raise Forbidden(
            f"A member's contact simulates its own workstations and usage only, not: "
            f"{', '.join(kinds)}.",
            detail_fr="Un adhérent ne simule que ses propres chiffres (ses postes de travail, "
            "ses consommations), pas : "
            + ", ".join(CHANGE_LABELS[k].lower() for k in kinds)
            + ". Rien n'a été enregistré.",
            slug="member-scope",
        )
    principal.ensure_writes_only_its_member(getattr(c, "member_code", None) for c in changes)


def base_run(session: Session, fiscal_year: int, run_id: int | None) -> Run:
    if run_id is not None:
        run = runs.get(session, run_id)
        if run is None or run.status != "succeeded" or run.fiscal_year != fiscal_year:
            raise ValidationFailed(
                f"The run {run_id} is not a succeeded run of {fiscal_year}.",
                detail_fr=f"Le calcul n° {run_id} n'est pas un calcul terminé de l'exercice "
                f"{fiscal_year}.",
                errors=[
                    {
                        "field": "base_run_id",
                        "message": "not a succeeded run of the year",
                        "type": "simulation-base",
                        "message_fr": "Choisissez un calcul terminé de l'exercice.",
                    }
                ],
            )
        return run
    run = runs.current_final(session, fiscal_year)
    if run is None:
        forecasts = runs.list_page(
            session, limit=1, before_id=None, fiscal_year=fiscal_year, kind="forecast",
            status="succeeded",
        )  # fmt: skip
        run = forecasts[0] if forecasts else None
    if run is None:
        raise Conflict(
            f"The fiscal year {fiscal_year} has no succeeded run to simulate from.",
            detail_fr=f"L'exercice {fiscal_year} n'a encore aucun calcul terminé (définitif ou "
            "prévisionnel) sur lequel fonder une simulation : lancez d'abord un calcul.",
            slug="simulation-without-run",
        )
    return run


def base_snapshot(session: Session, run: Run) -> Snapshot:
    """The run's stored snapshot, checked against its content hash."""
    stored = runs.snapshot(session, run.id)
    if stored is None:
        raise Conflict(
            f"The run {run.id} has no snapshot.",
            detail_fr=f"Le calcul n° {run.id} n'a pas d'instantané de ses données : il ne peut "
            "pas servir de référence à une simulation.",
            slug="snapshot-not-found",
        )
    try:
        data = zlib.decompress(stored.data)
    except zlib.error:
        data = bytes(stored.data)  # stored uncompressed
    if content_hash(data) != stored.content_hash:
        raise Conflict(
            f"The snapshot of run {run.id} does not match its hash.",
            detail_fr=f"L'instantané du calcul n° {run.id} ne correspond pas à son empreinte.",
            slug="snapshot-damaged",
        )
    return from_document(orjson.loads(data))


def _computed(key: str, snapshot: Snapshot) -> RunResult:
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    result = compute(snapshot)
    with _LOCK:
        _CACHE[key] = result
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return result


def problems_refusal(exc: InputProblems) -> ValidationFailed:
    first = exc.problems[0]
    return ValidationFailed(
        f"The simulated inputs cannot be billed: {first.message}",
        detail_fr="Les données simulées ne peuvent pas être refacturées : "
        + " ".join(p.message_fr or p.message for p in exc.problems),
        slug="simulation-inputs",
        errors=[
            {
                "field": "changes",
                "message": p.message,
                "type": p.code,
                "message_fr": f"{p.message_fr} {p.fix_fr}".strip() or p.message,
            }
            for p in exc.problems
        ],
    )


def compute_pair(
    session: Session, run: Run, changes: Sequence[Change]
) -> tuple[RunResult, RunResult]:
    """(base, simulated): the run's snapshot computed as it is, and with the changes."""
    snapshot = base_snapshot(session, run)
    key = f"{run.id}:{run.snapshot_hash}"
    base = _computed(key, snapshot)
    try:
        changed = apply_changes(snapshot, changes)
    except ChangeErrors as exc:
        raise ValidationFailed(
            "Some changes do not fit the base run.",
            detail_fr="Certaines modifications ne correspondent pas au calcul de référence : "
            + " ".join(e["message_fr"] for e in exc.errors),
            errors=exc.errors,
        ) from exc
    dump = orjson.dumps(CHANGES.dump_python(list(changes), mode="json")).decode()
    try:
        simulated = _computed(f"{key}:{dump}", changed) if changes else base
    except InputProblems as exc:
        raise problems_refusal(exc) from exc
    return base, simulated


def changes_of(simulation: Simulation) -> list[Change]:
    return CHANGES.validate_python(simulation.changes)


def _dump(changes: Sequence[Change]) -> list[dict[str, Any]]:
    return list(CHANGES.dump_python(list(changes), mode="json"))


def get_visible(session: Session, principal: Principal, simulation_id: int) -> Simulation:
    """The simulation, if the principal may see it: another member's (or the DSIT's, which
    holds every member's figures) does not exist for a member's contact."""
    simulation = repository.get(session, simulation_id)
    if simulation is None or not (
        is_staff(principal) or simulation.member_code == principal.member
    ):
        raise NotFound(
            f"No simulation {simulation_id}.",
            detail_fr=f"La simulation n° {simulation_id} n'existe pas.",
            slug="simulation-not-found",
        )
    return simulation


def create(session: Session, *, principal: Principal, data: SimulationCreate) -> Simulation:
    ensure_may_write(principal)
    ensure_member_changes(principal, data.changes)
    run = base_run(session, data.fiscal_year, data.base_run_id)
    compute_pair(session, run, data.changes)  # refused now if it cannot be computed
    simulation = Simulation(
        name=data.name.strip(),
        fiscal_year=data.fiscal_year,
        base_run_id=run.id,
        member_code=principal.member,
        created_by=principal.audit_name[:200],
        changes=_dump(data.changes),
    )
    session.add(simulation)
    session.flush()
    _audit(session, principal, "create", simulation, None)
    return simulation


def update(
    session: Session, *, principal: Principal, simulation: Simulation, data: SimulationUpdate
) -> Simulation:
    ensure_may_write(principal)
    before = {"name": simulation.name, "changes": simulation.changes}
    if data.changes is not None:
        ensure_member_changes(principal, data.changes)
        run = runs.get(session, simulation.base_run_id)
        assert run is not None
        compute_pair(session, run, data.changes)
        simulation.changes = _dump(data.changes)
    if data.name is not None:
        simulation.name = data.name.strip()
    session.flush()
    _audit(session, principal, "update", simulation, before)
    return simulation


def delete(session: Session, *, principal: Principal, simulation: Simulation) -> None:
    ensure_may_write(principal)
    _audit(session, principal, "delete", simulation, {"name": simulation.name})
    session.delete(simulation)
    session.flush()


def _audit(
    session: Session,
    principal: Principal,
    action: str,
    simulation: Simulation,
    before: dict[str, Any] | None,
) -> None:
    after = None if action == "delete" else {"name": simulation.name, "changes": simulation.changes}
    audit.record(
        session, AuditEntry, principal=principal, action=action, resource_type="simulation",
        resource_id=str(simulation.id), before=before, after=after,
    )  # fmt: skip


def simulation_read(
    session: Session, simulation: Simulation, principal: Principal
) -> dict[str, Any]:
    run = runs.get(session, simulation.base_run_id)
    assert run is not None
    return {
        "id": simulation.id,
        "name": simulation.name,
        "fiscal_year": simulation.fiscal_year,
        "base_run": {
            "id": run.id,
            "kind": run.kind,
            "fiscal_year": run.fiscal_year,
            "is_current": run.is_current,
            "snapshot_hash": run.snapshot_hash,
        },
        "member_code": simulation.member_code,
        "created_by": simulation.created_by if is_staff(principal) else None,
        "created_at": simulation.created_at,
        "updated_at": simulation.updated_at,
        "changes": simulation.changes,
        "changes_fr": [describe(c) for c in simulation.changes],
    }


def results(session: Session, simulation: Simulation) -> tuple[Run, RunResult, RunResult]:
    run = runs.get(session, simulation.base_run_id)
    assert run is not None
    base, simulated = compute_pair(session, run, changes_of(simulation))
    return run, base, simulated


def member_filter(principal: Principal, code: str | None) -> str | None:
    """The one member whose lines are shown: a member's contact sees its own only."""
    if is_staff(principal):
        return code
    if code is not None:
        principal.ensure_member(code)
    return principal.member


def unknown_member(simulation: Simulation, code: str) -> NotFound:
    return NotFound(
        f"The simulation {simulation.id} has no member '{code}'.",
        detail_fr=f"La simulation n° {simulation.id} n'a pas d'adhérent {quoted(code)}.",
        slug="member-not-found",
    )
