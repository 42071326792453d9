"""Rules on contacts: unique email, GDPR export, and erasure by pseudonymisation.

Erasure keeps the contact row (its id stays referenced by history) but replaces every personal
field, in the row and in the audit entries that describe it, by a pseudonym.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from kit import audit
from kit.db import utcnow
from kit.errors import Conflict, ValidationFailed
from kit.french import NOT_NULL
from kit.identity import Principal
from services.registry.contacts import repository
from services.registry.contacts.schemas import (
    ContactCreate,
    ContactExport,
    ContactRead,
    ContactUpdate,
    HistoryEntry,
)
from services.registry.models import AuditEntry, Contact, Member

PERSONAL_FIELDS = ("first_name", "last_name", "email", "phone")


def to_read(contact: Contact, member_code: str) -> ContactRead:
    return ContactRead(
        id=contact.id,
        member_code=member_code,
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=contact.email,
        phone=contact.phone,
        roles=list(contact.roles or []),
        dashboard_access=contact.dashboard_access,
        language=contact.language or "fr",
        erased=contact.erased,
    )


def pseudonym(contact_id: int) -> dict[str, Any]:
    """The values that replace a person's data once erased (stable per contact)."""
    return {
        "first_name": "Personne",
        "last_name": f"effacée n°{contact_id}",
        "email": f"erased-{contact_id}@erased.invalid",
        "phone": None,
    }


def pseudonymise(snapshot: dict[str, Any] | None, contact_id: int) -> dict[str, Any] | None:
    """An audit snapshot with its personal fields replaced (pure)."""
    if snapshot is None:
        return None
    replaced = dict(snapshot)
    for field, value in pseudonym(contact_id).items():
        if field in replaced:
            replaced[field] = value
    return replaced


def _check_email_free(session: Session, email: str, contact: Contact | None) -> None:
    other = repository.get_by_email(session, email)
    if other is not None and other is not contact:
        raise Conflict(
            f"The email {email} is already the one of another contact.",
            detail_fr=f"Le courriel {email} est déjà celui d'un autre interlocuteur.",
            slug="contact-email-taken",
        )


def create_contact(
    session: Session, *, principal: Principal, member: Member, data: ContactCreate
) -> Contact:
    _check_email_free(session, data.email, None)
    contact = Contact(member_id=member.id, **data.model_dump())
    contact.roles = sorted(set(data.roles))
    session.add(contact)
    session.flush()
    _audit(session, principal, "create", contact.id, None, to_read(contact, member.code))
    return contact


def update_contact(
    session: Session,
    *,
    principal: Principal,
    contact: Contact,
    member_code: str,
    data: ContactUpdate,
) -> Contact:
    if contact.erased:
        raise Conflict(
            f"Contact {contact.id} was erased (GDPR) and can no longer be changed.",
            detail_fr="Cet interlocuteur a été effacé (RGPD) : il ne peut plus être modifié.",
            slug="contact-erased",
        )
    changes = data.model_dump(exclude_unset=True)
    for field in ("first_name", "last_name", "email", "roles", "dashboard_access", "language"):
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

    if "email" in changes:
        _check_email_free(session, changes["email"], contact)
    if "roles" in changes:
        changes["roles"] = sorted(set(changes["roles"]))
    before = to_read(contact, member_code)
    for field, value in changes.items():
        setattr(contact, field, value)
    session.flush()
    after = to_read(contact, member_code)
    if after != before:
        _audit(session, principal, "update", contact.id, before, after)
    return contact


def export_contact(session: Session, *, contact: Contact, member: dict[str, str]) -> ContactExport:
    history = [
        HistoryEntry(
            occurred_at=e.occurred_at,
            principal=e.principal,
            action=e.action,
            before=e.before,
            after=e.after,
        )
        for e in repository.history(session, contact.id)
    ]
    return ContactExport(
        exported_at=utcnow(),
        contact=to_read(contact, member["code"]),
        member=member,
        created_at=contact.created_at,
        updated_at=contact.updated_at,
        erased_at=contact.erased_at,
        history=history,
    )


def erase_contact(
    session: Session, *, principal: Principal, contact: Contact, member_code: str
) -> Contact:
    """Pseudonymise the person everywhere the registry holds them; idempotent."""
    if contact.erased:
        return contact
    for entry in repository.history(session, contact.id):
        entry.before = pseudonymise(entry.before, contact.id)
        entry.after = pseudonymise(entry.after, contact.id)
        flag_modified(entry, "before")
        flag_modified(entry, "after")
    for field, value in pseudonym(contact.id).items():
        setattr(contact, field, value)
    contact.dashboard_access = False
    contact.erased = True
    contact.erased_at = dt.datetime.now(dt.UTC)
    session.flush()
    _audit(session, principal, "erase", contact.id, None, to_read(contact, member_code))
    return contact


def _audit(
    session: Session, principal: Principal, action: str, contact_id: int, before: Any, after: Any
) -> None:
    audit.record(
        session,
        AuditEntry,
        principal=principal,
        action=action,
        resource_type=repository.CONTACT_RESOURCE,
        resource_id=str(contact_id),
        before=before,
        after=after,
    )
