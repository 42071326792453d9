"""Alembic helpers: each service has its own migration tree under ``services/<name>/migrations``.

The same functions serve the CLI (``mutualis migrate``), the readiness probe and the tests, so
the path that production takes is the path the tests take.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, pool

from kit.db import create_db_engine
from kit.settings import PROJECT_ROOT

SERVICES_DIR = PROJECT_ROOT / "services"


def migrations_dir(service: str) -> Path:
    """``services/<name>/migrations``; the gateway keeps its own under ``gateway/migrations``."""
    if service == "gateway":
        return PROJECT_ROOT / "gateway" / "migrations"
    return SERVICES_DIR / service / "migrations"


def alembic_config(service: str, url: str, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir(service)))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option(
        "file_template",
        "%%(year)d-%%(month).2d-%%(day).2d-%%(hour).2d%%(minute).2d_%%(slug)s",
    )
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(service: str, url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(service, url), revision)


def downgrade(service: str, url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(service, url), revision)


def head_revisions(service: str) -> set[str]:
    script = ScriptDirectory.from_config(alembic_config(service, "sqlite://"))
    return set(script.get_heads())


def known_revisions(service: str) -> set[str]:
    """Every revision this code knows, head or not."""
    script = ScriptDirectory.from_config(alembic_config(service, "sqlite://"))
    return {revision.revision for revision in script.walk_revisions()}


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def run_env(target_metadata: MetaData) -> None:
    """Body of every service's ``env.py`` (online and offline modes)."""
    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    opts: dict[str, Any] = {
        "target_metadata": target_metadata,
        "compare_type": True,
        "render_as_batch": True,  # SQLite needs batch mode to alter tables
    }
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True, **opts)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, **opts)
        with context.begin_transaction():
            context.run_migrations()
        return
    assert url, "sqlalchemy.url is not set"
    engine = create_db_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        context.configure(connection=conn, **opts)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
