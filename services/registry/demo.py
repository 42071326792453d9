"""Demo data for ``make run``: the members named by the 2023 deliberation, their conventions,
contacts, workstation counts and budget calendars.

The bodies and dates of the deliberations are those of the source document; every SIRET,
address detail, person, workstation count and budget date is FICTIONAL (données fictives).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from stdnum import luhn

from services.registry.demo_data import (
    CHORUS_REFERENCES as CHORUS_REFERENCES,
)
from services.registry.demo_data import (
    DEBTOR_CODES as DEBTOR_CODES,
)
from services.registry.demo_data import (
    FIRST_NAMES as FIRST_NAMES,
)
from services.registry.demo_data import (
    LAST_NAMES as LAST_NAMES,
)
from services.registry.demo_data import (
    MEMBERS as MEMBERS,
)
from services.registry.demo_data import (
    OTHER_CONTACTS as OTHER_CONTACTS,
)
from services.registry.models import (
    Adhesion,
    BudgetCalendar,
    Contact,
    Convention,
    ConventionAmendment,
    Member,
    WorkstationCount,
)

FICTIONAL = "Chiffre fictif (données de démonstration)"
D = dt.date.fromisoformat


def fictional_siret(index: int) -> str:
    """A SIRET with valid checksums that belongs to nobody (public bodies' SIREN start with 2)."""
    siren = f"2{99000 + index:07d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


def load(session: Session) -> bool:
    """Fill an empty registry; change nothing and return False when it already holds data."""
    if session.scalar(select(func.count()).select_from(Member)):
        return False
    members = _members(session)
    _conventions(session, members)
    _contacts(session, members)
    _workstations(session, members)
    _calendars(session, members)
    session.flush()
    return True


def _members(session: Session) -> dict[str, tuple[Member, int]]:
    out = {}
    for index, (code, name, kind, postal, city, joined, count) in enumerate(MEMBERS):
        host = code == "grand-nancy"
        member = Member(
            code=code,
            name=name,
            kind=kind,
            siret=fictional_siret(index),
            address_line=(  # fictional, as every detail here
                "Hôtel de ville, 1 place de la Mairie"
                if kind == "commune"
                else "Siège administratif, 10 rue de l'Exemple"
            ),
            postal_code=postal,
            city=city,
            is_host=host,
            invoiced=not host,
            joined_on=D(joined),
        )
        member.debtor_category, member.legal_nature = DEBTOR_CODES[kind]
        service_code, commitment = CHORUS_REFERENCES.get(code, (None, None))
        member.service_code_required, member.service_code = service_code is not None, service_code
        member.commitment_number_required = commitment is not None
        member.commitment_number = commitment
        session.add(member)
        out[code] = (member, count)
    session.flush()
    return out


def _conventions(session: Session, members: dict[str, tuple[Member, int]]) -> None:
    old = Convention(
        code="convention-2017",
        title="Convention de mutualisation informatique (2017)",
        starts_on=D("2017-10-01"),
        ends_on=D("2022-09-30"),
        tacit_renewal=False,
        renewal_months=12,
        notice_months=3,
        deliberation_ref="Délibération du Conseil métropolitain du 13 juillet 2017",
        deliberated_on=D("2017-07-13"),
    )
    session.add(old)
    session.flush()
    new = Convention(
        code="convention-2024",
        title="Convention de mutualisation des systèmes d'information (2024)",
        starts_on=D("2024-01-01"),
        ends_on=D("2024-12-31"),
        tacit_renewal=True,
        renewal_months=12,
        max_ends_on=D("2028-12-31"),
        notice_months=3,
        deliberation_ref="Délibération du Conseil métropolitain de septembre 2023",
        previous_id=old.id,
    )
    session.add(new)
    session.flush()
    session.add_all(
        [
            ConventionAmendment(
                convention_id=old.id,
                kind="amendment",
                reference="Avenant n°1",
                deliberated_on=D("2022-09-20"),
                summary="Prolongation de la convention pour une durée d'un an.",
                extends_to=D("2023-09-30"),
            ),
            ConventionAmendment(
                convention_id=old.id,
                kind="extension",
                reference="Prorogation 2023",
                deliberated_on=D("2023-09-25"),
                summary="Prorogation jusqu'au démarrage de la nouvelle convention au 1er janvier "
                "2024, pour clore la refacturation annuelle et laisser les adhérents délibérer.",
                extends_to=D("2023-12-31"),
            ),
        ]
    )
    for code, (member, _) in members.items():
        joined = member.joined_on
        session.add(
            Adhesion(
                convention_id=old.id,
                member_id=member.id,
                deliberation_ref=f"Délibération du {joined.strftime('%d/%m/%Y')}",
                deliberated_on=joined,
                signed_on=max(joined, old.starts_on),
            )
        )
        ludres = code == "ludres"
        body = ASSEMBLY.get(member.kind, "de l'organe délibérant")
        session.add(
            Adhesion(
                convention_id=new.id,
                member_id=member.id,
                # every member's own deliberation: each title cites it (issuing refuses without)
                deliberation_ref=(
                    "Délibération n°5 du 25 septembre 2023"
                    if ludres
                    else f"Délibération n° 2023-{40 + len(code) % 50} {body}"
                ),
                deliberated_on=D("2023-09-25") if ludres else D("2023-10-12"),
                signed_on=D("2023-11-20"),
            )
        )


ASSEMBLY = {  # who deliberates, by kind of member
    "commune": "du conseil municipal",
    "ccas": "du conseil d'administration",
    "etablissement_public": "du conseil d'administration",
    "syndicat": "du comité syndical",
}


def _contacts(session: Session, members: dict[str, tuple[Member, int]]) -> None:
    for index, (code, (member, _)) in enumerate(members.items()):
        session.add(
            Contact(
                member_id=member.id,
                first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(index * 3) % len(LAST_NAMES)],
                email=f"referent@{code}.example",
                phone=f"03 83 00 {index:02d} 00",
                roles=["it_referent"],
                dashboard_access=True,
            )
        )
    # every invoiced member has a finance officer: forecasts and titles are mailed to them
    with_finance = {code for code, _, _, roles, _ in OTHER_CONTACTS if "finance_officer" in roles}
    for index, (code, (member, _)) in enumerate(members.items()):
        if member.is_host or code in with_finance:
            continue
        session.add(
            Contact(
                member_id=member.id,
                first_name=FIRST_NAMES[(index + 3) % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(index * 5 + 1) % len(LAST_NAMES)],
                email=f"finances@{code}.example",
                roles=["finance_officer"],
                dashboard_access=False,
            )
        )
    for code, first, last, roles, dashboard in OTHER_CONTACTS:
        session.add(
            Contact(
                member_id=members[code][0].id,
                first_name=first,
                last_name=last,
                email=f"{first.lower()[0]}.{last.lower()}@{code}.example",
                roles=roles,
                dashboard_access=dashboard,
            )
        )


def _workstations(session: Session, members: dict[str, tuple[Member, int]]) -> None:
    recorder = "demo (données fictives)"
    for index, (member, count) in enumerate(members.values()):
        for year, factor in ((2023, 0.96), (2024, 1.0), (2025, 1.03), (2026, 1.05)):
            session.add(
                WorkstationCount(
                    member_id=member.id,
                    fiscal_year=year,
                    count=round(count * factor),
                    reference_date=dt.date(year - 1, 12, 31),
                    source="declared",
                    comment=FICTIONAL,
                    recorded_at=dt.datetime(year, 1, 15, 9, 0, tzinfo=dt.UTC),
                    recorded_by=recorder,
                )
            )
        if index % 5 == 0:  # some counts corrected by the inventory later in the year
            session.add(
                WorkstationCount(
                    member_id=member.id,
                    fiscal_year=2024,
                    count=count + 2 + index % 3,
                    reference_date=dt.date(2024, 6, 30),
                    source="inventory",
                    comment=FICTIONAL + " : recalage par l'inventaire",
                    recorded_at=dt.datetime(2024, 7, 3, 14, 30, tzinfo=dt.UTC),
                    recorded_by=recorder,
                )
            )


def _calendars(session: Session, members: dict[str, tuple[Member, int]]) -> None:
    for index, (member, _) in enumerate(members.values()):
        early = index % 3 == 0  # some bodies vote their BP in December of the year before
        for year in (2024, 2025):
            bp = (
                dt.date(year - 1, 12, 12 + index % 6) if early else dt.date(year, 3, 20 + index % 8)
            )
            session.add(
                BudgetCalendar(
                    member_id=member.id,
                    fiscal_year=year,
                    bp_voted_on=bp,
                    bs_voted_on=dt.date(year, 6, 20 + index % 8),
                    dm_dates=[dt.date(year, 9, 25).isoformat(), dt.date(year, 11, 20).isoformat()],
                )
            )
        session.add(
            BudgetCalendar(
                member_id=member.id,
                fiscal_year=2026,
                bp_voted_on=dt.date(2025, 12, 15) if early else None,
                dm_dates=[],
            )
        )
