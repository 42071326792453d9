"""Rules of the staffing references: unique profile codes, one need per service, profile and
size band, no profile deleted while a need uses it. Writes are audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kit.audit import record
from kit.errors import Conflict, ValidationFailed
from kit.french import quoted
from kit.identity import Principal
from services.catalogue.common import from_cents, to_cents
from services.catalogue.models import AuditEntry, StaffingNeed, StaffingProfile
from services.catalogue.offerings import repository as offerings
from services.catalogue.staffing import repository
from services.catalogue.staffing.schemas import (
    NeedCreate,
    NeedRead,
    NeedUpdate,
    ProfileCreate,
    ProfileRead,
    ProfileUpdate,
)


def profile_read(profile: StaffingProfile) -> ProfileRead:
    return ProfileRead(
        code=profile.code,
        label=profile.label,
        yearly_cost=from_cents(profile.yearly_cost_cents),
        reference_year=profile.reference_year,
        source=profile.source,
        min_fte=profile.min_fte,
        description=profile.description,
    )


def need_read(need: StaffingNeed) -> NeedRead:
    return NeedRead(
        id=need.id,
        service_code=need.offering.code,
        service_name=need.offering.name,
        profile_code=need.profile.code,
        profile_label=need.profile.label,
        min_workstations=need.min_workstations,
        fte=need.fte,
        note=need.note,
    )


def ensure_dsit(principal: Principal) -> None:
    """The references are the DSIT's, shared by every member: a token restricted to one member
    (a member's GLPI agent holds catalogue rights) writes none of them (403)."""
    principal.ensure_writes_only_its_member([None])


def _audit(
    session: Session, principal: Principal, action: str, kind: str, rid: str, **sides: Any
) -> None:
    record(
        session,
        AuditEntry,
        principal=principal,
        action=action,
        resource_type=kind,
        resource_id=rid,
        **sides,
    )


def _changes(data: ProfileUpdate | NeedUpdate) -> dict[str, Any]:
    """The fields given (not None), as values (a dump would serialise the decimals)."""
    given = {f: getattr(data, f) for f in data.model_fields_set}
    return {f: v for f, v in given.items() if v is not None}


def create_profile(session: Session, *, principal: Principal, data: ProfileCreate) -> ProfileRead:
    ensure_dsit(principal)
    if repository.profile_by_code(session, data.code) is not None:
        raise Conflict(
            f"A staffing profile with code '{data.code}' already exists.",
            detail_fr=f"Un profil porte déjà le code {quoted(data.code)} : choisissez-en un autre.",
            slug="duplicate-code",
        )
    # the fields themselves: a dump would give the serialised strings of the decimals
    values = {f: getattr(data, f) for f in type(data).model_fields if f != "yearly_cost"}
    profile = StaffingProfile(**values, yearly_cost_cents=to_cents(data.yearly_cost))
    session.add(profile)
    session.flush()
    result = profile_read(profile)
    _audit(session, principal, "create", "staffing_profile", profile.code, after=result)
    return result


def update_profile(
    session: Session, *, principal: Principal, profile: StaffingProfile, data: ProfileUpdate
) -> ProfileRead:
    ensure_dsit(principal)
    before = profile_read(profile)
    for field, value in _changes(data).items():
        if field == "yearly_cost":
            profile.yearly_cost_cents = to_cents(value)
        else:
            setattr(profile, field, value)
    session.flush()
    after = profile_read(profile)
    _audit(
        session, principal, "update", "staffing_profile", profile.code, before=before, after=after
    )
    return after


def delete_profile(session: Session, *, principal: Principal, profile: StaffingProfile) -> None:
    ensure_dsit(principal)
    used = repository.needs_of_profile(session, profile.id)
    if used:
        raise Conflict(
            f"The profile '{profile.code}' is used by {used} service need(s): delete them first.",
            detail_fr=f"Le profil {quoted(profile.label)} est utilisé par {used} besoin(s) de "
            "services : supprimez-les d'abord.",
            slug="profile-in-use",
        )
    before = profile_read(profile)
    session.delete(profile)
    session.flush()
    _audit(session, principal, "delete", "staffing_profile", profile.code, before=before)


def _unknown(field: str, english: str, french: str) -> ValidationFailed:
    return ValidationFailed(
        english,
        detail_fr=french,
        errors=[{"field": field, "message": english, "type": "unknown", "message_fr": french}],
    )


def _duplicate_band() -> Conflict:
    return Conflict(
        "This service already has a need of this profile from this size.",
        detail_fr="Ce service a déjà un besoin de ce profil à partir de ce nombre de postes : "
        "modifiez-le plutôt.",
        slug="duplicate-need",
    )


def create_need(session: Session, *, principal: Principal, data: NeedCreate) -> NeedRead:
    ensure_dsit(principal)
    offering = offerings.get_by_code(session, data.service_code)
    if offering is None:
        raise _unknown(
            "service_code",
            f"No service '{data.service_code}' in the catalogue",
            f"Aucun service du catalogue ne porte le code {quoted(data.service_code)}.",
        )
    profile = repository.profile_by_code(session, data.profile_code)
    if profile is None:
        raise _unknown(
            "profile_code",
            f"No staffing profile '{data.profile_code}'",
            f"Aucun profil ne porte le code {quoted(data.profile_code)}.",
        )
    found = repository.same_band(
        session,
        offering_id=offering.id,
        profile_id=profile.id,
        min_workstations=data.min_workstations,
    )
    if found is not None:
        raise _duplicate_band()
    need = StaffingNeed(
        offering_id=offering.id,
        profile_id=profile.id,
        min_workstations=data.min_workstations,
        fte=data.fte,
        note=data.note,
    )
    session.add(need)
    session.flush()
    session.refresh(need)
    result = need_read(need)
    _audit(session, principal, "create", "staffing_need", str(need.id), after=result)
    return result


def update_need(
    session: Session, *, principal: Principal, need: StaffingNeed, data: NeedUpdate
) -> NeedRead:
    ensure_dsit(principal)
    before = need_read(need)
    changes = _changes(data)
    band = changes.get("min_workstations", need.min_workstations)
    if band != need.min_workstations:
        found = repository.same_band(
            session, offering_id=need.offering_id, profile_id=need.profile_id, min_workstations=band
        )
        if found is not None:
            raise _duplicate_band()
    for field, value in changes.items():
        setattr(need, field, value)
    session.flush()
    after = need_read(need)
    _audit(session, principal, "update", "staffing_need", str(need.id), before=before, after=after)
    return after


def delete_need(session: Session, *, principal: Principal, need: StaffingNeed) -> None:
    ensure_dsit(principal)
    before = need_read(need)
    session.delete(need)
    session.flush()
    _audit(session, principal, "delete", "staffing_need", str(need.id), before=before)
