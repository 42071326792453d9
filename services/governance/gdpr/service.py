"""Rules of the GDPR registers: computed clocks, deadlines and completeness; audited writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from kit.db import utcnow
from kit.errors import Conflict, ValidationFailed
from kit.identity import Principal
from services.governance.deps import record
from services.governance.gdpr import repository, rules
from services.governance.models import (
    Breach,
    ProcessingRecord,
    ProcessorEntry,
    SubjectRequest,
    SubProcessor,
)

KINDS: dict[str, tuple[type[Any], str]] = {
    "processing": (ProcessorEntry, "processor-entry"),
    "records": (ProcessingRecord, "processing-record"),
    "sub-processors": (SubProcessor, "sub-processor"),
    "breaches": (Breach, "breach"),
    "requests": (SubjectRequest, "subject-request"),
}
TIMELINE = (
    ("aware_at", "Prise de connaissance par la DSIT"),
    ("controller_informed_at", "Responsable de traitement informé"),
    ("authority_notified_at", "Notification à la CNIL"),
    ("people_informed_at", "Personnes concernées informées"),
    ("closed_at", "Clôture"),
)


def _columns(row: Any) -> dict[str, Any]:
    return {
        c.key: getattr(row, c.key)
        for c in row.__table__.columns
        if c.key not in {"created_at", "updated_at"}
    }


def to_read(row: Any, *, now: dt.datetime | None = None) -> dict[str, Any]:
    out = _columns(row)
    if isinstance(row, ProcessingRecord):
        missing = rules.record_missing(out)
        out["completeness"] = {"complete": not missing, "missing": missing}
    elif isinstance(row, SubProcessor):
        missing = rules.terms_missing(row.terms or {})
        out["art28_terms"] = {"complete": not missing, "missing": missing}
    elif isinstance(row, Breach):
        out.update(
            rules.breach_clock(
                aware_at=_aware(row.aware_at) or row.aware_at,
                risk=row.risk,
                controller_informed_at=_aware(row.controller_informed_at),
                authority_notified_at=_aware(row.authority_notified_at),
                people_informed_at=_aware(row.people_informed_at),
                now=now or utcnow(),
            )
        )
        out["timeline"] = [
            {"event": key, "label": label, "at": _aware(getattr(row, key))}
            for key, label in TIMELINE
            if getattr(row, key) is not None
        ]
        for key, _label in TIMELINE:
            out[key] = _aware(out[key])
    elif isinstance(row, SubjectRequest):
        out.update(
            rules.request_deadline(
                received_on=row.received_on,
                extended=row.extended,
                answered_on=row.answered_on,
                today=(now or utcnow()).date(),
            )
        )
    return out


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def _invalid(field: str, message: str, french: str) -> ValidationFailed:
    return ValidationFailed(
        message,
        detail_fr=french,
        errors=[{"field": field, "message": message, "type": "value_error", "message_fr": french}],
    )


# the registers' entries, as the refusals name them
ENTRIES_FR = {
    "processor-entry": ("Le traitement", "Une entrée du registre des activités de sous-traitance"),
    "processing-record": ("La fiche de traitement", "Une fiche de traitement"),
    "sub-processor": ("Le sous-traitant ultérieur", "Un sous-traitant ultérieur"),
    "breach": ("La violation de données", "Une violation de données"),
    "subject-request": ("La demande d'exercice de droits", "Une demande d'exercice de droits"),
}


def _check(session: Session, row: Any) -> None:
    if isinstance(row, ProcessorEntry):
        known = repository.sub_processor_codes(session, row.sub_processors or [])
        unknown = [c for c in row.sub_processors or [] if c not in known]
        if unknown:
            raise _invalid(
                "sub_processors",
                f"unknown sub-processors: {', '.join(unknown)}",
                "Sous-traitants ultérieurs inconnus : "
                + ", ".join(f"« {code} »" for code in unknown)
                + ".",
            )
    if isinstance(row, ProcessingRecord) and row.processor_entry_id is not None:
        entry = session.get(ProcessorEntry, row.processor_entry_id)
        if entry is None or entry.controller_code != row.controller_code:
            raise _invalid(
                "processor_entry_id",
                "no processor-register entry of this controller",
                "Ce traitement n'est pas au registre de sous-traitance de ce responsable.",
            )
    if isinstance(row, Breach):
        aware = _aware(row.aware_at)
        for key, label in TIMELINE[1:]:
            when = _aware(getattr(row, key))
            if when is not None and aware is not None and when < aware:
                raise _invalid(
                    key,
                    f"{key} is before aware_at",
                    f"« {label} » précède la prise de connaissance par la DSIT.",
                )
    if isinstance(row, SubjectRequest) and row.extended and not row.extension_reason:
        raise _invalid(
            "extension_reason",
            "an extension needs its reason (art. 12.3)",
            "Une prolongation du délai demande son motif (RGPD, art. 12.3).",
        )
    if getattr(row, "starts_on", None) and getattr(row, "ends_on", None):
        if row.ends_on < row.starts_on:
            raise _invalid(
                "ends_on",
                "ends_on is before starts_on",
                "La date de fin précède la date de début.",
            )


UNIQUE = {
    "processing": ("category_code", "controller_code"),
    "records": ("controller_code", "name"),
    "sub-processors": ("code",),
    "breaches": ("reference",),
    "requests": ("reference",),
}


def create(session: Session, *, principal: Principal, kind: str, data: BaseModel) -> Any:
    model, resource_type = KINDS[kind]
    values = data.model_dump()
    key = {f: values[f] for f in UNIQUE[kind]}
    if repository.find(session, model, **key) is not None:
        raise Conflict(
            f"An entry with {key} already exists.",
            detail_fr=f"{ENTRIES_FR[resource_type][1]} identique existe déjà ("
            + ", ".join(f"« {value} »" for value in key.values())
            + ").",
            slug=f"{resource_type}-exists",
        )
    row = model(**values)
    _check(session, row)
    session.add(row)
    session.flush()
    record(
        session,
        principal,
        action="create",
        resource_type=resource_type,
        resource_id=row.id,
        after=_columns(row),
    )
    return row


def update(session: Session, *, principal: Principal, kind: str, row: Any, data: BaseModel) -> Any:
    _model, resource_type = KINDS[kind]
    before = _columns(row)
    columns = row.__table__.columns
    for field, value in data.model_dump(exclude_unset=True).items():
        if value is None and not columns[field].nullable:
            raise _invalid(
                field, f"{field} cannot be emptied", "Obligatoire : ne peut pas être vidé."
            )
        setattr(row, field, value)
    _check(session, row)
    session.flush()
    record(
        session,
        principal,
        action="update",
        resource_type=resource_type,
        resource_id=row.id,
        before=before,
        after=_columns(row),
    )
    return row
