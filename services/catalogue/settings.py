"""Settings of the catalogue service (environment prefix ``MUTUALIS_CATALOGUE_``)."""

from pydantic_settings import SettingsConfigDict

from kit.settings import DEFAULT_PORTS, ServiceSettings


class CatalogueSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUALIS_CATALOGUE_")

    service_name: str = "catalogue"
    port: int = DEFAULT_PORTS["catalogue"]
