"""Settings of the governance service (environment prefix ``MUTUALIS_GOVERNANCE_``)."""

from pydantic_settings import SettingsConfigDict

from kit.settings import DEFAULT_PORTS, ServiceSettings


class GovernanceSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUALIS_GOVERNANCE_")

    service_name: str = "governance"
    port: int = DEFAULT_PORTS["governance"]
    registry_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['registry']}"
    billing_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['billing']}"
