"""Settings of the billing service (environment prefix ``MUTUALIS_BILLING_``)."""

from pydantic_settings import SettingsConfigDict

from kit.settings import DEFAULT_PORTS, ServiceSettings


class BillingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUALIS_BILLING_")

    service_name: str = "billing"
    port: int = DEFAULT_PORTS["billing"]
