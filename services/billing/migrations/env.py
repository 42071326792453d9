"""Alembic environment of the billing service."""

from kit.migrations import run_env
from services.billing.models import Base

run_env(Base.metadata)
