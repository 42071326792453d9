"""Fuzzing every service's API from its own OpenAPI document (schemathesis): whatever the
input, a service never answers with a server error (bad input is a 4xx problem+json)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from kit.db import create_db_engine, make_sessionmaker
from kit.migrations import upgrade
from kit.settings import SERVICES
from tests.conftest import as_admin, service_settings

pytestmark = [pytest.mark.fuzz, pytest.mark.sqlite]


def document_app(service: str) -> Any:
    """The real app, built at import for schemathesis to read its OpenAPI document: on an
    in-memory SQLite URL that is never opened (no file, no migration at collection time)."""
    return import_module(f"services.{service}.app").create_app(
        service_settings(service, "sqlite://")
    )


APPS = {name: document_app(name) for name in SERVICES}
SCHEMAS = {name: schemathesis.openapi.from_asgi("/openapi.json", app) for name, app in APPS.items()}


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


FUZZ = settings(
    max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


def check(case: Any) -> None:
    response = case.call(headers=as_admin())
    if response.status_code == 503 and "service-unavailable" in response.text:
        return  # a peer service is not running here: the answer names it, as it should
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}"
    )
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert content_type.startswith("application/problem+json"), (
            f"{case.method} {case.formatted_path} -> {response.status_code} as {content_type}"
        )


@SCHEMAS["registry"].parametrize()
@FUZZ
def test_registry_never_fails_on_bad_input(case: Any) -> None:
    check(case)


@SCHEMAS["catalogue"].parametrize()
@FUZZ
def test_catalogue_never_fails_on_bad_input(case: Any) -> None:
    check(case)


@SCHEMAS["billing"].parametrize()
@FUZZ
def test_billing_never_fails_on_bad_input(case: Any) -> None:
    check(case)


@SCHEMAS["governance"].parametrize()
@FUZZ
def test_governance_never_fails_on_bad_input(case: Any) -> None:
    check(case)
