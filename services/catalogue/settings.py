"""Settings of the catalogue service (environment prefix ``MUTUALIS_CATALOGUE_``)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import DEFAULT_PORTS, ServiceSettings


class CatalogueSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUALIS_CATALOGUE_")

    service_name: str = "catalogue"
    port: int = DEFAULT_PORTS["catalogue"]

    glpi_retired_states: list[str] = Field(
        default_factory=lambda: ["Rebut", "Retiré", "Hors service", "Retired"],
        description="GLPI states (states_id names) meaning the asset is retired",
    )
    glpi_agent_expiration_hours: int = Field(
        24,
        ge=1,
        description="Hours the GLPI agent waits before its next contact and inventory",
    )
    glpi_agent_max_inventory_bytes: int = Field(
        64 * 1024 * 1024,
        ge=1024,
        description="Largest inventory a GLPI agent may push, once decompressed",
    )
