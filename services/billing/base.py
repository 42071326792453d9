"""The declarative base of billing's tables (its own module, so that the models of a feature
kept beside it, e.g. ``settlements/models.py``, import it without importing every model)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from kit.db import make_metadata


class Base(DeclarativeBase):
    metadata = make_metadata()
