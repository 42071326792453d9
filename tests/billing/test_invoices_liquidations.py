"""Numbering by the financial software: issuing hands the liquidations over in a batch (JSON
and CSV), the numbers the financial software gave come back (JSON or CSV upload) and only then
are the titles issued — with those numbers, never twice the same in an exercice and budget."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from services.billing.invoices.deps import issuer_settings
from services.billing.invoices.settings import IssuerSettings
from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import YEAR, check
from tests.conftest import assert_refused


def handed_over(service_app: Any) -> tuple[TitlesPlatform, dict[str, Any]]:
    platform = TitlesPlatform(service_app)
    settings = IssuerSettings(numbering="financial_software")
    platform.billing_app.dependency_overrides[issuer_settings] = lambda: settings
    return platform, platform.issued(platform.ready_to_issue())


def test_issuing_liquidates_in_a_batch_without_numbers(service_app: Any) -> None:
    platform, result = handed_over(service_app)
    assert result["issued"] == []
    assert result["bordereaux"] == []  # the financial software makes bordereaux and PES
    batch = result["liquidation_batch"]
    assert batch == f"{YEAR}-01-L0001"
    assert {(t["status"], t["number"], t["exercice"]) for t in result["liquidated"]} == {
        ("liquidated", None, YEAR)
    }
    exported = check(platform.billing.get(f"/liquidations/{batch}"))
    assert len(exported["items"]) == 6
    assert exported["total"] == "6550.00"  # 5 550.00 operating + 1 000.00 investment
    rows = list(
        csv.DictReader(
            io.StringIO(platform.billing.get(f"/liquidations/{batch}.csv").text.lstrip("\ufeff")),
            delimiter=";",
        )
    )
    assert {r["identifiant"] for r in rows} == {str(i["invoice_id"]) for i in exported["items"]}
    assert {r["lot"] for r in rows} == {batch}
    assert sum(Decimal(r["montant_ligne"].replace(",", ".")) for r in rows) == Decimal("6550.00")
    again = platform.issued(result["run_id"])
    assert again["liquidated"] == []
    assert {s["reason"] for s in again["skipped"]} == {"already-issued"}


def test_the_numbers_come_back_and_issue_the_titles(service_app: Any) -> None:
    platform, result = handed_over(service_app)
    batch = result["liquidation_batch"]
    ids = sorted(t["id"] for t in result["liquidated"])
    upload = "identifiant;numero\r\n" + "".join(
        f"{invoice_id};{10234 + n}\r\n" for n, invoice_id in enumerate(ids)
    )
    issued = check(
        platform.billing.post(
            f"/liquidations/{batch}/numbers.csv",
            content=upload.encode(),
            headers={"Content-Type": "text/csv"},
        )
    )
    assert sorted((t["number"], t["reference"]) for t in issued) == [
        (10234 + n, f"{YEAR}-01-{10234 + n:06d}") for n in range(6)
    ]
    assert {t["status"] for t in issued} == {"issued"}
    # immutable once issued: the same import again is refused, nothing changes
    again = platform.billing.post(
        f"/liquidations/{batch}/numbers",
        json={"numbers": [{"invoice_id": ids[0], "number": 99}]},
    )
    assert again.status_code == 409
    assert platform.billing.get(f"/invoices/{ids[0]}").json()["number"] == 10234


def test_a_number_already_held_or_given_twice_refuses_the_whole_import(service_app: Any) -> None:
    platform, result = handed_over(service_app)
    batch = result["liquidation_batch"]
    ids = sorted(t["id"] for t in result["liquidated"])
    first = [{"invoice_id": ids[0], "number": 500}]
    check(platform.billing.post(f"/liquidations/{batch}/numbers", json={"numbers": first}))
    taken = platform.billing.post(
        f"/liquidations/{batch}/numbers",
        json={
            "numbers": [
                {"invoice_id": ids[1], "number": 501},
                {"invoice_id": ids[2], "number": 500},
            ]
        },
    )
    assert taken.status_code == 409
    assert taken.json()["type"] == "urn:mutualis:problem:invoice-number-taken"
    twice = platform.billing.post(
        f"/liquidations/{batch}/numbers",
        json={
            "numbers": [{"invoice_id": ids[1], "number": 7}, {"invoice_id": ids[2], "number": 7}]
        },
    )
    assert_refused(twice, "numbers")
    unknown = platform.billing.post(
        f"/liquidations/{batch}/numbers", json={"numbers": [{"invoice_id": 999999, "number": 8}]}
    )
    assert_refused(unknown, "numbers")
    bad_csv = platform.billing.post(
        f"/liquidations/{batch}/numbers.csv", content=b"id,num\n1,2\n",
        headers={"Content-Type": "text/csv"},
    )  # fmt: skip
    assert_refused(bad_csv, "body")
    statuses = {t["id"]: t["status"] for t in platform.titles()}
    assert [statuses[i] for i in ids] == ["issued"] + ["liquidated"] * 5
