"""Helpers of the revenue-title tests (no test here): the real registry and catalogue apps wired
to billing (``tests/billing/upstream.Platform``), the registry reader of issuing, today's date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from kit.client import ServiceClient
from kit.settings import PLACEHOLDER_SECRET
from services.billing.invoices.deps import today
from services.billing.invoices.registry import RegistryReader
from services.billing.models import Run
from tests.billing.upstream import YEAR, Platform, check
from tests.conftest import sync_client

SIGNATORY = {"name": "Marie Exemple", "function": "Vice-présidente déléguée aux finances"}


class TitlesPlatform(Platform):
    """The worked example of docs/billing.md, ready to issue titles on ``day``."""

    def __init__(self, service_app: Any, day: dt.date = dt.date(YEAR, 6, 1)) -> None:
        super().__init__(service_app)
        client = sync_client(self.registry_app, base_url="http://x")
        self.billing_app.state.invoice_registry = RegistryReader(
            ServiceClient("registry", "http://x", caller="billing", secret=PLACEHOLDER_SECRET,
                          client=client)
        )  # fmt: skip
        self.set_today(day)

    def set_today(self, day: dt.date) -> None:
        self.billing_app.dependency_overrides[today] = lambda: day

    def bp(self, code: str, voted_on: str | None, year: int = YEAR) -> None:
        check(
            self.registry.put(
                f"/members/{code}/budget-calendar/{year}", json={"bp_voted_on": voted_on}
            )
        )

    def ready_to_issue(
        self,
        *,
        bp_voted: tuple[str, ...] = ("ludres", "nancy", "laxou"),
        forecast_on: str | None = f"{YEAR}-03-01",
        example: Callable[[], None] | None = None,
    ) -> int:
        """The worked example (or ``example``), the BP of ``bp_voted`` voted in March, a
        forecast made available to the members on ``forecast_on`` (None: no forecast), a final
        run: its id."""
        (example or self.worked_example)()
        for code in bp_voted:
            self.bp(code, f"{YEAR}-03-15")
        if forecast_on is not None:
            self.forecast_made_available(forecast_on)
        run = self.run("final")
        assert run["status"] == "succeeded", run
        return int(run["id"])

    def forecast_made_available(self, day: str) -> int:
        """A forecast run of the year, made available to the members on ``day`` (the run's
        clock is the real one: the date is set afterwards, as if it had run then)."""
        run = self.run("forecast")
        assert run["status"] == "succeeded", run
        with self.billing_app.state.test_sessionmaker() as session:
            stored = session.get(Run, run["id"])
            stored.made_available_at = dt.datetime.fromisoformat(f"{day}T09:00:00+00:00")
            session.commit()
        return int(run["id"])

    def issue(self, run_id: int, **body: Any) -> Any:
        return self.billing.post(f"/runs/{run_id}/issue", json={"signatory": SIGNATORY, **body})

    def issued(self, run_id: int, **body: Any) -> dict[str, Any]:
        return dict(check(self.issue(run_id, **body)))

    def titles(self, **params: Any) -> list[dict[str, Any]]:
        return list(check(self.billing.get("/invoices", params=params))["items"])
