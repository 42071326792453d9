"""A run over the demo data of registry, catalogue and billing explains every line exactly."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from services.billing.engine.money import to_cents
from tests.billing.upstream import Platform


def load_demo(platform: Platform) -> None:
    for name, app in (
        ("registry", platform.registry_app),
        ("catalogue", platform.catalogue_app),
        ("billing", platform.billing_app),
    ):
        with app.state.test_sessionmaker() as session:
            assert import_module(f"services.{name}.demo").load(session) is True
            session.commit()


def test_a_final_run_over_the_demo_data_explains_every_line_to_the_cent(service_app: Any) -> None:
    platform = Platform(service_app)
    load_demo(platform)
    run = platform.run("final", year=2024)
    assert run["status"] == "succeeded", run["problems"]
    members = platform.billing.get(f"/runs/{run['id']}/members").json()["items"]
    assert len(members) == 26
    total = 0
    for member in members:
        explained = platform.billing.get(
            f"/runs/{run['id']}/members/{member['member_code']}/explain"
        ).json()
        assert explained["check"]["adds_up"] is True
        total += sum(to_cents(line["amount"]) for line in explained["lines"])
    totals = run["totals"]
    assert total == to_cents(totals["operating_invoiced"]) + to_cents(totals["investment"])
    assert to_cents(totals["cap_reduction"]) < 0  # the demo history caps some members
    assert any(m["previous_year"] for m in members)  # 2023 imported beside 2024


def test_the_demo_billing_loader_changes_nothing_the_second_time(service_app: Any) -> None:
    app = service_app("billing")
    with app.state.test_sessionmaker() as session:
        first = import_module("services.billing.demo").load(session)
        second = import_module("services.billing.demo").load(session)
    assert (first, second) == (True, False)
