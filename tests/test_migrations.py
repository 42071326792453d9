"""Every service's migrations go up to head and down to base, and agree with its models."""

from __future__ import annotations

from importlib import import_module

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from kit.db import create_db_engine
from kit.migrations import current_revisions, downgrade, head_revisions, upgrade
from kit.settings import SERVICES
from tests.databases import TestDatabases

DATABASES = (*SERVICES, "gateway")  # every app that owns a database


def models_of(name: str):  # type: ignore[no-untyped-def]
    module = "gateway.models" if name == "gateway" else f"services.{name}.models"
    return import_module(module).Base.metadata


@pytest.mark.parametrize("service", DATABASES)
def test_migrations_round_trip_to_head_and_base(
    service: str, backend: str, databases: TestDatabases
) -> None:
    url = databases.fresh_url(service, backend, "_roundtrip")
    metadata = models_of(service)
    engine = create_db_engine(url)
    try:
        upgrade(service, url)
        assert current_revisions(engine) == head_revisions(service)
        assert set(metadata.tables) <= set(inspect(engine).get_table_names())

        downgrade(service, url, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        assert current_revisions(engine) == set()

        upgrade(service, url)  # and back up: downgrades leave nothing behind that blocks it
        assert current_revisions(engine) == head_revisions(service)
    finally:
        engine.dispose()


@pytest.mark.parametrize("service", DATABASES)
def test_models_and_migrations_agree(service: str, backend: str, databases: TestDatabases) -> None:
    engine = databases.migrated_engine(service, backend)
    metadata = models_of(service)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == [], f"models of {service} differ from its migrations: {differences}"


@pytest.mark.parametrize("service", DATABASES)
def test_each_service_has_a_single_head(service: str) -> None:
    assert len(head_revisions(service)) == 1
