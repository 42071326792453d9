"""Queries on contacts and on the audit entries that describe them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.registry.models import AuditEntry, Contact, Member

CONTACT_RESOURCE = "contact"


def get(session: Session, contact_id: int) -> tuple[Contact, str] | None:
    row = session.execute(
        select(Contact, Member.code)
        .join(Member, Member.id == Contact.member_id)
        .where(Contact.id == contact_id)
    ).first()
    return None if row is None else (row[0], row[1])


def get_by_email(session: Session, email: str) -> Contact | None:
    return session.scalar(select(Contact).where(Contact.email == email))


def list_contacts(
    session: Session,
    *,
    limit: int,
    after: int | None = None,
    member_id: int | None = None,
    member_code: str | None = None,
    email: str | None = None,
) -> Sequence[tuple[Contact, str]]:
    """(contact, member code) ordered by id."""
    query = (
        select(Contact, Member.code)
        .join(Member, Member.id == Contact.member_id)
        .order_by(Contact.id)
        .limit(limit + 1)
    )
    if after is not None:
        query = query.where(Contact.id > after)
    if member_id is not None:
        query = query.where(Contact.member_id == member_id)
    if member_code is not None:
        query = query.where(Member.code == member_code)
    if email is not None:
        query = query.where(Contact.email == email)
    return [(row[0], row[1]) for row in session.execute(query)]


def history(session: Session, contact_id: int) -> Sequence[AuditEntry]:
    return session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.resource_type == CONTACT_RESOURCE,
            AuditEntry.resource_id == str(contact_id),
        )
        .order_by(AuditEntry.id)
    ).all()
