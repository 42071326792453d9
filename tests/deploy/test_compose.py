"""The single-host compose file: it parses, runs every app with the image's command, and sets
only variables the apps read — enough of them for each app to load its production settings."""

from __future__ import annotations

import secrets

import pytest

from mutualis.apps import APPS, DATABASE_APPS, AppSpec
from tests.deploy.manifests import (
    TOOL_VARIABLES,
    accepted_variables,
    compose,
    compose_app,
    interpolate,
    settings_class,
)

DOTENV = {
    "MUTUALIS_IMAGE": "registry.example/mutualis:test",
    "POSTGRES_PASSWORD": "pw",
    "MUTUALIS_INTERNAL_SECRET": secrets.token_urlsafe(40),
    "MUTUALIS_GATEWAY_TOKEN_SECRET": secrets.token_urlsafe(40),
    "MUTUALIS_METRICS_TOKEN": secrets.token_urlsafe(40),
}


def app_environment(spec: AppSpec) -> dict[str, str]:
    raw = compose_app(spec)["environment"]
    return {key: interpolate(str(value), DOTENV) for key, value in raw.items()}


def test_every_app_runs_from_the_one_image_with_its_uvicorn_factory() -> None:
    for spec in APPS:
        service = compose_app(spec)
        assert service["image"] == "${MUTUALIS_IMAGE:?set MUTUALIS_IMAGE in .env}"
        assert service["command"][:3] == ["uvicorn", "--factory", spec.target]
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_migration_runs_once_before_the_apps() -> None:
    migrate = compose()["services"]["migrate"]
    assert migrate["command"] == ["mutualis", "migrate"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"


@pytest.mark.parametrize("spec", APPS, ids=lambda s: s.name)
def test_app_variables_are_settings_the_app_reads(spec: AppSpec) -> None:
    unknown = set(app_environment(spec)) - accepted_variables(spec) - TOOL_VARIABLES
    assert not unknown, f"{spec.name} is given variables it never reads: {sorted(unknown)}"


@pytest.mark.parametrize("spec", APPS, ids=lambda s: s.name)
def test_app_loads_production_settings_from_compose(
    spec: AppSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in [k for k in __import__("os").environ if k.startswith("MUTUALIS_")]:
        monkeypatch.delenv(key)
    for key, value in app_environment(spec).items():
        monkeypatch.setenv(key, value)
    settings = settings_class(spec)()
    assert settings.environment == "production"
    assert settings.log_format == "json"
    if spec.has_database:
        assert (
            settings.database_url == f"postgresql+psycopg://mutualis:pw@postgres:5432/{spec.name}"
        )
    for name, value in settings.model_dump().items():
        if name.endswith("_url") and name != "database_url":
            assert value.startswith("http://"), (name, value)
            assert value.endswith(":8000"), (name, value)
            assert "127.0.0.1" not in value, f"{spec.name}.{name} left at its loopback default"


def test_the_migration_container_reaches_every_database() -> None:
    raw = compose()["services"]["migrate"]["environment"]
    env = {key: interpolate(str(value), DOTENV) for key, value in raw.items()}
    for spec in DATABASE_APPS:
        assert env[f"MUTUALIS_{spec.name.upper()}_DATABASE_URL"].endswith(f"/{spec.name}")


def test_every_service_database_is_created_on_first_start() -> None:
    from tests.deploy.manifests import DEPLOY

    sql = (DEPLOY / "compose" / "initdb" / "10-databases.sql").read_text()
    for spec in DATABASE_APPS:
        assert f"CREATE DATABASE {spec.name};" in sql


def test_a_missing_secret_stops_compose_with_its_name() -> None:
    dotenv = {k: v for k, v in DOTENV.items() if k != "MUTUALIS_INTERNAL_SECRET"}
    raw = compose()["x-platform"]["MUTUALIS_INTERNAL_SECRET"]
    with pytest.raises(KeyError, match="MUTUALIS_INTERNAL_SECRET"):
        interpolate(raw, dotenv)
