"""Settings of the registry service (environment prefix ``MUTUALIS_REGISTRY_``)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import DEFAULT_PORTS, ServiceSettings


class RegistrySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUALIS_REGISTRY_")

    service_name: str = "registry"
    port: int = DEFAULT_PORTS["registry"]

    # outgoing mail (notifications): with no host, development starts the local catch-all
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    smtp_tls: bool = False  # implicit TLS (port 465) instead of STARTTLS
    smtp_from: str = "Mutualis - DSIT du Grand Nancy <mutualis@dsit.example>"
    smtp_timeout_seconds: float = 30.0
    # seconds before each new attempt after a temporary refusal; past the last, the delivery
    # is dead (1 min, 5 min, 30 min, 2 h)
    mail_retry_delays: list[int] = [60, 300, 1800, 7200]
    mail_poll_seconds: float = 5.0
    mail_worker: bool = True  # the sending thread started with the app (off in tests)
    # the development catch-all: on by default in development when no SMTP host is set
    dev_mailbox: bool | None = None
    dev_mailbox_port: int = 0  # 0: a free loopback port chosen at start (several platforms)
    # where the links in the mails lead (the back office)
    back_office_address: str = "http://127.0.0.1:8000"  # production: its public https address

    # the deadline sweeper (a thread of the registry): the conventions' notice, renewal and
    # expiry dates mailed to the adhering members this many days before; off in the test
    # environment unless set
    deadline_sweeper: bool | None = None
    deadline_sweep_seconds: float = Field(3600.0, gt=0)
    convention_reminder_days: int = Field(60, ge=0, le=366)

    @property
    def deadline_sweeper_on(self) -> bool:
        if self.deadline_sweeper is not None:
            return self.deadline_sweeper
        return self.environment != "test"

    @property
    def dev_mailbox_on(self) -> bool:
        if self.dev_mailbox is not None:
            return self.dev_mailbox
        return self.environment == "development" and not self.smtp_host
