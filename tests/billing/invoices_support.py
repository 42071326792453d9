"""Helpers of the revenue-title tests (no test here): the real registry and catalogue apps wired
to billing (``tests/billing/upstream.Platform``), the registry reader of issuing, today's date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import select

from kit.client import ServiceClient
from kit.settings import PLACEHOLDER_SECRET
from services.billing.invoices.deps import today
from services.billing.invoices.registry import RegistryReader
from services.billing.models import ForecastNotice, Run
from tests.billing.upstream import YEAR, Platform, check
from tests.conftest import identity_headers, sync_client

SIGNATORY_ACCOUNT = 900
SIGNATORY = {
    "first_name": "Marie",
    "last_name": "Exemple",
    "qualite": "Vice-présidente déléguée aux finances",
    "delegation_reference": "arrêté n° 2020-118 du 16 juillet 2020",
    "valid_from": "2020-07-16",
    "account_id": SIGNATORY_ACCOUNT,
}


class TitlesPlatform(Platform):
    """The worked example of docs/billing.md, ready to issue titles on ``day``."""

    def __init__(self, service_app: Any, day: dt.date = dt.date(YEAR, 6, 1)) -> None:
        super().__init__(service_app)
        client = sync_client(self.registry_app, base_url="http://x")
        self.billing_app.state.invoice_registry = RegistryReader(
            ServiceClient("registry", "http://x", caller="billing", secret=PLACEHOLDER_SECRET,
                          client=client)
        )  # fmt: skip
        self.signatory = sync_client(
            self.billing_app,
            base_url="http://x",
            headers=identity_headers(
                roles=("signatory",), subject=f"account:{SIGNATORY_ACCOUNT}", name="Marie Exemple"
            ),
        )
        self._signatory_registered = False
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
        when = dt.datetime.fromisoformat(f"{day}T09:00:00+00:00")
        with self.billing_app.state.test_sessionmaker() as session:
            stored = session.get(Run, run["id"])
            stored.made_available_at = when
            for notice in session.scalars(
                select(ForecastNotice).where(ForecastNotice.run_id == run["id"])
            ):
                notice.made_available_at = when  # archived as made available that day
            session.commit()
        return int(run["id"])

    def register_signatory(self) -> None:
        """The register's entry of the signatory account (once)."""
        if not self._signatory_registered:
            check(self.billing.post("/signatories", json=SIGNATORY))
            self._signatory_registered = True

    def validate(self, invoice_ids: list[int]) -> httpx.Response:
        """The signatory validates prepared titles or corrections."""
        self.register_signatory()
        return self.signatory.post(
            "/validations", json={"invoice_ids": invoice_ids, "confirm": True}
        )

    def _validated(self, prepared: httpx.Response, ids: list[int]) -> httpx.Response:
        if prepared.status_code >= 300 or not ids:
            return prepared
        return self.validate(ids)

    def prepare(self, run_id: int, **body: Any) -> httpx.Response:
        """Finance prepares the titles of a run (the first step)."""
        return self.billing.post(f"/runs/{run_id}/issue", json=body)

    def issue(self, run_id: int, **body: Any) -> httpx.Response:
        """Both steps, as the two people would: finance prepares, the signatory validates
        what was prepared. The validation's answer with what the preparation left waiting,
        skipped or warned about — or the first refusal, as it came."""
        prepared = self.prepare(run_id, **body)
        if prepared.status_code >= 300:
            return prepared
        first = prepared.json()
        validated = self._validated(prepared, [t["id"] for t in first["prepared"]])
        if validated is prepared or validated.status_code >= 300:
            return validated
        kept = {k: first[k] for k in ("run_id", "waiting", "skipped", "warnings", "prepared")}
        return httpx.Response(200, json={**validated.json(), **kept})

    def correct(self, title_id: int, **body: Any) -> httpx.Response:
        """A correction prepared by finance then validated: the issued correction (201)."""
        prepared = self.billing.post(f"/invoices/{title_id}/corrections", json=body)
        if prepared.status_code >= 300:
            return prepared
        validated = self.validate([prepared.json()["id"]])
        if validated.status_code >= 300:
            return validated
        issued = validated.json()["issued"][0]
        return httpx.Response(201, json=issued, headers={"Location": f"/invoices/{issued['id']}"})

    def regularise(self, run_id: int, **body: Any) -> httpx.Response:
        """The regularisation of a replaced run, prepared then validated: the corrections."""
        prepared = self.billing.post(f"/runs/{run_id}/regularisation", json=body)
        if prepared.status_code >= 300:
            return prepared
        validated = self.validate([c["id"] for c in prepared.json()])
        if validated.status_code >= 300:
            return validated
        return httpx.Response(201, json=validated.json()["issued"])

    def issued(self, run_id: int, **body: Any) -> dict[str, Any]:
        return dict(check(self.issue(run_id, **body)))

    def titles(self, **params: Any) -> list[dict[str, Any]]:
        return list(check(self.billing.get("/invoices", params=params))["items"])
