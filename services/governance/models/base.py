"""The declarative base and the audit trail of the governance service."""

from sqlalchemy.orm import DeclarativeBase

from kit.db import AuditEntryMixin, make_metadata

MEMBER_CODE_LENGTH = 80


class Base(DeclarativeBase):
    metadata = make_metadata()


class AuditEntry(AuditEntryMixin, Base):
    """Before/after of every write made in this service, with who made it."""

    __tablename__ = "audit_entries"
