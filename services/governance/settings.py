"""Settings of the governance service (environment prefix ``MUTUALIS_GOVERNANCE_``)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import DEFAULT_PORTS, ServiceSettings


class GovernanceSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUALIS_GOVERNANCE_")

    service_name: str = "governance"
    port: int = DEFAULT_PORTS["governance"]
    registry_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['registry']}"
    billing_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['billing']}"

    # the deadline sweeper (a thread of governance) asks the registry to mail what falls due:
    # decisions and actions this many days before, GDPR requests likewise, a breach's clock at
    # 24 h and 6 h left; off in the test environment unless set
    notify_sweeper: bool | None = None
    notify_sweep_seconds: float = Field(900.0, gt=0)
    decision_reminder_days: int = Field(7, ge=0, le=366)
    gdpr_request_reminder_days: int = Field(7, ge=0, le=366)

    @property
    def notify_sweeper_on(self) -> bool:
        if self.notify_sweeper is not None:
            return self.notify_sweeper
        return self.environment != "test"
