"""Rules on adhesions: a member adheres once to a convention, and may leave it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kit.errors import Conflict, NotFound
from kit.french import fr_date, quoted
from kit.identity import Principal
from services.registry.conventions import repository
from services.registry.conventions.schemas import AdhesionCreate, AdhesionRead, AdhesionUpdate
from services.registry.conventions.service import audit_write, invalid
from services.registry.members import repository as members_repository
from services.registry.models import Adhesion, Convention, Member


def adhesion_read(adhesion: Adhesion, convention_code: str, member_code: str) -> AdhesionRead:
    return AdhesionRead(
        convention_code=convention_code,
        member_code=member_code,
        deliberation_ref=adhesion.deliberation_ref,
        deliberated_on=adhesion.deliberated_on,
        signed_on=adhesion.signed_on,
        left_on=adhesion.left_on,
    )


def add_adhesion(
    session: Session, *, principal: Principal, convention: Convention, data: AdhesionCreate
) -> AdhesionRead:
    member = members_repository.get_by_code(session, data.member_code)
    if member is None:
        raise invalid(
            "member_code",
            "no member with this code",
            "unknown",
            f"Aucun adhérent ne porte le code {quoted(data.member_code)}.",
        )
    if repository.get_adhesion(session, convention.id, member.id) is not None:
        raise Conflict(
            f"Member '{member.code}' already adhered to convention '{convention.code}'.",
            detail_fr=f"L'adhérent « {member.name} » a déjà adhéré à la convention "
            f"« {convention.title} ».",
            slug="adhesion-exists",
        )
    _check_adhesion_dates(data.signed_on, data.left_on)
    adhesion = Adhesion(
        convention_id=convention.id, member_id=member.id, **data.model_dump(exclude={"member_code"})
    )
    session.add(adhesion)
    session.flush()
    read = adhesion_read(adhesion, convention.code, member.code)
    audit_write(
        session, principal, "create", "adhesion", f"{convention.code}/{member.code}", None, read
    )
    return read


def get_adhesion_or_404(session: Session, convention: Convention, member: Member) -> Adhesion:
    adhesion = repository.get_adhesion(session, convention.id, member.id)
    if adhesion is None:
        raise NotFound(
            f"Member '{member.code}' has no adhesion to convention '{convention.code}'.",
            detail_fr=f"L'adhérent « {member.name} » n'a pas adhéré à la convention "
            f"« {convention.title} ».",
            slug="adhesion-not-found",
        )
    return adhesion


def update_adhesion(
    session: Session,
    *,
    principal: Principal,
    convention: Convention,
    member: Member,
    data: AdhesionUpdate,
) -> AdhesionRead:
    adhesion = get_adhesion_or_404(session, convention, member)
    before = adhesion_read(adhesion, convention.code, member.code)
    changes = data.model_dump(exclude_unset=True)
    _check_adhesion_dates(
        changes.get("signed_on", adhesion.signed_on), changes.get("left_on", adhesion.left_on)
    )
    for field, value in changes.items():
        setattr(adhesion, field, value)
    session.flush()
    after = adhesion_read(adhesion, convention.code, member.code)
    audit_write(
        session, principal, "update", "adhesion", f"{convention.code}/{member.code}", before, after
    )
    return after


def _check_adhesion_dates(signed_on: dt.date | None, left_on: dt.date | None) -> None:
    if signed_on is not None and left_on is not None and left_on < signed_on:
        raise invalid(
            "left_on",
            "before signed_on",
            "date_order",
            f"La date de sortie précède celle de la signature ({fr_date(signed_on)}).",
        )
