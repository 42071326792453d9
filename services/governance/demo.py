"""Demo data for ``make run`` (fictional, marked as such): bodies, meetings with decisions,
actions and indicators on the seven axes, projects and workload, GDPR registers."""

from __future__ import annotations

import random
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.governance.demo_data import (
    ACTIONS,
    BODIES,
    FICTIONAL,
    INDICATORS,
    PROJECTS,
    D,
)
from services.governance.demo_gdpr import load_gdpr
from services.governance.models import (
    Action,
    ActionIndicator,
    ActionMember,
    Axis,
    Body,
    Decision,
    Indicator,
    Measurement,
    Meeting,
    MeetingMember,
    Project,
    TeamCapacity,
    WorkloadLine,
)
from services.governance.models.plans import ALL_MEMBERS


def load(session: Session) -> bool:
    """Fill an empty governance database (the axes come from the migration)."""
    if session.scalar(select(func.count()).select_from(Body)):
        return False
    rng = random.Random(2024)
    bodies = {
        code: Body(
            code=code,
            name=name,
            level=level,
            frequency=freq,
            topic=topic,
            description=FICTIONAL.strip(),
        )
        for code, name, level, freq, topic in BODIES
    }
    session.add_all(bodies.values())
    axes = {a.code: a for a in session.scalars(select(Axis))}
    for axis_row in axes.values():
        axis_row.description = f"{FICTIONAL}Axe du schéma directeur 2024-2028."
    actions = {}
    for axis, code, title, owner, status, progress, start, end, members in ACTIONS:
        actions[code] = Action(
            code=code,
            axis=axes[axis],
            title=title,
            description=FICTIONAL.strip(),
            owner=owner,
            status=status,
            progress=progress,
            starts_on=D(start),
            ends_on=D(end),
            members=[ActionMember(member_code=m) for m in members],
        )
    session.add_all(actions.values())
    session.flush()
    _indicators(session, axes, actions, rng)
    _meetings(session, bodies, actions)
    _projects(session, bodies, actions)
    load_gdpr(session)
    session.flush()
    return True


def _indicators(
    session: Session, axes: dict[str, Axis], actions: dict[str, Action], rng: random.Random
) -> None:
    for (
        code,
        name,
        unit,
        direction,
        category,
        axis,
        is_rate,
        agg,
        base,
        target,
        linked,
    ) in INDICATORS:
        indicator = Indicator(
            code=code,
            name=name,
            definition=f"{FICTIONAL}{name}.",
            unit=unit,
            direction=direction,
            category=category,
            axis=axes[axis] if axis else None,
            is_rate=is_rate,
            aggregation=agg,
            baseline=Decimal(base) if base else None,
            target=Decimal(target) if target else None,
        )
        session.add(indicator)
        session.flush()
        for action in linked:
            session.add(ActionIndicator(action_id=actions[action].id, indicator_id=indicator.id))
        for year in (2024, 2025):
            for quarter_end in ("03-31", "06-30", "09-30", "12-31"):
                period = D(f"{year}-{quarter_end}")
                if is_rate:
                    for member in (
                        "grand-nancy",
                        "nancy",
                        "ludres",
                        "laxou",
                        "vandoeuvre-les-nancy",
                    ):
                        den = Decimal(rng.randint(50, 400))
                        share = {
                            "taux-mfa": 0.3 + 0.08 * (year - 2024) * 4,
                            "disponibilite": 0.995,
                            "incidents-dans-sla": 0.9,
                            "registres-complets": 0.6,
                        }[code]
                        num = min(den, Decimal(int(den * Decimal(str(min(share, 0.99))))))
                        session.add(
                            Measurement(
                                indicator_id=indicator.id,
                                period=period,
                                scope=member,
                                value=(num / den * 100).quantize(Decimal("0.000001")),
                                numerator=num,
                                denominator=den,
                                source="démonstration",
                            )
                        )
                else:
                    value = Decimal(
                        rng.randint(300, 900)
                        if code == "postes-obsoletes"
                        else rng.randint(1800, 2600)
                    )
                    session.add(
                        Measurement(
                            indicator_id=indicator.id,
                            period=period,
                            scope=ALL_MEMBERS,
                            value=value,
                            source="démonstration",
                        )
                    )


def _meetings(session: Session, bodies: dict[str, Body], actions: dict[str, Action]) -> None:
    conference = Meeting(
        body=bodies["conference-maires"],
        title="Conférence des Maires 2024",
        held_on=D("2024-06-20"),
        location="Hôtel de la Métropole",
        status="held",
        agenda=["Rapport annuel 2023", "Schémas directeurs 2024-2028"],
        minutes=f"{FICTIONAL}Le rapport annuel est présenté et adopté.",
        people=[
            {
                "name": "Mme Démo Présidente",
                "role": "Vice-présidente",
                "member_code": "grand-nancy",
                "present": True,
            }
        ],
    )
    strategic = Meeting(
        body=bodies["comite-strategique"],
        title="Comité stratégique — automne 2025",
        held_on=D("2025-10-02"),
        location="DSIT",
        status="held",
        agenda=["Portefeuille de projets", "Plan de charges", "Qualité de service", "Budget"],
        minutes=f"{FICTIONAL}Revue du portefeuille et du plan de charges.",
        members=[
            MeetingMember(member_code=m, present=m != "pulnoy")
            for m in ("grand-nancy", "ludres", "laxou", "nancy", "pulnoy")
        ],
        people=[],
    )
    finances = Meeting(
        body=bodies["comite-utilisateurs-finances"],
        title="Montée de version du logiciel finances",
        held_on=D("2025-02-11"),
        status="held",
        agenda=["Nouvelle version", "Formation"],
        minutes=f"{FICTIONAL}Calendrier de montée de version validé.",
        people=[],
    )
    session.add_all([conference, strategic, finances])
    session.flush()
    rows = [
        (
            conference,
            1,
            "Adopter les sept axes des schémas directeurs",
            "DSIT",
            "2024-09-30",
            "done",
            None,
            None,
        ),
        (
            conference,
            2,
            "Généraliser la MFA sur les comptes des adhérents",
            "RSSI",
            "2025-12-31",
            "in_progress",
            None,
            "mfa-generalisee",
        ),
        (
            strategic,
            1,
            "Prioriser la migration Windows 10 avant octobre 2025",
            "Support",
            "2025-10-14",
            "in_progress",
            None,
            "fin-windows-10",
        ),
        (
            strategic,
            2,
            "Étudier le Wi-Fi des écoles de Laxou",
            "Études",
            "2025-12-15",
            "open",
            "laxou",
            None,
        ),
        (
            finances,
            1,
            "Planifier la formation à la nouvelle version",
            "Formation",
            "2025-04-30",
            "open",
            None,
            "formation-agents",
        ),
    ]
    for meeting, number, title, owner, due, status, member, action in rows:
        session.add(
            Decision(
                meeting=meeting,
                number=number,
                title=title,
                details=FICTIONAL.strip(),
                owner=owner,
                due_on=D(due),
                status=status,
                closed_on=D(due) if status == "done" else None,
                member_code=member,
                action=actions[action] if action else None,
            )
        )


def _projects(session: Session, bodies: dict[str, Body], actions: dict[str, Action]) -> None:
    projects = {}
    for code, name, member, status, prio, phase, budget, start, end, body, action in PROJECTS:
        projects[code] = Project(
            code=code,
            name=name,
            description=FICTIONAL.strip(),
            member_code=member,
            status=status,
            priority=prio,
            phase=phase,
            budget_cents=int(Decimal(budget) * 100),
            starts_on=D(start),
            ends_on=D(end),
            body=bodies[body] if body else None,
            action=actions[action] if action else None,
            milestones=[
                {"name": "Lancement", "due_on": start, "done_on": start},
                {"name": "Mise en service", "due_on": end, "done_on": None},
            ],
        )
    session.add_all(projects.values())
    session.flush()
    for team, capacity in (("infrastructure", 180), ("applications", 220), ("support", 300)):
        for q in range(1, 5):
            session.add(
                TeamCapacity(team=team, quarter=f"2025-Q{q}", person_days=Decimal(capacity))
            )
    plan = (
        ("ged-mutualisee", "applications", (90, 110, 120, 60)),
        ("renouvellement-postes", "support", (200, 260, 340, 0)),
        ("portail-famille-ludres", "applications", (40, 50, 0, 0)),
        ("ged-mutualisee", "infrastructure", (30, 20, 10, 10)),
    )
    for project, team, quarters in plan:
        for q, d in enumerate(quarters, start=1):
            if d:
                session.add(
                    WorkloadLine(
                        project_id=projects[project].id,
                        team=team,
                        quarter=f"2025-Q{q}",
                        person_days=Decimal(d),
                    )
                )
