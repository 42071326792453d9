"""Settings of the billing service (environment prefix ``MUTUALIS_BILLING_``)."""

from typing import Literal

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import DEFAULT_PORTS, ServiceSettings


class BillingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUALIS_BILLING_")

    service_name: str = "billing"
    port: int = DEFAULT_PORTS["billing"]
    registry_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['registry']}"
    catalogue_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['catalogue']}"
    # first fiscal year billed by Mutualis: history is imported for the years before it
    first_fiscal_year: int = 2024
    # "thread": runs are computed by a worker thread of this process; "inline": right after the
    # launch response, in the request's background task (tests, one-shot tools)
    run_worker: Literal["thread", "inline"] = "thread"
    upstream_page_size: int = 10_000
    # a computing run renews its lease every third of this; a run whose lease has expired (its
    # process died: crash, kill, restart) is failed and a new run of its year can start
    run_lease_seconds: float = 30.0
    # years of municipal council renewal: the BP may then be voted until 30 April (else 15 April)
    council_renewal_years: list[int] = [2020, 2026, 2032]
    # issuing warns when a member's final amount exceeds its notified forecast by more than
    # this share (percent): the member may need a decision modificative (DM)
    forecast_overrun_percent: int = Field(5, ge=0, le=100)
    # the members are notified by mail through the registry (forecast made available, titles
    # and corrections issued), and the forecast rule counts a forecast as notified when its
    # mails were accepted; default: on, except in the test environment
    notify_members: bool | None = None
    # when members are notified: the overdue sweeper (a thread of billing) mails each title
    # still owed 30 days after issue, once, checking every this many seconds
    overdue_sweeper: bool = True
    overdue_sweep_seconds: float = Field(3600.0, gt=0)

    @property
    def notifies_members(self) -> bool:
        if self.notify_members is not None:
            return self.notify_members
        return self.environment != "test"
