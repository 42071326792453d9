"""Who signs: finance prepares, a signatory of the register validates on a day its delegation
is valid, never what it prepared itself; only validation numbers, puts on a bordereau and makes
the documents, which print the validator as the register named them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.billing.invoices_support import SIGNATORY, TitlesPlatform
from tests.billing.upstream import YEAR, check
from tests.conftest import identity_headers, sync_client

REASON = "Erreur matérielle : cinq postes comptés deux fois"


def prepared(service_app: Any) -> tuple[TitlesPlatform, list[int]]:
    platform = TitlesPlatform(service_app)
    body = check(platform.prepare(platform.ready_to_issue()))
    return platform, [t["id"] for t in body["prepared"]]


def signer(platform: TitlesPlatform, account: int, name: str = "Paul Autre") -> Any:
    headers = identity_headers(roles=("signatory",), subject=f"account:{account}", name=name)
    return sync_client(platform.billing_app, base_url="http://x", headers=headers)


def validate(client: Any, ids: list[int]) -> Any:
    return client.post("/validations", json={"invoice_ids": ids, "confirm": True})


def test_prepared_titles_have_no_number_no_bordereau_and_no_document(service_app: Any) -> None:
    platform, ids = prepared(service_app)
    assert len(ids) == 6
    titles = platform.titles()
    assert {t["status"] for t in titles} == {"prepared"}
    assert {t["number"] for t in titles} == {None}
    assert {t["prepared_by"] for t in titles} == {"account:1 (Test User)"}
    assert check(platform.billing.get("/bordereaux"))["items"] == []
    document = platform.billing.get(f"/invoices/{ids[0]}/asap.pdf")
    assert document.status_code == 409
    assert document.json()["type"] == "urn:mutualis:problem:invoice-not-issued"


def test_the_signatory_validates_and_the_titles_print_its_delegation(service_app: Any) -> None:
    platform, ids = prepared(service_app)
    result = check(platform.validate(ids))
    assert sorted(t["id"] for t in result["issued"]) == sorted(ids)
    assert sorted(t["number"] for t in result["issued"]) == [1, 2, 3, 4, 5, 6]
    assert [b["number"] for b in result["bordereaux"]] == [1]
    signatory = result["issued"][0]["signatory"]
    assert signatory["name"] == "Marie Exemple"
    assert signatory["function"] == SIGNATORY["qualite"]
    assert signatory["delegation"] == SIGNATORY["delegation_reference"]
    again = validate(platform.signatory, ids)
    assert again.status_code == 409
    assert again.json()["type"] == "urn:mutualis:problem:invoice-not-prepared"


def test_finance_cannot_validate_nor_an_account_outside_the_register(service_app: Any) -> None:
    platform, ids = prepared(service_app)
    by_finance = validate(platform.billing, ids)  # admin/finance: no invoices:validate
    assert by_finance.status_code == 403
    assert by_finance.json()["type"] == "urn:mutualis:problem:permission-denied"
    unregistered = validate(signer(platform, 901), ids)
    assert unregistered.status_code == 403
    assert unregistered.json()["type"] == "urn:mutualis:problem:not-a-signatory"
    assert "not in the register" in unregistered.json()["detail"]
    assert {t["status"] for t in platform.titles()} == {"prepared"}  # nothing moved


def test_a_delegation_counts_from_its_first_to_its_last_day(service_app: Any) -> None:
    platform, ids = prepared(service_app)
    entry = {**SIGNATORY, "first_name": "Paul", "last_name": "Autre", "account_id": 902,
             "valid_from": f"{YEAR}-06-02", "valid_to": f"{YEAR}-06-30"}  # fmt: skip
    check(platform.billing.post("/signatories", json=entry))
    paul = signer(platform, 902)
    for day, expected in ((dt.date(YEAR, 6, 1), 403), (dt.date(YEAR, 7, 1), 403)):
        platform.set_today(day)
        refused = validate(paul, ids[:1])
        assert refused.status_code == expected, day
        assert "not valid on that day" in refused.json()["detail"]
    platform.set_today(dt.date(YEAR, 6, 30))  # the last day still counts
    issued = check(validate(paul, ids[:1]))["issued"]
    assert issued[0]["signatory"]["name"] == "Paul Autre"
    assert issued[0]["issued_on"] == f"{YEAR}-06-30"


def test_nobody_validates_what_they_prepared(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue()
    both = identity_headers(roles=("finance", "signatory"), subject="account:903",
                            name="Paul Autre")  # fmt: skip
    entry = {**SIGNATORY, "first_name": "Paul", "last_name": "Autre", "account_id": 903}
    check(platform.billing.post("/signatories", json=entry))
    client = sync_client(platform.billing_app, base_url="http://x", headers=both)
    ids = [t["id"] for t in check(client.post(f"/runs/{run_id}/issue", json={}))["prepared"]]
    own = validate(client, ids)
    assert own.status_code == 403
    assert own.json()["type"] == "urn:mutualis:problem:validator-is-preparer"
    assert {t["status"] for t in platform.titles()} == {"prepared"}
    # another signatory (account 900) validates them
    issued = check(platform.validate(ids))["issued"]
    assert {t["signatory"]["name"] for t in issued} == {"Marie Exemple"}


def test_a_refused_title_waits_again_and_a_refused_correction_counts_for_nothing(
    service_app: Any,
) -> None:
    platform, ids = prepared(service_app)
    platform.register_signatory()
    refused = check(
        platform.signatory.post(
            "/validations/refusals", json={"invoice_ids": ids[-1:], "reason": "Montant à revoir"}
        )
    )
    assert refused[0]["status"] == "ready"
    assert "Refusé par Marie Exemple" in refused[0]["waiting_reason"]
    assert "Montant à revoir" in refused[0]["waiting_reason"]
    check(platform.validate(ids[:-1]))
    laxou = next(t for t in platform.titles(member_code="laxou") if t["section"] == "operating")
    body = {"kind": "reduction", "amount": "400.00", "reason": REASON}
    first = platform.billing.post(f"/invoices/{laxou['id']}/corrections", json=body)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "prepared"
    # a prepared reduction already holds its euros: a second one cannot take them again
    second = platform.billing.post(f"/invoices/{laxou['id']}/corrections", json=body)
    assert second.status_code == 422
    assert second.json()["errors"][0]["field"] == "amount"
    assert check(platform.billing.get(f"/invoices/{laxou['id']}"))["balance"] == "500.00"
    check(
        platform.signatory.post(
            "/validations/refusals",
            json={"invoice_ids": [first.json()["id"]], "reason": "Pas d'erreur : à classer"},
        )
    )
    assert check(platform.billing.get(f"/invoices/{first.json()['id']}"))["status"] == "rejected"
    again = platform.correct(laxou["id"], **body)  # refused, it holds nothing any more
    assert again.status_code == 201, again.text
    assert check(platform.billing.get(f"/invoices/{laxou['id']}"))["balance"] == "100.00"


def test_the_register_keeps_entries_and_validates_its_periods(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    created = check(platform.billing.post("/signatories", json=SIGNATORY))
    assert created["name"] == "Marie Exemple"
    backwards = {**SIGNATORY, "valid_to": "2020-01-01"}
    assert platform.billing.post("/signatories", json=backwards).status_code == 422
    ended = {**SIGNATORY, "valid_to": f"{YEAR}-05-31"}
    check(platform.billing.put(f"/signatories/{created['id']}", json=ended))
    on_day = check(platform.billing.get("/signatories", params={"valid_on": f"{YEAR}-06-01"}))
    assert on_day == []
    assert platform.billing.delete(f"/signatories/{created['id']}").status_code == 405
    as_finance = identity_headers(roles=("finance",), subject="account:5", name="Finances")
    finance = sync_client(platform.billing_app, base_url="http://x", headers=as_finance)
    assert finance.post("/signatories", json=SIGNATORY).status_code == 403
    assert finance.get("/signatories").status_code == 200
