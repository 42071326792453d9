"""Rules of the portfolio and of the workload plan (overload: planned above capacity)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from kit.errors import Conflict, ValidationFailed
from kit.identity import Principal
from services.governance.bodies import repository as bodies
from services.governance.deps import record, visible_to
from services.governance.fields import cents, from_cents
from services.governance.models import Body, Project, TeamCapacity, WorkloadLine
from services.governance.plans import repository as plans
from services.governance.projects import repository
from services.governance.projects.schemas import ProjectCreate, ProjectUpdate, WorkloadWrite


def to_read(project: Project) -> dict[str, Any]:
    return {
        "code": project.code,
        "name": project.name,
        "description": project.description,
        "member_code": project.member_code,
        "status": project.status,
        "priority": project.priority,
        "phase": project.phase,
        "budget": from_cents(project.budget_cents),
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "body_code": project.body.code if project.body else None,
        "action_code": project.action.code if project.action else None,
        "milestones": list(project.milestones or []),
    }


# what ``_unknown`` names, as a French reader says it: (the thing, unknown)
UNKNOWN_FR = {
    "body": ("L'instance", "Instance inconnue."),
    "action": ("L'action", "Action inconnue."),
}


def _unknown(field: str, what: str, code: str) -> ValidationFailed:
    subject, message_fr = UNKNOWN_FR.get(what, ("La référence", "Référence inconnue."))
    return ValidationFailed(
        f"No {what} '{code}'.",
        detail_fr=f"{subject} « {code} » n'existe pas.",
        errors=[
            {
                "field": field,
                "message": f"unknown {what}",
                "type": "unknown",
                "message_fr": message_fr,
            }
        ],
    )


def _body(session: Session, code: str | None) -> Body | None:
    if code is None:
        return None
    body = bodies.get_by_code(session, code)
    if body is None:
        raise _unknown("body_code", "body", code)
    return body


def _check_dates(project: Project) -> None:
    if project.starts_on and project.ends_on and project.ends_on < project.starts_on:
        raise ValidationFailed(
            "ends_on is before starts_on",
            detail_fr="La date de fin précède la date de début.",
            errors=[
                {
                    "field": "ends_on",
                    "message": "before starts_on",
                    "type": "value_error",
                    "message_fr": "Avant la date de début.",
                }
            ],
        )


def create_project(session: Session, *, principal: Principal, data: ProjectCreate) -> Project:
    if repository.by_code(session, data.code) is not None:
        raise Conflict(
            f"A project '{data.code}' already exists.",
            detail_fr=f"Un projet « {data.code} » existe déjà.",
            slug="project-exists",
        )
    action = None
    if data.action_code is not None:
        action = plans.action_by_code(session, data.action_code)
        if action is None:
            raise _unknown("action_code", "action", data.action_code)
    project = Project(
        **data.model_dump(exclude={"budget", "body_code", "action_code", "milestones"}),
        budget_cents=cents(data.budget),
        body=_body(session, data.body_code),
        action=action,
        milestones=[m.model_dump(mode="json") for m in data.milestones],
    )
    _check_dates(project)
    session.add(project)
    session.flush()
    record(
        session,
        principal,
        action="create",
        resource_type="project",
        resource_id=project.code,
        after=to_read(project),
    )
    return project


def update_project(
    session: Session, *, principal: Principal, project: Project, data: ProjectUpdate
) -> Project:
    before = to_read(project)
    changes = data.model_dump(exclude_unset=True, mode="json")
    for field in ("name", "status", "priority", "phase"):
        if changes.get(field) is not None:
            setattr(project, field, changes[field])
    for field in ("description", "starts_on", "ends_on"):
        if field in changes:
            setattr(project, field, getattr(data, field))
    if "budget" in changes:
        project.budget_cents = cents(data.budget)
    if "body_code" in changes:
        project.body = _body(session, data.body_code)
    if changes.get("milestones") is not None:
        project.milestones = changes["milestones"]
    _check_dates(project)
    session.flush()
    record(
        session,
        principal,
        action="update",
        resource_type="project",
        resource_id=project.code,
        before=before,
        after=to_read(project),
    )
    return project


def set_capacity(
    session: Session, *, principal: Principal, team: str, quarter: str, person_days: Decimal
) -> TeamCapacity:
    row = repository.capacity(session, team, quarter)
    before = None if row is None else {"person_days": row.person_days}
    if row is None:
        row = TeamCapacity(team=team, quarter=quarter, person_days=person_days)
        session.add(row)
    row.person_days = person_days
    session.flush()
    record(
        session,
        principal,
        action="put",
        resource_type="capacity",
        resource_id=f"{team}/{quarter}",
        before=before,
        after={"person_days": person_days},
    )
    return row


def set_project_workload(
    session: Session, *, principal: Principal, project: Project, data: WorkloadWrite
) -> None:
    """Replace the project's planned days (one line per team and quarter)."""
    keys = [(line.team, line.quarter) for line in data.lines]
    if len(set(keys)) != len(keys):
        raise ValidationFailed(
            "One line per (team, quarter).",
            detail_fr="Une seule ligne par équipe et par trimestre.",
            errors=[
                {
                    "field": "lines",
                    "message": "duplicate team and quarter",
                    "type": "unique",
                    "message_fr": "Équipe et trimestre en double.",
                }
            ],
        )
    existing = {(r.team, r.quarter): r for r in repository.lines_of_project(session, project.id)}
    before = {f"{t}/{q}": r.person_days for (t, q), r in existing.items()}
    for key, old in existing.items():
        if key not in set(keys):
            session.delete(old)
    for line in data.lines:
        row = existing.get((line.team, line.quarter))
        if row is None:
            session.add(
                WorkloadLine(
                    project_id=project.id,
                    team=line.team,
                    quarter=line.quarter,
                    person_days=line.person_days,
                )
            )
        else:
            row.person_days = line.person_days
    session.flush()
    record(
        session,
        principal,
        action="put",
        resource_type="workload",
        resource_id=project.code,
        before=before,
        after={f"{x.team}/{x.quarter}": x.person_days for x in data.lines},
    )


def workload_cells(
    capacities: Sequence[tuple[str, str, Decimal]],
    lines: Sequence[tuple[str, str, str, Decimal, bool]],
) -> list[dict[str, Any]]:
    """Per (team, quarter): capacity, planned days (all projects), load % and overload.

    ``lines`` are (team, quarter, project, days, visible): every project counts in the total,
    only visible ones are itemised."""
    cap = {(t, q): d for t, q, d in capacities}
    planned: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    itemised: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(dict)
    for team, quarter, project, days, visible in lines:
        planned[team, quarter] += days
        if visible:
            itemised[team, quarter][project] = days
    cells = []
    for team, quarter in sorted(set(cap) | set(planned)):
        capacity = cap.get((team, quarter))
        total = planned.get((team, quarter), Decimal(0))
        load = int(total * 100 / capacity) if capacity else None
        cells.append(
            {
                "team": team,
                "quarter": quarter,
                "capacity": capacity,
                "planned": total,
                "load": load,
                "overloaded": total > (capacity or Decimal(0)),
                "projects": dict(sorted(itemised[team, quarter].items())),
            }
        )
    return cells


def workload_plan(session: Session, *, year: int, principal: Principal) -> dict[str, Any]:
    capacities = [(c.team, c.quarter, c.person_days) for c in repository.capacities(session, year)]
    lines = [
        (
            r.team,
            r.quarter,
            r.project.code,
            r.person_days,
            visible_to(principal, r.project.member_code),
        )
        for r in repository.lines_of_year(session, year)
    ]
    cells = workload_cells(capacities, lines)
    overloads = [
        {
            "team": c["team"],
            "quarter": c["quarter"],
            "excess": f"{c['planned'] - (c['capacity'] or 0):.2f}",
        }
        for c in cells
        if c["overloaded"]
    ]
    return {"year": year, "cells": cells, "overloads": overloads}
