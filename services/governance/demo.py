"""Demo data for ``make run`` (fictional, marked as such): bodies, meetings with decisions,
actions and indicators on the seven axes, projects and workload, GDPR registers."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.governance.gdpr.rules import ART28_TERMS
from services.governance.models import (
    Action,
    ActionIndicator,
    ActionMember,
    Axis,
    Body,
    Breach,
    Decision,
    Indicator,
    Measurement,
    Meeting,
    MeetingMember,
    ProcessingRecord,
    ProcessorEntry,
    Project,
    SubjectRequest,
    SubProcessor,
    TeamCapacity,
    WorkloadLine,
)
from services.governance.models.plans import ALL_MEMBERS

FICTIONAL = "[Donnée fictive de démonstration] "
MEMBERS = (
    "grand-nancy",
    "art-sur-meurthe",
    "essey-les-nancy",
    "houdemont",
    "jarville-la-malgrange",
    "laxou",
    "ludres",
    "malzeville",
    "maxeville",
    "nancy",
    "pulnoy",
    "saint-max",
    "saulxures-les-nancy",
    "seichamps",
    "vandoeuvre-les-nancy",
    "villers-les-nancy",
    "ccas-nancy",
    "ccas-vandoeuvre-les-nancy",
    "opera-national-de-lorraine",
    "sillon-lorrain",
    "sivu-saint-michel-jericho",
    "syndicat-intercommunautaire-scolaire",
    "dommartemont",
    "fleville-devant-nancy",
    "heillecourt",
    "syndicat-creche-frimousse",
)
D = dt.date.fromisoformat

BODIES = (
    ("conference-maires", "Conférence des Maires élargie", "political", "annual", None),
    (
        "comite-strategique",
        "Comité stratégique de la mutualisation",
        "strategic",
        "half_yearly",
        None,
    ),
    (
        "comite-utilisateurs-finances",
        "Comité utilisateurs — logiciel finances",
        "user_committee",
        "ad_hoc",
        "Logiciel de gestion financière",
    ),
    (
        "copil-ged",
        "Comité de pilotage — GED mutualisée",
        "project_committee",
        "quarterly",
        "Gestion électronique des documents",
    ),
)
# axis code, action code, title, owner, status, progress, start, end, members concerned
ACTIONS = (
    (
        "securite",
        "mfa-generalisee",
        "Généraliser l'authentification multifacteur",
        "RSSI",
        "in_progress",
        60,
        "2024-01-15",
        "2025-12-31",
        (),
    ),
    (
        "securite",
        "exercice-crise-cyber",
        "Exercice de crise cyber annuel",
        "RSSI",
        "done",
        100,
        "2024-03-01",
        "2024-11-30",
        (),
    ),
    (
        "couts-de-possession",
        "renegociation-licences",
        "Renégocier les licences bureautiques",
        "Achats DSIT",
        "in_progress",
        40,
        "2024-06-01",
        "2025-06-30",
        (),
    ),
    (
        "sobriete-souverainete",
        "allongement-duree-postes",
        "Allonger la durée de vie des postes à 6 ans",
        "Support",
        "in_progress",
        35,
        "2024-01-01",
        "2026-12-31",
        (),
    ),
    (
        "conformite",
        "registres-rgpd",
        "Compléter les registres RGPD des adhérents",
        "DPO mutualisé",
        "in_progress",
        70,
        "2024-01-01",
        "2025-06-30",
        (),
    ),
    (
        "inclusion-numerique",
        "formation-agents",
        "Parcours de formation numérique des agents",
        "Formation",
        "planned",
        0,
        "2025-01-01",
        "2025-12-31",
        ("ludres", "laxou", "pulnoy"),
    ),
    (
        "pilotage-donnee",
        "entrepot-donnees",
        "Entrepôt de données partagé",
        "Études",
        "in_progress",
        25,
        "2024-09-01",
        "2026-06-30",
        (),
    ),
    (
        "maintien-obsolescence",
        "fin-windows-10",
        "Migration des postes avant la fin de Windows 10",
        "Support",
        "in_progress",
        80,
        "2024-01-01",
        "2025-10-14",
        (),
    ),
)
# code, name, unit, direction, category, axis, is_rate, aggregation, baseline, target, actions
INDICATORS = (
    (
        "taux-mfa",
        "Comptes protégés par MFA",
        "%",
        "up",
        "plan",
        "securite",
        True,
        "rate",
        "20",
        "95",
        ("mfa-generalisee",),
    ),
    (
        "postes-obsoletes",
        "Postes sous système non maintenu",
        "postes",
        "down",
        "plan",
        "maintien-obsolescence",
        False,
        "sum",
        "900",
        "0",
        ("fin-windows-10",),
    ),
    (
        "registres-complets",
        "Traitements au registre complets",
        "%",
        "up",
        "plan",
        "conformite",
        True,
        "rate",
        "35",
        "100",
        ("registres-rgpd",),
    ),
    (
        "tickets-traites",
        "Demandes d'assistance traitées",
        "tickets",
        "up",
        "activity",
        None,
        False,
        "sum",
        None,
        None,
        (),
    ),
    (
        "disponibilite",
        "Disponibilité des applications mutualisées",
        "%",
        "up",
        "quality",
        None,
        True,
        "rate",
        "99",
        "99.5",
        (),
    ),
    (
        "incidents-dans-sla",
        "Incidents résolus dans le délai de service",
        "%",
        "up",
        "quality",
        None,
        True,
        "rate",
        "85",
        "95",
        (),
    ),
)
PROJECTS = (
    (
        "ged-mutualisee",
        "GED mutualisée",
        None,
        "active",
        "high",
        "build",
        "180000.00",
        "2024-03-01",
        "2025-12-31",
        "copil-ged",
        None,
    ),
    (
        "portail-famille-ludres",
        "Portail famille",
        "ludres",
        "active",
        "medium",
        "deploy",
        "24000.00",
        "2024-09-01",
        "2025-06-30",
        "comite-strategique",
        None,
    ),
    (
        "wifi-ecoles-laxou",
        "Wi-Fi des écoles",
        "laxou",
        "proposed",
        "low",
        "study",
        "15000.00",
        "2025-01-01",
        "2025-12-31",
        None,
        None,
    ),
    (
        "renouvellement-postes",
        "Renouvellement des postes 2024-2025",
        None,
        "active",
        "critical",
        "deploy",
        "420000.00",
        "2024-01-01",
        "2025-10-14",
        "comite-strategique",
        "fin-windows-10",
    ),
)


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
    _gdpr(session)
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


def _gdpr(session: Session) -> None:
    terms = dict.fromkeys(ART28_TERMS, True)
    session.add(
        SubProcessor(
            code="hebergeur-demo",
            name="Hébergeur Démo SAS (fictif)",
            service="Hébergement de sauvegardes externalisées",
            country="FR",
            contract_signed_on=D("2023-11-15"),
            contract_ends_on=D("2027-11-14"),
            terms=terms,
        )
    )
    session.add(
        SubProcessor(
            code="messagerie-demo",
            name="Messagerie Démo (fictif)",
            service="Filtrage antispam",
            country="FR",
            contract_signed_on=D("2022-05-01"),
            terms={**terms, "audits": False},
        )
    )
    for member in MEMBERS:
        for category, name in (
            ("messagerie", "Messagerie et agendas"),
            ("finances-rh", "Gestion financière et ressources humaines"),
        ):
            session.add(
                ProcessorEntry(
                    category_code=category,
                    category_name=name,
                    controller_code=member,
                    controller_dpo="DPO mutualisé (fictif)",
                    processing_carried_out=f"{FICTIONAL}Hébergement, sauvegarde, maintenance.",
                    sub_processors=["hebergeur-demo"],
                    security_measures="Chiffrement, "
                    "sauvegardes quotidiennes, habilitations nominatives, journalisation.",
                    starts_on=D("2024-01-01"),
                )
            )
    session.add(
        ProcessingRecord(
            controller_code="ludres",
            name="État civil",
            purposes="Tenue des registres d'état civil",
            legal_basis="legal_obligation",
            data_subjects=["usagers"],
            data_categories=["identité", "filiation"],
            recipients=["officiers d'état civil"],
            retention="75 ans puis archives",
            security_measures="Habilitations, sauvegardes",
        )
    )
    session.add(
        ProcessingRecord(
            controller_code="laxou",
            name="Inscriptions périscolaires",
            purposes="Inscriptions et facturation",
            legal_basis="public_task",
            data_subjects=["familles"],
            data_categories=["identité", "quotient familial"],
        )
    )
    session.add(
        Breach(
            reference="VIO-2025-001",
            controller_code="ludres",
            title="Courriel mal adressé (fictif)",
            facts=f"{FICTIONAL}Envoi d'une liste d'inscrits à un mauvais destinataire.",
            effects="Divulgation limitée à un destinataire identifié.",
            measures="Demande de suppression, rappel des bonnes pratiques.",
            risk="risk",
            people_affected=42,
            aware_at=dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.UTC),
            controller_informed_at=dt.datetime(2025, 3, 4, 11, 0, tzinfo=dt.UTC),
            authority_notified_at=dt.datetime(2025, 3, 6, 16, 0, tzinfo=dt.UTC),
        )
    )
    session.add(
        SubjectRequest(
            reference="DRT-2025-001",
            controller_code="nancy",
            kind="access",
            received_on=D("2025-05-12"),
            answered_on=D("2025-06-02"),
            outcome="granted",
            summary=f"{FICTIONAL}Demande d'accès au dossier.",
        )
    )
