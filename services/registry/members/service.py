"""Rules on members: one host, never invoiced; SIRET unique; a member with history is kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from kit import audit
from kit.errors import Conflict, ValidationFailed
from kit.french import NOT_NULL, fr_date, quoted
from kit.identity import Principal
from services.registry.conventions import service as conventions_service
from services.registry.members import repository
from services.registry.members.schemas import (
    Address,
    Debtor,
    DebtorFields,
    MemberCreate,
    MemberRead,
    MemberUpdate,
)
from services.registry.models import AuditEntry, Member

# the records that keep a member from being deleted, as a French reader names them
HISTORY_FR = {
    "adhesions": "adhésion(s)",
    "contacts": "interlocuteur(s)",
    "workstation_counts": "décompte(s) de postes de travail",
    "budget_calendars": "calendrier(s) budgétaire(s)",
}


def to_read(member: Member) -> MemberRead:
    return MemberRead(
        code=member.code,
        name=member.name,
        kind=member.kind,
        siret=member.siret,
        address=Address(line=member.address_line, postal_code=member.postal_code, city=member.city),
        is_host=member.is_host,
        invoiced=member.invoiced,
        joined_on=member.joined_on,
        left_on=member.left_on,
        debtor=DebtorFields.model_validate(
            {
                "category": member.debtor_category,
                "legal_nature": member.legal_nature,
                "service_code_required": member.service_code_required,
                "service_code": member.service_code,
                "commitment_number_required": member.commitment_number_required,
                "commitment_number": member.commitment_number,
            }
        ),
    )


def set_debtor(member: Member, debtor: Debtor) -> None:
    member.debtor_category = debtor.category
    member.legal_nature = debtor.legal_nature
    member.service_code_required = debtor.service_code_required
    member.service_code = debtor.service_code
    member.commitment_number_required = debtor.commitment_number_required
    member.commitment_number = debtor.commitment_number


def check_consistency(
    *, is_host: bool, invoiced: bool, joined_on: dt.date, left_on: dt.date | None
) -> None:
    """Field-level rules that involve two fields (422 naming the field at fault)."""
    errors: list[dict[str, Any]] = []
    if is_host and invoiced:
        errors.append(
            {
                "field": "invoiced",
                "message": "the host member is counted in shares but never invoiced",
                "type": "host_invoiced",
                "message_fr": "L'adhérent hôte compte dans la répartition mais n'est jamais "
                "facturé.",
            }
        )
    if left_on is not None and left_on < joined_on:
        errors.append(
            {
                "field": "left_on",
                "message": "left_on is before joined_on",
                "type": "date_order",
                "message_fr": f"La date de sortie précède celle d'adhésion ({fr_date(joined_on)}).",
            }
        )
    if errors:
        raise ValidationFailed(
            "Invalid value for: " + ", ".join(e["field"] for e in errors),
            detail_fr=" ".join(e["message_fr"] for e in errors),
            errors=errors,
        )


def _check_unique(session: Session, *, member: Member | None, siret: str, is_host: bool) -> None:
    same_siret = repository.get_by_siret(session, siret)
    if same_siret is not None and same_siret is not member:
        raise Conflict(
            f"The SIRET {siret} is already the one of member '{same_siret.code}'.",
            detail_fr=f"Le SIRET {siret} est déjà celui de l'adhérent « {same_siret.name} ».",
            slug="siret-taken",
        )
    if is_host:
        host = repository.get_host(session)
        if host is not None and host is not member:
            raise Conflict(
                f"'{host.code}' is already the host member; there is only one host.",
                detail_fr=f"L'adhérent « {host.name} » est déjà l'hôte de la mutualisation ; "
                "il n'y en a qu'un.",
                slug="host-already-exists",
            )


def create_member(session: Session, *, principal: Principal, data: MemberCreate) -> Member:
    if repository.get_by_code(session, data.code) is not None:
        raise Conflict(
            f"A member with the code '{data.code}' already exists.",
            detail_fr=f"Un adhérent porte déjà le code {quoted(data.code)} : choisissez-en un "
            "autre.",
            slug="member-exists",
        )
    invoiced = (not data.is_host) if data.invoiced is None else data.invoiced
    check_consistency(
        is_host=data.is_host, invoiced=invoiced, joined_on=data.joined_on, left_on=data.left_on
    )
    _check_unique(session, member=None, siret=data.siret, is_host=data.is_host)
    member = Member(
        code=data.code,
        name=data.name,
        kind=data.kind,
        siret=data.siret,
        address_line=data.address.line,
        postal_code=data.address.postal_code,
        city=data.address.city,
        is_host=data.is_host,
        invoiced=invoiced,
        joined_on=data.joined_on,
        left_on=data.left_on,
    )
    set_debtor(member, data.debtor or Debtor())
    session.add(member)
    session.flush()
    audit.record(
        session,
        AuditEntry,
        principal=principal,
        action="create",
        resource_type="member",
        resource_id=member.code,
        after=to_read(member),
    )
    return member


def update_member(
    session: Session, *, principal: Principal, member: Member, data: MemberUpdate
) -> Member:
    before = to_read(member)
    changes = data.model_dump(exclude_unset=True)
    for field in ("name", "kind", "siret", "joined_on", "is_host", "invoiced"):
        if field in changes and changes[field] is None:
            raise ValidationFailed(
                f"Invalid value for: {field}",
                detail_fr=f"Valeur invalide pour : {field}.",
                errors=[
                    {
                        "field": field,
                        "message": "may not be null",
                        "type": "null",
                        "message_fr": NOT_NULL,
                    }
                ],
            )
    is_host = changes.get("is_host", member.is_host)
    invoiced = changes.get(
        "invoiced", False if "is_host" in changes and is_host else member.invoiced
    )
    joined_on = changes.get("joined_on", member.joined_on)
    left_on = changes["left_on"] if "left_on" in changes else member.left_on
    check_consistency(is_host=is_host, invoiced=invoiced, joined_on=joined_on, left_on=left_on)
    _check_unique(session, member=member, siret=changes.get("siret", member.siret), is_host=is_host)
    if "address" in changes and data.address is not None:
        member.address_line = data.address.line
        member.postal_code = data.address.postal_code
        member.city = data.address.city
    if "debtor" in changes:
        set_debtor(member, data.debtor or Debtor())
    for field in ("name", "kind", "siret", "joined_on"):
        if field in changes:
            setattr(member, field, changes[field])
    member.is_host, member.invoiced, member.left_on = is_host, invoiced, left_on
    session.flush()
    after = to_read(member)
    if after != before:
        audit.record(
            session,
            AuditEntry,
            principal=principal,
            action="update",
            resource_type="member",
            resource_id=member.code,
            before=before,
            after=after,
        )
    return member


def delete_member(session: Session, *, principal: Principal, member: Member) -> None:
    """Only a member entered by mistake (no history at all) may be deleted; others leave."""
    history = repository.history_counts(session, member.id)
    if history:
        held = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in history.items())
        held_fr = ", ".join(f"{n} {HISTORY_FR.get(name, name)}" for name, n in history.items())
        raise Conflict(
            f"Member '{member.code}' has history ({held}) and is never deleted: "
            "set its left_on date to record that it left the mutualisation.",
            detail_fr=f"L'adhérent « {member.name} » a un historique ({held_fr}) : il n'est "
            "jamais supprimé. Indiquez sa date de sortie pour enregistrer qu'il a quitté la "
            "mutualisation.",
            slug="member-has-history",
            history=history,
        )

    before = to_read(member)
    session.delete(member)
    session.flush()
    audit.record(
        session,
        AuditEntry,
        principal=principal,
        action="delete",
        resource_type="member",
        resource_id=before.code,
        before=before,
    )


def list_members(
    session: Session,
    *,
    principal: Principal,
    limit: int,
    after: str | None,
    kind: str | None,
    invoiced: bool | None,
    is_host: bool | None,
    covered_on: dt.date | None,
) -> list[Member]:
    """A page of members (``limit + 1`` rows), only the principal's own for a member scope."""
    covering: list[int] = []
    if covered_on is not None:
        covering = conventions_service.conventions_in_force(session, on=covered_on)
    return list(
        repository.list_members(
            session,
            limit=limit,
            after=after,
            only_code=principal.member,
            kind=kind,
            invoiced=invoiced,
            is_host=is_host,
            covered_on=covered_on,
            covering_convention_ids=covering,
        )
    )
