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

    def settings(self) -> AppSettings:
        module, cls = self.settings_path.split(":")
        settings: AppSettings = getattr(import_module(module), cls)()
        return settings


APPS = (
    AppSpec(
        "registry",
        "services.registry.app:create_app",
        "services.registry.settings:RegistrySettings",
        True,
    ),
    AppSpec(
        "catalogue",
        "services.catalogue.app:create_app",
        "services.catalogue.settings:CatalogueSettings",
        True,
    ),
    AppSpec(
        "billing",
        "services.billing.app:create_app",
        "services.billing.settings:BillingSettings",
        True,
    ),
    AppSpec(
        "governance",
        "services.governance.app:create_app",
        "services.governance.settings:GovernanceSettings",
        True,
    ),
    AppSpec("gateway", "gateway.app:create_app", "gateway.settings:GatewaySettings", False),
    AppSpec("web", "web.app:create_app", "web.settings:WebSettings", False),
)
APPS_BY_NAME = {spec.name: spec for spec in APPS}
SERVICE_APPS = tuple(spec for spec in APPS if spec.has_database)
