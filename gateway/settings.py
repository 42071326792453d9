"""Gateway settings (environment prefix ``MUTUALIS_GATEWAY_``)."""

from pydantic_settings import SettingsConfigDict

from kit.settings import DEFAULT_PORTS, SERVICES, AppSettings


class GatewaySettings(AppSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUALIS_GATEWAY_")

    port: int = DEFAULT_PORTS["gateway"]
    registry_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['registry']}"
    catalogue_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['catalogue']}"
    billing_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['billing']}"
    governance_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['governance']}"
    connect_timeout: float = 2.0
    read_timeout: float = 60.0
    health_timeout: float = 2.0

    def upstream_urls(self) -> dict[str, str]:
        return {name: getattr(self, f"{name}_url") for name in SERVICES}
