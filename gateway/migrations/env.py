"""Alembic environment of the gateway (accounts, sessions, tokens, audit)."""

from gateway.models import Base
from kit.migrations import run_env

run_env(Base.metadata)
