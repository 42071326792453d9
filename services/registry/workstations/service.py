"""Rules on workstation counts: every change is a new version; any past state can be read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from kit import audit
from kit.errors import NotFound, ValidationFailed
from kit.french import fr_date
from kit.identity import Principal
from services.registry.models import AuditEntry, Member, WorkstationCount
from services.registry.workstations import repository
from services.registry.workstations.schemas import WorkstationCountRead, WorkstationCountWrite

LOCAL_TIME = ZoneInfo("Europe/Paris")


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def parse_as_of(value: str) -> dt.datetime:
    """``as_of`` is a date (the state at the end of that day, Paris time) or a datetime."""
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value) + dt.timedelta(days=1)
            return dt.datetime.combine(day, dt.time(), LOCAL_TIME) - dt.timedelta(microseconds=1)
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationFailed(
            "Invalid value for: as_of",
            detail_fr="Valeur invalide pour : as_of (une date AAAA-MM-JJ ou une date et heure "
            "ISO est attendue).",
            errors=[
                {
                    "field": "as_of",
                    "message": "an ISO date or datetime",
                    "type": "datetime_parsing",
                    "message_fr": "Une date (AAAA-MM-JJ) ou une date et heure ISO est attendue.",
                }
            ],
        ) from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LOCAL_TIME)


def version_as_of(
    versions: Sequence[WorkstationCount], moment: dt.datetime | None
) -> tuple[WorkstationCount, int] | None:
    """The version in force at ``moment`` (the latest when None) and its number (pure)."""
    found = None
    for number, version in enumerate(versions, start=1):
        if moment is None or aware(version.recorded_at) <= moment:
            found = (version, number)
    return found


def to_read(version: WorkstationCount, member_code: str, number: int) -> WorkstationCountRead:
    return WorkstationCountRead(
        member_code=member_code,
        fiscal_year=version.fiscal_year,
        count=version.count,
        reference_date=version.reference_date,
        source=version.source,
        comment=version.comment,
        recorded_at=aware(version.recorded_at),
        recorded_by=version.recorded_by,
        version=number,
    )


def read_count(
    session: Session, *, member: Member, fiscal_year: int, as_of: dt.datetime | None
) -> WorkstationCountRead:
    found = version_as_of(repository.versions(session, member.id, fiscal_year), as_of)
    if found is None:
        when = f" as of {as_of.isoformat()}" if as_of else ""
        when_fr = f" à la date du {fr_date(as_of.astimezone(LOCAL_TIME))}" if as_of else ""
        raise NotFound(
            f"No workstation count for member '{member.code}' and {fiscal_year}{when}.",
            detail_fr=f"Aucun décompte de postes de travail pour l'adhérent « {member.name} » "
            f"et l'exercice {fiscal_year}{when_fr}.",
            slug="workstation-count-not-found",
        )
    return to_read(found[0], member.code, found[1])


def history(session: Session, *, member: Member, fiscal_year: int) -> list[WorkstationCountRead]:
    versions = repository.versions(session, member.id, fiscal_year)
    return [to_read(v, member.code, n) for n, v in enumerate(versions, start=1)]


def member_history(session: Session, *, member: Member) -> list[WorkstationCountRead]:
    """Every version of every year of one member, newest year first (a few dozen at most)."""
    out: list[WorkstationCountRead] = []
    numbers: dict[int, int] = {}
    for version in repository.member_versions(session, member.id):
        numbers[version.fiscal_year] = numbers.get(version.fiscal_year, 0) + 1
        out.append(to_read(version, member.code, numbers[version.fiscal_year]))
    return sorted(out, key=lambda r: (-r.fiscal_year, r.version))


def record_count(
    session: Session,
    *,
    principal: Principal,
    member: Member,
    fiscal_year: int,
    data: WorkstationCountWrite,
) -> tuple[WorkstationCountRead, bool]:
    """Record a new version unless nothing changed; says whether a version was added."""
    if not fiscal_year - 2 <= data.reference_date.year <= fiscal_year:
        french = (
            f"Le décompte de {fiscal_year} se fait entre {fiscal_year - 2} et {fiscal_year} : "
            "la date du décompte est hors de cette période."
        )
        raise ValidationFailed(
            "Invalid value for: reference_date",
            detail_fr=french,
            errors=[
                {
                    "field": "reference_date",
                    "message": f"a count for {fiscal_year} is taken between "
                    f"{fiscal_year - 2} and {fiscal_year}",
                    "type": "range",
                    "message_fr": french,
                }
            ],
        )

    versions = repository.versions(session, member.id, fiscal_year)
    current = versions[-1] if versions else None
    if current is not None and (
        current.count,
        current.reference_date,
        current.source,
        current.comment,
    ) == (data.count, data.reference_date, data.source, data.comment):
        return to_read(current, member.code, len(versions)), False
    version = WorkstationCount(
        member_id=member.id,
        fiscal_year=fiscal_year,
        recorded_by=principal.audit_name,
        recorded_at=dt.datetime.now(dt.UTC),
        **data.model_dump(),
    )
    session.add(version)
    session.flush()
    before = to_read(current, member.code, len(versions)) if current else None
    after = to_read(version, member.code, len(versions) + 1)
    audit.record(
        session,
        AuditEntry,
        principal=principal,
        action="create" if current is None else "update",
        resource_type="workstation_count",
        resource_id=f"{member.code}/{fiscal_year}",
        before=before,
        after=after,
    )
    return after, True
