"""Settings of the registry service (environment prefix ``MUTUALIS_REGISTRY_``)."""

from pydantic_settings import SettingsConfigDict

from kit.settings import DEFAULT_PORTS, ServiceSettings


class RegistrySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUALIS_REGISTRY_")

    service_name: str = "registry"
    port: int = DEFAULT_PORTS["registry"]
