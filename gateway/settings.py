"""Gateway settings (environment prefix ``MUTUALIS_GATEWAY_``)."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from kit.settings import DEFAULT_PORTS, SERVICES, AppSettings, var_dir

PLACEHOLDER_TOKEN_SECRET = "change-me-development-only-token-secret"  # noqa: S105


class GatewaySettings(AppSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUALIS_GATEWAY_")

    port: int = DEFAULT_PORTS["gateway"]
    database_url: str = ""
    registry_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['registry']}"
    catalogue_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['catalogue']}"
    billing_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['billing']}"
    governance_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['governance']}"
    connect_timeout: float = 2.0
    read_timeout: float = 60.0
    health_timeout: float = 2.0
    # aiohttp under httpx's interface: ~1.5× the throughput of httpx's own (docs/benchmarks.md)
    upstream_transport: Literal["httpx", "aiohttp"] = "aiohttp"

    # the public address integrators use (e.g. https://mutualis.grand-nancy.fr); empty: the
    # address of each request. Links a service sends (rel="next") are rewritten under it.
    public_address: str = ""
    # request bodies (gateway/limits.py): every route, and the declared bulk upload routes
    max_body_bytes: int = 1 << 20
    max_upload_bytes: int = 32 << 20

    # authentication
    token_secret: str = PLACEHOLDER_TOKEN_SECRET
    access_token_minutes: int = 15
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    https: bool = False  # behind https: Secure cookies and HSTS
    lockout_threshold: int = 10  # consecutive failures that lock an account
    lockout_minutes: int = 15
    ip_failures_per_minute: int = 30  # login throttling per client address
    password_min_length: int = 12
    password_hash_profile: Literal["default", "cheapest"] = "default"

    @model_validator(mode="after")
    def _defaults_and_production_checks(self) -> GatewaySettings:
        if not self.database_url:
            self.database_url = f"sqlite:///{var_dir() / 'gateway.sqlite3'}"
        if self.environment == "production":
            if self.token_secret == PLACEHOLDER_TOKEN_SECRET or len(self.token_secret) < 32:
                raise ValueError(
                    "MUTUALIS_GATEWAY_TOKEN_SECRET must be a random value of at least 32 "
                    "characters in production"
                )
            if self.password_hash_profile != "default":
                raise ValueError("the cheapest password hashing profile is for tests only")
        return self

    def upstream_urls(self) -> dict[str, str]:
        return {name: getattr(self, f"{name}_url") for name in SERVICES}
