"""Alembic environment of the catalogue service."""

from kit.migrations import run_env
from services.catalogue.models import Base

run_env(Base.metadata)
