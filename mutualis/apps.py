"""The six apps of the platform: uvicorn targets and settings, in start order."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from kit.settings import AppSettings


@dataclass(frozen=True)
class AppSpec:
    name: str
    target: str  # module:factory for uvicorn --factory
    settings_path: str  # module:Class
    has_database: bool
    package: str  # where its migrations and demo.py live

    def settings(self) -> AppSettings:
        module, cls = self.settings_path.split(":")
        settings: AppSettings = getattr(import_module(module), cls)()
        return settings


def _service(name: str) -> AppSpec:
    settings = f"services.{name}.settings:{name.capitalize()}Settings"
    return AppSpec(name, f"services.{name}.app:create_app", settings, True, f"services.{name}")


APPS = (
    _service("registry"),
    _service("catalogue"),
    _service("billing"),
    _service("governance"),
    AppSpec(
        "gateway", "gateway.app:create_app", "gateway.settings:GatewaySettings", True, "gateway"
    ),
    AppSpec("web", "web.app:create_app", "web.settings:WebSettings", False, "web"),
)
APPS_BY_NAME = {spec.name: spec for spec in APPS}
DATABASE_APPS = tuple(spec for spec in APPS if spec.has_database)
