"""Runs end to end: the real registry and catalogue apps feed billing over HTTP (both databases)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from kit.client import ServiceClient
from kit.settings import PLACEHOLDER_SECRET
from services.billing.engine.compute import compute
from services.billing.engine.money import fmt, to_cents
from services.billing.engine.snapshot import from_document
from services.billing.runs.inputs import HttpInputs
from tests.billing.upstream import YEAR, Platform
from tests.conftest import as_contact


def members_of(platform: Platform, run_id: int) -> dict[str, dict[str, Any]]:
    page = platform.billing.get(f"/runs/{run_id}/members").json()
    return {m["member_code"]: m for m in page["items"]}


def test_a_final_run_gives_the_hand_computed_amounts(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.worked_example()
    run = platform.run("final")
    assert (run["status"], run["progress"], run["is_current"]) == ("succeeded", 100, True)
    members = members_of(platform, run["id"])
    ludres = members["ludres"]
    assert ludres["payroll"] == "2000.00"
    assert ludres["operating"] == "2350.00"
    assert ludres["cap_reduction"] == "-250.00"
    assert ludres["operating_invoiced"] == "2100.00"
    assert ludres["investment"] == "333.33"
    assert members["laxou"]["investment"] == "333.34"  # the tie cent: lowest code
    assert members["grand-nancy"]["indirect_operating"] == "500.00"  # the host uses the pool
    assert run["totals"]["host_absorbs"] == "5750.00"
    assert run["totals"]["invoiced_total"] == "6550.00"
    assert run["payroll"]["rate_per_workstation"] == "100.00000000"


def test_every_line_is_explained_and_adds_up_to_member_and_run_totals(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.worked_example()
    run = platform.run("final")
    grand_total = 0
    for code in members_of(platform, run["id"]):
        explained = platform.billing.get(f"/runs/{run['id']}/members/{code}/explain").json()
        assert explained["check"]["adds_up"] is True
        lines = sum(to_cents(line["amount"]) for line in explained["lines"])
        totals = explained["totals"]
        assert lines == to_cents(totals["operating_invoiced"]) + to_cents(totals["investment"])
        grand_total += lines
        for line in explained["lines"]:
            assert line["basis"]  # each line says where it comes from
    totals = run["totals"]
    assert fmt(grand_total) == fmt(
        to_cents(totals["operating_invoiced"]) + to_cents(totals["investment"])
    )
    nancy = platform.billing.get(f"/runs/{run['id']}/members/nancy/explain").json()
    indirect = next(line for line in nancy["lines"] if line["kind"] == "indirect")
    assert indirect["basis"]["unit_price"] == "5.00000000"
    assert [c["amount"] for c in nancy["pools"][0]["cost_lines"]] == ["600.00", "400.00"]


def test_the_same_snapshot_gives_the_same_result_to_the_cent(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.worked_example()
    first = platform.run("forecast")
    second = platform.run("forecast")
    assert first["snapshot_hash"] == second["snapshot_hash"]
    assert first["totals"] == second["totals"]
    snapshot = platform.billing.get(f"/runs/{first['id']}/snapshot")
    recomputed = compute(from_document(json.loads(snapshot.content)))
    stored = members_of(platform, first["id"])
    assert {m.code: fmt(m.operating_invoiced) for m in recomputed.members} == {
        code: m["operating_invoiced"] for code, m in stored.items()
    }
    assert snapshot.headers["x-content-hash"] == first["snapshot_hash"]


def test_bad_inputs_fail_the_run_with_every_problem_and_keep_nothing(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.member("grand-nancy", host=True)
    platform.member("ludres")
    platform.member("nancy")
    platform.workstations("grand-nancy", 10)
    platform.workstations("ludres", 5)  # nancy has no workstation count
    platform.driver("accounts", "compte")
    platform.cost_line("mail", "100.00", driver="accounts")  # nobody uses "accounts"
    platform.cost_line("sig", "50.00", weights={"ludres": "1", "villers": "1"})  # unknown member
    platform.parameters("1000.00")
    run = platform.run("final")
    assert run["status"] == "failed"
    problems = {p["code"]: p for p in run["problems"]}
    assert set(problems) == {"missing-workstations", "pool-without-usage", "unknown-member"}
    assert "PUT /members/nancy/workstations/2024" in problems["missing-workstations"]["fix"]
    assert problems["unknown-member"]["ref"]["member_code"] == "villers"
    results = platform.billing.get(f"/runs/{run['id']}/members")
    assert results.status_code == 409
    assert run["is_current"] is False
    assert platform.billing.get(f"/runs/{run['id']}/snapshot").status_code == 409


def test_an_unreachable_registry_fails_the_run_and_says_what_to_fix(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.parameters("1000.00")
    unreachable = httpx.Client(base_url="http://127.0.0.1:9", timeout=2)
    platform.billing_app.state.inputs_source = HttpInputs(
        ServiceClient(
            "registry", "", caller="billing", secret=PLACEHOLDER_SECRET, client=unreachable
        ),
        ServiceClient(
            "catalogue", "", caller="billing", secret=PLACEHOLDER_SECRET, client=unreachable
        ),
        page_size=100,
    )
    run = platform.run("forecast")
    assert run["status"] == "failed"
    [problem] = run["problems"]
    assert problem["code"] == "upstream-unavailable"
    assert "MUTUALIS_BILLING_REGISTRY_URL" in problem["fix"]


def test_launching_a_year_without_parameters_is_a_409(service_app: Any) -> None:
    platform = Platform(service_app)
    response = platform.billing.post("/runs", json={"fiscal_year": 2030, "kind": "forecast"})
    assert response.status_code == 409
    assert "PUT /fiscal-years/2030" in response.json()["detail"]


def test_replacing_the_current_final_run_needs_a_reason_and_keeps_the_old_one(
    service_app: Any,
) -> None:
    platform = Platform(service_app)
    platform.worked_example()
    first = platform.run("final")
    refused = platform.billing.post("/runs", json={"fiscal_year": YEAR, "kind": "final"})
    second = platform.run("final", replacement_reason="Postes de Nancy corrigés")
    old = platform.billing.get(f"/runs/{first['id']}").json()
    assert refused.status_code == 409
    assert refused.json()["type"] == "urn:mutualis:problem:final-run-exists"
    assert (second["is_current"], second["replaces"]) == (True, first["id"])
    assert second["replacement_reason"] == "Postes de Nancy corrigés"
    assert (old["is_current"], old["replaced_by"], old["status"]) == (
        False,
        second["id"],
        "succeeded",
    )


def test_a_final_run_is_the_cap_history_and_the_previous_year_of_the_next(
    service_app: Any,
) -> None:
    platform = Platform(service_app)
    platform.worked_example()
    first = platform.run("final")
    for code, count in {"grand-nancy": 50, "ludres": 20, "nancy": 25, "laxou": 5}.items():
        platform.workstations(code, count, year=YEAR + 1)
    platform.parameters("12000.00", year=YEAR + 1)
    run = platform.run("final", year=YEAR + 1)
    ludres = platform.billing.get(f"/runs/{run['id']}/members/ludres").json()
    # window 2022–2024: 2100.00 and 2200.00 imported, 2100.00 billed by the 2024 final run
    assert [h["source"] for h in ludres["cap"]["history"]] == [
        "import",
        "import",
        f"run:{first['id']}",
    ]
    assert ludres["cap"]["ceiling"] == "2133.33"
    assert ludres["operating_invoiced"] == "2133.33"
    assert ludres["previous_year"]["operating_invoiced"] == "2100.00"
    assert ludres["previous_year"]["source"] == f"run:{first['id']}"


def test_a_contact_sees_only_its_own_member_results(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.worked_example()
    run_id = platform.run("final")["id"]
    contact = {**as_contact("ludres")}
    run = platform.billing.get(f"/runs/{run_id}", headers=contact).json()
    listed = platform.billing.get(f"/runs/{run_id}/members", headers=contact).json()
    other = platform.billing.get(f"/runs/{run_id}/members/nancy/explain", headers=contact)
    snapshot = platform.billing.get(f"/runs/{run_id}/snapshot", headers=contact)
    assert run["totals"] is None
    assert [m["member_code"] for m in listed["items"]] == ["ludres"]
    assert other.status_code == 404
    assert snapshot.status_code == 403


def test_a_contact_cannot_launch_a_run(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.parameters("1.00")
    response = platform.billing.post(
        "/runs", json={"fiscal_year": YEAR, "kind": "final"}, headers=as_contact("ludres")
    )
    assert response.status_code == 403


def test_a_run_duration_is_measured_for_prometheus(service_app: Any) -> None:
    from prometheus_client import REGISTRY

    labels = {"kind": "final", "outcome": "succeeded"}
    before = REGISTRY.get_sample_value("mutualis_billing_run_duration_seconds_count", labels) or 0
    platform = Platform(service_app)
    platform.worked_example()
    assert platform.run("final")["status"] == "succeeded"
    after = REGISTRY.get_sample_value("mutualis_billing_run_duration_seconds_count", labels)
    assert after == before + 1


def test_the_runs_list_says_how_many_runs_its_filters_keep(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.worked_example()
    platform.run("forecast")
    platform.run("forecast")
    platform.run("final")
    page = platform.billing.get("/runs", params={"kind": "forecast", "limit": 1}).json()
    every = platform.billing.get("/runs").json()
    assert len(page["items"]) == 1
    assert page["total"] == 2  # over every page
    assert every["total"] == 3
