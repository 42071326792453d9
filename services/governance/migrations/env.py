"""Alembic environment of the governance service."""

from kit.migrations import run_env
from services.governance.models import Base

run_env(Base.metadata)
