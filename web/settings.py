"""Web settings (environment prefix ``MUTUALIS_WEB_``)."""

from pydantic_settings import SettingsConfigDict

from kit.settings import DEFAULT_PORTS, AppSettings


class WebSettings(AppSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUALIS_WEB_")

    port: int = DEFAULT_PORTS["web"]
    gateway_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['gateway']}"
    status_refresh_seconds: int = 5
    https: bool = False
    # the "Courriels (développement)" page and its menu entry: on in development, where the
    # registry runs its catch-all mailbox unless an SMTP server is configured
    dev_mailbox: bool | None = None

    @property
    def dev_mailbox_on(self) -> bool:
        return self.environment == "development" if self.dev_mailbox is None else self.dev_mailbox
