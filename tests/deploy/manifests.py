"""Reading the deployment files as the tools do: compose (with its ${…} interpolation), the
Containerfile's environment, and the settings names each app accepts."""

from __future__ import annotations

import re
from importlib import import_module
from typing import Any

import yaml
from pydantic import AliasChoices

from kit.metrics import MetricsSettings
from kit.settings import PROJECT_ROOT
from kit.tracing import TracingSettings
from mutualis.apps import APPS, AppSpec

DEPLOY = PROJECT_ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "compose" / "compose.yaml"
KUSTOMIZE_BASE = DEPLOY / "kubernetes" / "base"
KUSTOMIZE_OVERLAY = DEPLOY / "kubernetes" / "overlays" / "example"
# variables read by the tools rather than by Mutualis settings
TOOL_VARIABLES = {"UVICORN_FORWARDED_ALLOW_IPS", "OTEL_EXPORTER_OTLP_ENDPOINT"}
_VARIABLE = re.compile(r"\$\{(\w+)(?::([?-])([^}]*))?\}")


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?message}``."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match.groups()
        if env.get(name):
            return env[name]
        if op == "-":
            return arg
        raise KeyError(f"{name}: {arg}" if op == "?" else name)

    return _VARIABLE.sub(one, value)


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return document


def compose_app(spec: AppSpec) -> dict[str, Any]:
    """The compose service running ``spec`` (found by its command, not by its name)."""
    for service in compose()["services"].values():
        if spec.target in (service.get("command") or []):
            return dict(service)
    raise AssertionError(f"no compose service runs {spec.target}")


def image_environment() -> dict[str, str]:
    """The ``ENV`` of the Containerfile (``KEY=value`` pairs, continued lines)."""
    text = (DEPLOY / "Containerfile").read_text().replace("\\\n", " ")
    env: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            for pair in line[4:].split():
                key, _, value = pair.partition("=")
                env[key] = value
    return env


def settings_class(spec: AppSpec) -> Any:
    module, cls = spec.settings_path.split(":")
    return getattr(import_module(module), cls)


def extra_settings(spec: AppSpec) -> tuple[Any, ...]:
    """The settings classes an app reads besides its own (billing: issuer and signing keys)."""
    if spec.name != "billing":
        return ()
    from services.billing.invoices.settings import IssuerSettings
    from services.billing.invoices.signing import SigningSettings

    return (IssuerSettings, SigningSettings)


def accepted_variables(spec: AppSpec) -> set[str]:
    """Every environment variable the app's settings (and metrics, tracing) read."""
    names: set[str] = set()
    for cls in (settings_class(spec), MetricsSettings, TracingSettings, *extra_settings(spec)):
        prefix = cls.model_config.get("env_prefix", "")
        for field_name, info in cls.model_fields.items():
            alias = info.validation_alias
            if isinstance(alias, AliasChoices):
                names.update(str(choice).upper() for choice in alias.choices)
            else:
                names.add(f"{prefix}{field_name}".upper())
    return names


APP_SPECS = APPS
