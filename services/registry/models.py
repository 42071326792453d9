"""SQLAlchemy models of the registry service (its own database)."""

from sqlalchemy.orm import DeclarativeBase

from kit.db import AuditEntryMixin, make_metadata


class Base(DeclarativeBase):
    metadata = make_metadata()


class AuditEntry(AuditEntryMixin, Base):
    """Before/after of every write made in this service, with who made it."""

    __tablename__ = "audit_entries"
