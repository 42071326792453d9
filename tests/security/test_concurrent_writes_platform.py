"""Attack 4: concurrent writes on SQLite, through the real processes (``mutualis run``).

Eight finance officers press "Émettre les titres" at once, eight corrections of one title
arrive together, sixteen people log in at the same second and an admin creates eight accounts
in parallel. On SQLite, a writer that began DEFERRED and upgraded its read lock failed at once
with "database is locked" (a 500). Write requests of the services and of the gateway now begin
IMMEDIATE and wait their turn (busy timeout, 30 s; a lock outlasting it would be a 503 problem):
at this load every writer waits and succeeds or is refused by a rule (409) — never a 500 nor a
503 — nothing is lost, the numbering has no gap. Each test fails with the IMMEDIATE begin of
``kit.db.get_session`` removed (checked)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Platform, fresh_demo, start_on_demo, stop_platform

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite]
DEMO_PASSWORD = "mutualis-demo"  # noqa: S105 - the documented demo password
YEAR = 2026  # the demo's current year: no final run yet
ACCEPTED = {200, 201, 409}  # done or refused by a rule: writers wait their turn, no 503 here


__all__ = ["fresh_demo"]  # the session's fresh demo (tests/e2e/conftest.py), used below


@pytest.fixture(scope="module")
def platform(fresh_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    platform = start_on_demo(fresh_demo, tmp_path_factory.mktemp("var") / "var")
    yield platform
    stop_platform(platform)


def login(platform: Platform, email: str) -> dict[str, str]:
    response = httpx.post(
        platform.url("gateway", "/api/auth/token"),
        data={"username": email, "password": DEMO_PASSWORD},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def together(count: int, call: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(call, range(count)))


def no_server_error(responses: list[httpx.Response]) -> Counter[int]:
    statuses = Counter(r.status_code for r in responses)
    unexpected = [r for r in responses if r.status_code not in ACCEPTED]
    assert not unexpected, [(r.status_code, r.text[:300]) for r in unexpected]
    for response in responses:
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith("application/problem+json")
    return statuses


def final_run(platform: Platform, finance: dict[str, str]) -> int:
    api = platform.url("gateway", "/api/billing/runs")
    launched = httpx.post(
        api, json={"fiscal_year": YEAR, "kind": "final"}, headers=finance, timeout=60
    )
    assert launched.status_code == 202, launched.text
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        run = httpx.get(f"{api}/{launched.json()['id']}", headers=finance, timeout=30).json()
        if run["status"] not in ("queued", "running"):
            assert run["status"] == "succeeded", run
            return int(run["id"])
        time.sleep(0.3)
    pytest.fail("the final run did not end in 2 minutes")


def all_titles(platform: Platform, finance: dict[str, str]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"fiscal_year": YEAR, "limit": 200}
    while True:
        page = httpx.get(
            platform.url("gateway", "/api/billing/invoices"),
            params=params,
            headers=finance,
            timeout=30,
        ).json()
        items += page["items"]
        if not page.get("next_cursor"):
            return items
        params["cursor"] = page["next_cursor"]


def test_eight_simultaneous_issuings_and_corrections(platform: Platform) -> None:
    finance = login(platform, "finance@dsit.example")
    run_id = final_run(platform, finance)
    body = {
        "force": True,
        "force_reason": "Essai de charge : huit émissions simultanées",
        "forecast_reason": "Essai de charge : la prévision de démonstration est tardive",
    }
    issuings = together(
        8,
        lambda _: httpx.post(
            platform.url("gateway", f"/api/billing/runs/{run_id}/issue"),
            json=body,
            headers=finance,
            timeout=120,
        ),
    )
    no_server_error(issuings)
    prepared = [t["id"] for r in issuings if r.status_code == 200 for t in r.json()["prepared"]]
    assert prepared, [r.text[:200] for r in issuings]
    assert len(prepared) == len(set(prepared))  # each title prepared once
    signatory = login(platform, "signataire@dsit.example")
    validations = together(
        8,
        lambda _: httpx.post(
            platform.url("gateway", "/api/billing/validations"),
            json={"invoice_ids": prepared, "confirm": True},
            headers=signatory,
            timeout=120,
        ),
    )
    statuses = no_server_error(validations)
    assert statuses[200] == 1, [r.text[:200] for r in validations]  # the others: 409
    issued = [t for r in validations if r.status_code == 200 for t in r.json()["issued"]]
    titles = [
        t
        for t in all_titles(platform, finance)
        if t["run_id"] == run_id and t["kind"] == "title" and t["status"] == "issued"
    ]
    # each title issued once, whoever issued it; the numbers of each series without a gap
    assert sorted(t["id"] for t in issued) == sorted(t["id"] for t in titles)
    series: dict[str, list[int]] = {}
    for title in titles:
        prefix, _, number = title["reference"].rpartition("-")
        series.setdefault(prefix, []).append(int(number))
    for prefix, numbers in series.items():
        assert sorted(numbers) == list(range(min(numbers), min(numbers) + len(numbers))), (
            prefix,
            sorted(numbers),
        )

    title = max(titles, key=lambda t: Decimal(t["total"]))
    corrections = together(
        8,
        lambda i: httpx.post(
            platform.url("gateway", f"/api/billing/invoices/{title['id']}/corrections"),
            json={
                "kind": "reduction",
                "amount": "1.00",
                "lines": [{"line_kind": "payroll", "amount": "1.00"}],
                "reason": f"Erreur matérielle n° {i} sur le nombre de postes",
            },
            headers=finance,
            timeout=120,
        ),
    )
    statuses = no_server_error(corrections)
    made = {r.json()["id"] for r in corrections if r.status_code == 201}
    assert len(made) == statuses[201] > 0
    validations = together(
        len(made),
        lambda i: httpx.post(
            platform.url("gateway", "/api/billing/validations"),
            json={"invoice_ids": [sorted(made)[i]], "confirm": True},
            headers=signatory,
            timeout=120,
        ),
    )
    assert no_server_error(validations)[200] == len(made)
    stored = [t for t in all_titles(platform, finance) if t["original_id"] == title["id"]]
    assert made <= {t["id"] for t in stored}
    # the reductions were validated one by one, at once: numbered without a gap
    numbers = sorted(int(t["reference"].rpartition("-")[2]) for t in stored if t["reference"])
    assert numbers == list(range(numbers[0], numbers[0] + len(made)))


def test_sixteen_logins_and_eight_account_creations_at_once(platform: Platform) -> None:
    logins = together(
        16,
        lambda i: httpx.post(
            platform.url("gateway", "/api/auth/token"),
            data={
                "username": ("finance@dsit.example", "admin@dsit.example")[i % 2],
                "password": DEMO_PASSWORD,
            },
            timeout=120,
        ),
    )
    statuses = no_server_error(logins)
    assert statuses[200] == 16, [(r.status_code, r.text[:200]) for r in logins]
    admin = login(platform, "admin@dsit.example")
    created = together(
        8,
        lambda i: httpx.post(
            platform.url("gateway", "/api/auth/accounts"),
            json={
                "email": f"agent{i}@dsit.example",
                "display_name": f"Agent {i}",
                "kind": "staff",
                "roles": ["project"],
                "password": f"Brume-Vallon-{i}-Ardoise-Chemin",
            },
            headers=admin,
            timeout=120,
        ),
    )
    statuses = no_server_error(created)
    listed = httpx.get(
        platform.url("gateway", "/api/auth/accounts"),
        params={"limit": 200},
        headers=admin,
        timeout=30,
    ).json()["items"]
    emails = {a["email"] for a in listed}
    made = {r.json()["email"] for r in created if r.status_code == 201}
    assert len(made) == statuses[201] > 0
    assert made <= emails
