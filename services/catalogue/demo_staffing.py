"""Demo staffing references for ``make run``: indicative employer costs per profile and, per
demo catalogue service, the share of a post a body needs by size band (workstations).

The figures are indicative and editable (back office: Catalogue → Références de personnel):
the yearly employer costs are an order of magnitude of a territorial post (salary from the
grilles indiciaires of the fonction publique territoriale, plus employer contributions), not a
quotation. The size bands are the same for every service: from 0, 50, 250 and 1,000
workstations.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.catalogue.models import Offering, StaffingNeed, StaffingProfile

SOURCE = (
    "Ordre de grandeur de démonstration, non vérifié : à remplacer par les coûts employeur "
    "réels (grilles indiciaires du CNFPT, salaires moyens de la FPT publiés par l'INSEE, "
    "charges patronales comprises)."
)
REFERENCE_YEAR = 2025

# code, label, yearly employer cost (euros), min share of a post hireable, description
PROFILES = (
    ("technicien", "Technicien informatique", 48_000, "0.5", "Cadre d'emplois des techniciens"),
    (
        "ingenieur-systemes-reseaux",
        "Ingénieur systèmes et réseaux",
        66_000,
        "0.5",
        "Cadre d'emplois des ingénieurs territoriaux",
    ),
    (
        "administrateur-applications",
        "Administrateur d'applications métier",
        56_000,
        "0.5",
        "Paramétrage et exploitation des logiciels finances, RH, état civil",
    ),
    ("developpeur", "Développeur", 58_000, "0.5", "Développements et interfaces"),
    ("chef-de-projet", "Chef de projet", 70_000, "0.5", "Conduite de projets numériques"),
    (
        "rssi",
        "Responsable de la sécurité des systèmes d'information (RSSI)",
        80_000,
        "0.5",
        "Politique de sécurité, gestion des incidents, homologations",
    ),
    (
        "dpo",
        "Délégué à la protection des données (DPO)",
        64_000,
        "0.5",
        "Registre des traitements, analyses d'impact, demandes des personnes",
    ),
)

BANDS = (0, 50, 250, 1000)
# service code -> profile code -> the share of a post from each band of BANDS
NEEDS: dict[str, dict[str, tuple[str, str, str, str]]] = {
    "messagerie": {
        "ingenieur-systemes-reseaux": ("0.05", "0.1", "0.3", "0.6"),
        "technicien": ("0.05", "0.1", "0.2", "0.5"),
    },
    "stockage": {"ingenieur-systemes-reseaux": ("0.05", "0.1", "0.3", "0.8")},
    "finances-rh": {
        "administrateur-applications": ("0.1", "0.2", "0.5", "1"),
        "developpeur": ("0.02", "0.05", "0.2", "0.5"),
    },
    "telephonie": {"technicien": ("0.05", "0.1", "0.3", "0.8")},
    "reseau": {"ingenieur-systemes-reseaux": ("0.1", "0.2", "0.5", "1")},
    "securite": {
        "rssi": ("0.1", "0.2", "0.5", "1"),
        "ingenieur-systemes-reseaux": ("0.05", "0.1", "0.2", "0.5"),
    },
    "postes-de-travail": {"technicien": ("0.1", "0.3", "1.5", "4")},
    "assistance": {"technicien": ("0.1", "0.2", "0.5", "1.5")},
    "conseil": {
        "chef-de-projet": ("0.1", "0.2", "0.5", "1"),
        "dpo": ("0.1", "0.2", "0.3", "0.5"),
    },
}


def load(session: Session) -> bool:
    """Add the references when there are none and the demo catalogue's services exist."""
    if session.scalar(select(func.count()).select_from(StaffingProfile)):
        return False
    session.flush()
    offerings = {o.code: o for o in session.scalars(select(Offering))}
    if not offerings:
        return False
    profiles = {
        code: StaffingProfile(
            code=code,
            label=label,
            yearly_cost_cents=cost * 100,
            reference_year=REFERENCE_YEAR,
            source=SOURCE,
            min_fte=Decimal(min_fte),
            description=description,
        )
        for code, label, cost, min_fte, description in PROFILES
    }
    session.add_all(profiles.values())
    session.flush()
    for service, per_profile in NEEDS.items():
        offering = offerings.get(service)
        if offering is None:
            continue
        for profile, shares in per_profile.items():
            for band, share in zip(BANDS, shares, strict=True):
                session.add(
                    StaffingNeed(
                        offering_id=offering.id,
                        profile_id=profiles[profile].id,
                        min_workstations=band,
                        fte=Decimal(share),
                        note="Démo, indicatif",
                    )
                )
    session.flush()
    return True
