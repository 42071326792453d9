"""Demo data for ``make run``: a plausible catalogue and inventory, fictional figures.

Offerings by domain, components (messaging, storage, finance and HR software, telephony,
network, security, workstations), drivers, cost lines for 2024 to 2026 (direct with fixed
weights, indirect with a driver, a spread investment) and the members' usage.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.catalogue import demo_staffing
from services.catalogue.models import (
    Allocation,
    Component,
    CostLine,
    Driver,
    GlpiMemberMapping,
    Offering,
    OfferingChange,
    Subscription,
    UsageMeasurement,
)

# member code -> rough size (≈ agents equipped), used to make weights and usage plausible
MEMBERS = {
    "grand-nancy": 900,
    "nancy": 1100,
    "vandoeuvre-les-nancy": 320,
    "villers-les-nancy": 150,
    "laxou": 140,
    "maxeville": 90,
    "malzeville": 80,
    "jarville-la-malgrange": 85,
    "saint-max": 70,
    "essey-les-nancy": 75,
    "ludres": 60,
    "pulnoy": 45,
    "seichamps": 40,
    "saulxures-les-nancy": 35,
    "houdemont": 20,
    "art-sur-meurthe": 12,
    "dommartemont": 8,
    "fleville-devant-nancy": 18,
    "heillecourt": 6,
    "ccas-nancy": 110,
    "ccas-vandoeuvre-les-nancy": 30,
    "opera-national-de-lorraine": 95,
    "sillon-lorrain": 10,
    "sivu-saint-michel-jericho": 9,
    "syndicat-intercommunautaire-scolaire": 14,
    "syndicat-creche-frimousse": 7,
}
YEARS = (2024, 2025, 2026)
# member code -> its entity in the DSIT's GLPI (under the root entity): the demo's mappings, so
# that a GLPI list import (entities, sub-entities included) and an agent tagged with the member
# code land in the right member with no setting changed
GLPI_ROOT = "Entité racine"
GLPI_ROOT_MEMBER = "grand-nancy"  # GLPI's root entity (id 0): the host's devices
GLPI_ENTITIES = {
    "grand-nancy": "Métropole du Grand Nancy",
    "nancy": "Ville de Nancy",
    "vandoeuvre-les-nancy": "Ville de Vandœuvre-lès-Nancy",
    "villers-les-nancy": "Ville de Villers-lès-Nancy",
    "laxou": "Ville de Laxou",
    "maxeville": "Ville de Maxéville",
    "malzeville": "Ville de Malzéville",
    "jarville-la-malgrange": "Ville de Jarville-la-Malgrange",
    "saint-max": "Ville de Saint-Max",
    "essey-les-nancy": "Ville d'Essey-lès-Nancy",
    "ludres": "Ville de Ludres",
    "pulnoy": "Ville de Pulnoy",
    "seichamps": "Ville de Seichamps",
    "saulxures-les-nancy": "Ville de Saulxures-lès-Nancy",
    "houdemont": "Ville de Houdemont",
    "art-sur-meurthe": "Commune d'Art-sur-Meurthe",
    "dommartemont": "Commune de Dommartemont",
    "fleville-devant-nancy": "Commune de Fléville-devant-Nancy",
    "heillecourt": "Commune d'Heillecourt",
    "ccas-nancy": "CCAS de Nancy",
    "ccas-vandoeuvre-les-nancy": "CCAS de Vandœuvre-lès-Nancy",
    "opera-national-de-lorraine": "Opéra national de Lorraine",
    "sillon-lorrain": "Pôle métropolitain du Sillon lorrain",
    "sivu-saint-michel-jericho": "SIVU Saint-Michel Jéricho",
    "syndicat-intercommunautaire-scolaire": "Syndicat intercommunautaire scolaire",
    "syndicat-creche-frimousse": "Syndicat de la crèche Frimousse",
}

OFFERINGS = [
    (
        "messagerie",
        "Messagerie et agenda",
        "applications-metier",
        "Boîtes aux lettres, agendas partagés et listes de diffusion.",
        [("Disponibilité", "99,5 % en heures ouvrées")],
    ),
    (
        "stockage",
        "Stockage et sauvegarde",
        "infrastructure",
        "Espaces de fichiers partagés, sauvegarde quotidienne, rétention 30 jours.",
        [("Restauration", "sous 1 jour ouvré")],
    ),
    (
        "finances-rh",
        "Logiciels finances et RH",
        "applications-metier",
        "Gestion financière, paie et carrières hébergées par la DSIT.",
        [("Support", "réponse sous 4 h ouvrées")],
    ),
    (
        "telephonie",
        "Téléphonie fixe et mobile",
        "telephonie",
        "Autocommutateur IP, lignes fixes, flotte mobile.",
        [("Rétablissement", "sous 8 h ouvrées")],
    ),
    (
        "reseau",
        "Réseau métropolitain",
        "infrastructure",
        "Fibre, routeurs et accès internet des sites.",
        [("Disponibilité", "99,9 %")],
    ),
    (
        "securite",
        "Sécurité du SI",
        "securite",
        "Pare-feu, antivirus, filtrage, supervision.",
        [("Alerte", "traitée sous 2 h")],
    ),
    (
        "postes-de-travail",
        "Postes de travail",
        "support",
        "Fourniture, déploiement et maintenance des postes.",
        [("Intervention", "sous 2 jours ouvrés")],
    ),
    (
        "assistance",
        "Centre de services",
        "support",
        "Assistance téléphonique et guichet.",
        [("Décroché", "80 % en moins de 30 s")],
    ),
    ("conseil", "Conseil et accompagnement", "conseil", "Études, RGPD, schémas directeurs.", []),
    ("ia-generative", "Assistant IA générative", "projets", "Expérimentation en cours.", []),
]

DRIVERS = [
    ("storage_gb", "Stockage", "Go", "Volume de stockage occupé au 31 décembre"),
    ("mail_accounts", "Comptes de messagerie", "comptes", "Boîtes aux lettres actives"),
    (
        "business_app_accounts",
        "Comptes des logiciels métier",
        "comptes",
        "Comptes actifs des logiciels finances et RH",
    ),
    ("phone_lines", "Lignes téléphoniques", "lignes", "Lignes fixes et mobiles"),
    ("workstations", "Postes gérés", "postes", "Postes de travail gérés"),
]

# code, name, kind, offering, driver (indirect) or None (direct), yearly amount, nature
COMPONENTS = [
    (
        "exchange",
        "Messagerie Exchange",
        "application",
        "messagerie",
        "mail_accounts",
        86_000,
        "licence",
    ),
    (
        "srv-mail-01",
        "Serveur de messagerie 1",
        "server",
        "messagerie",
        "mail_accounts",
        9_500,
        "maintenance",
    ),
    (
        "san-netapp",
        "Baie de stockage NetApp",
        "storage",
        "stockage",
        "storage_gb",
        64_000,
        "maintenance",
    ),
    ("veeam", "Sauvegarde Veeam", "licence", "stockage", "storage_gb", 21_000, "licence"),
    ("ciril-finances", "Ciril Finances", "application", "finances-rh", None, 48_000, "maintenance"),
    (
        "ciril-rh",
        "Ciril RH (paie, carrières)",
        "application",
        "finances-rh",
        "business_app_accounts",
        52_000,
        "licence",
    ),
    (
        "ipbx-alcatel",
        "Autocommutateur Alcatel OXE",
        "telephony",
        "telephonie",
        "phone_lines",
        27_000,
        "maintenance",
    ),
    (
        "flotte-mobile",
        "Flotte mobile (marché opérateur)",
        "telephony",
        "telephonie",
        "phone_lines",
        74_000,
        "subscription",
    ),
    (
        "fibre-metropole",
        "Boucle fibre métropolitaine",
        "network",
        "reseau",
        None,
        39_000,
        "hosting",
    ),
    ("routeurs-sites", "Routeurs des sites", "network", "reseau", None, 16_500, "maintenance"),
    ("pare-feu", "Pare-feu Stormshield", "network", "securite", None, 18_000, "licence"),
    ("antivirus", "Antivirus et EDR", "licence", "securite", "workstations", 23_500, "licence"),
    (
        "postes-2024",
        "Parc de postes 2024",
        "workstation",
        "postes-de-travail",
        "workstations",
        0,
        "acquisition",
    ),
    (
        "glpi",
        "GLPI (inventaire et assistance)",
        "application",
        "assistance",
        None,
        6_000,
        "service",
    ),
]


def _is_empty(session: Session) -> bool:
    return not any(
        session.scalar(select(func.count()).select_from(model))
        for model in (Offering, Component, Driver, CostLine)
    )


def _weights(members: list[str]) -> list[Allocation]:
    return [Allocation(member_code=m, weight=Decimal(MEMBERS[m])) for m in members]


def load(session: Session) -> bool:
    if not _is_empty(session):
        return False
    rng = random.Random(2026)
    offerings: dict[str, Offering] = {}
    for code, name, domain, description, levels in OFFERINGS:
        status = "draft" if code == "ia-generative" else "active"
        offering = Offering(
            code=code,
            name=name,
            domain=domain,
            description=description,
            status=status,
            service_levels=[{"indicator": i, "commitment": c} for i, c in levels],
        )
        session.add(offering)
        offerings[code] = offering
    session.flush()
    for offering in offerings.values():
        session.add(
            OfferingChange(
                offering_id=offering.id,
                change="created",
                changes={"status": {"from": None, "to": offering.status}},
                note="Catalogue initial de la convention",
            )
        )
        for member in MEMBERS:
            if offering.status == "active" and (
                offering.code != "finances-rh" or MEMBERS[member] > 30
            ):
                session.add(
                    Subscription(
                        offering_id=offering.id, member_code=member, since=dt.date(2024, 1, 1)
                    )
                )
    drivers = {
        code: Driver(code=code, label=label, unit=unit, description=d)
        for code, label, unit, d in DRIVERS
    }
    session.add_all(drivers.values())
    everyone = list(MEMBERS)
    for code, name, kind, offering_code, driver, amount, nature in COMPONENTS:
        users = (
            everyone
            if driver or code != "ciril-finances"
            else [m for m in everyone if MEMBERS[m] > 30]
        )
        component = Component(
            code=code,
            name=name,
            kind=kind,
            offering=offerings[offering_code],
            member_codes=sorted(users),
            source="manual",
            external_id=code,
            in_service_on=dt.date(2019 + rng.randint(0, 5), rng.randint(1, 12), 1),
            end_of_support_on=dt.date(2025 + rng.randint(0, 6), 12, 31),
        )
        session.add(component)
        for year in YEARS:
            if amount == 0:
                continue
            cents = round(amount * (1 + 0.03 * (year - 2024)) * 100)
            session.add(
                CostLine(
                    component=component,
                    fiscal_year=year,
                    section="operating",
                    nature=nature,
                    amount_cents=cents,
                    mode="indirect" if driver else "direct",
                    driver=drivers[driver] if driver else None,
                    last_fiscal_year=year,
                    allocation=[] if driver else _weights(users),
                    label=f"{name} {year}",
                )
            )
        if kind == "workstation":  # a purchase spread over 4 years
            session.add(
                CostLine(
                    component=component,
                    fiscal_year=2024,
                    section="investment",
                    nature="acquisition",
                    amount_cents=412_345_67,
                    mode="indirect",
                    driver=drivers["workstations"],
                    depreciation_years=4,
                    last_fiscal_year=2027,
                    label="Renouvellement de 520 postes (amorti sur 4 ans)",
                )
            )
    session.add(
        CostLine(
            component=_find(session, "san-netapp"),
            fiscal_year=2025,
            section="investment",
            nature="acquisition",
            amount_cents=180_000_00,
            mode="direct",
            depreciation_years=5,
            last_fiscal_year=2029,
            label="Extension de la baie (5 ans)",
            allocation=_weights(everyone),
        )
    )
    _usage(session, drivers, rng)
    _glpi_mappings(session)
    session.flush()
    demo_staffing.load(session)
    return True


def _glpi_mappings(session: Session) -> None:
    """Each member's GLPI entity and the agents' tag (the member code), when none is mapped;
    GLPI's root entity (id 0, where untagged inventories go) is the host's, the Métropole."""
    if session.scalar(select(func.count()).select_from(GlpiMemberMapping)):
        return
    session.add(GlpiMemberMapping(match="entity", value="0", member_code=GLPI_ROOT_MEMBER))
    for member, entity in GLPI_ENTITIES.items():
        session.add(
            GlpiMemberMapping(match="entity", value=f"{GLPI_ROOT} > {entity}", member_code=member)
        )
        session.add(GlpiMemberMapping(match="tag", value=member, member_code=member))


def _find(session: Session, code: str) -> Component:
    return next(c for c in session.new if isinstance(c, Component) and c.code == code)


def _usage(session: Session, drivers: dict[str, Driver], rng: random.Random) -> None:
    per_agent = {
        "storage_gb": 42,
        "mail_accounts": 1.1,
        "business_app_accounts": 0.15,
        "phone_lines": 0.8,
        "workstations": 0.9,
    }
    session.flush()
    for year in YEARS:
        for code, driver in drivers.items():
            for member, size in MEMBERS.items():
                growth = 1 + 0.05 * (year - 2024)
                quantity = Decimal(round(size * per_agent[code] * growth * rng.uniform(0.8, 1.2)))
                session.add(
                    UsageMeasurement(
                        fiscal_year=year,
                        driver_id=driver.id,
                        member_code=member,
                        quantity=max(quantity, Decimal(1)),
                        reference_date=dt.date(year, 12, 31)
                        if year < 2026
                        else dt.date(2026, 9, 30),
                        source="demo",
                    )
                )
