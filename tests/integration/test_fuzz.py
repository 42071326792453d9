"""Fuzzing every service's API from its own OpenAPI document (schemathesis): whatever the
input, a service never answers with a server error (bad input is a 4xx problem+json)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
import schemathesis

from kit.db import create_db_engine, make_sessionmaker
from kit.migrations import upgrade
from kit.settings import SERVICES
from services.catalogue.inventory import agent
from tests.conftest import BindingOnArrival, as_admin, service_settings
from tests.integration.fuzzing import fuzz, label, operations

pytestmark = [pytest.mark.fuzz, pytest.mark.sqlite]


def document_app(service: str) -> Any:
    """The real app, built at import for schemathesis to read its OpenAPI document: on an
    in-memory SQLite URL that is never opened (no file, no migration at collection time)."""
    return import_module(f"services.{service}.app").create_app(
        service_settings(service, "sqlite://")
    )


APPS = {name: document_app(name) for name in SERVICES}
SCHEMAS = {
    name: schemathesis.openapi.from_asgi("/openapi.json", BindingOnArrival(app))
    for name, app in APPS.items()
}


@pytest.fixture(scope="module", autouse=True)
def fuzz_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """When the tests run, each app gets a migrated SQLite file in pytest's temporary folder
    (removed with it, as every other test database)."""
    folder = tmp_path_factory.mktemp("fuzz")
    engines = []
    for service, app in APPS.items():
        url = f"sqlite:///{folder / f'{service}.sqlite3'}"
        upgrade(service, url)
        engine = create_db_engine(url)
        app.state.engine.dispose()
        app.state.engine, app.state.sessionmaker = engine, make_sessionmaker(engine)
        engines.append(engine)
    yield
    for engine in engines:
        engine.dispose()


def check(case: Any) -> None:
    response = case.call(headers=as_admin())
    assert b"urn:mutualis:problem:identity-" not in response.content, response.content[:300]
    if response.status_code == 503 and "service-unavailable" in response.text:
        return  # a peer service is not running here: the answer names it, as it should
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}"
    )
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        if case.path == "/glpi-agent":  # the GLPI agent's protocol: {"status": "error", …}
            assert content_type in ("application/json", *agent.ENCODINGS), content_type
            return
        assert content_type.startswith("application/problem+json"), (
            f"{case.method} {case.formatted_path} -> {response.status_code} as {content_type}"
        )


@pytest.mark.parametrize(
    ("service", "operation"),
    [(name, op) for name, schema in SCHEMAS.items() for op in operations(schema)],
    ids=[f"{name} {label(op)}" for name, schema in SCHEMAS.items() for op in operations(schema)],
)
def test_a_service_never_fails_on_bad_input(service: str, operation: Any) -> None:
    fuzz(operation, check, examples=8)
