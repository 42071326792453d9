"""Settings base classes: every app reads its configuration from the environment.

Variables shared by all apps (environment, logging, the internal secret) are read without an app
prefix (``MUTUALIS_ENVIRONMENT``…); an app's own variables carry its prefix
(``MUTUALIS_REGISTRY_DATABASE_URL``…).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

PLACEHOLDER_SECRET = "change-me-development-only-secret"  # noqa: S105 - refused in production

DEFAULT_PORTS = {
    "web": 8000,
    "gateway": 8001,
    "registry": 8011,
    "catalogue": 8012,
    "billing": 8013,
    "governance": 8014,
}
SERVICES = ("registry", "catalogue", "billing", "governance")


def var_dir() -> Path:
    """Folder holding the embedded SQLite databases and run files (``MUTUALIS_VAR_DIR``)."""
    return Path(os.environ.get("MUTUALIS_VAR_DIR", PROJECT_ROOT / "var")).resolve()


def shared(name: str):  # type: ignore[no-untyped-def]
    """A field read from the unprefixed, platform-wide variable ``MUTUALIS_<NAME>``."""
    return AliasChoices(f"MUTUALIS_{name.upper()}")


class AppSettings(BaseSettings):
    """What every Mutualis app needs."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    environment: Literal["development", "test", "production"] = Field(
        "development", validation_alias=shared("environment")
    )
    log_format: Literal["text", "json"] = Field("text", validation_alias=shared("log_format"))
    log_level: str = Field("INFO", validation_alias=shared("log_level"))
    internal_secret: str = Field(PLACEHOLDER_SECRET, validation_alias=shared("internal_secret"))
    host: str = "127.0.0.1"
    port: int = 0

    @model_validator(mode="after")
    def _refuse_placeholders_in_production(self) -> AppSettings:
        if self.environment == "production" and (
            self.internal_secret == PLACEHOLDER_SECRET or len(self.internal_secret) < 32
        ):
            raise ValueError(
                "MUTUALIS_INTERNAL_SECRET must be set to a random value of at least 32 "
                "characters in production"
            )
        return self


class ServiceSettings(AppSettings):
    """A back-end service: it owns one database."""

    database_url: str = ""
    service_name: str = ""

    @model_validator(mode="after")
    def _default_database(self) -> ServiceSettings:
        if not self.database_url:
            self.database_url = f"sqlite:///{var_dir() / f'{self.service_name}.sqlite3'}"
        return self
