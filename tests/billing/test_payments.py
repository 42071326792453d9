"""Payments brought back onto each title: a French CSV and a PES_Retour's recette part give
each title its paid amount and what remains (integer cents), partly paid → paid, never twice;
overdue titles with their age; what each member was titled, paid and still owes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.billing.engine.money import fmt, to_cents
from tests.billing.helios_support import CSV, FRENCH, SAMPLES, XML, retour, two_bordereaux
from tests.billing.upstream import YEAR, check
from tests.conftest import identity_headers, sync_client

HEADER = "exercice;titre;date;montant;reference\r\n"


def csv(*rows: str) -> bytes:
    return (HEADER + "\r\n".join(rows) + "\r\n").encode("utf-8")


def french(cents: int) -> str:
    """``123456`` → ``1 234,56`` (the way a spreadsheet writes it)."""
    whole, part = divmod(cents, 100)
    return f"{whole:,}".replace(",", "\u00a0") + f",{part:02d}"


def titles_by_number(platform: Any) -> dict[int, dict[str, Any]]:
    return {t["number"]: t for t in platform.titles() if t["number"]}


def test_a_payments_csv_turns_titles_paid_and_partly_paid(service_app: Any) -> None:
    platform, _ = two_bordereaux(service_app)
    titles = titles_by_number(platform)
    first, second = to_cents(titles[1]["total"]), to_cents(titles[2]["total"])
    body = csv(
        f"{YEAR};1;25/09/{YEAR};{french(first)};VIR-0001",
        f"{YEAR};2;26/09/{YEAR};{french(100)};VIR-0002",
        f"{YEAR};99;26/09/{YEAR};10,00;VIR-0003",
        f"{YEAR};3;31/02/{YEAR};10,00;VIR-0004",
        f"{YEAR};3;26/09/{YEAR};-5,00;VIR-0005",
        f"{YEAR};3;26/09/{YEAR};1,234;VIR-0006",
    )
    result = check(platform.billing.post("/payments.csv", content=body, headers=CSV))
    assert [(c["number"], c["amount"]) for c in result["created"]] == [(1, fmt(first)),
                                                                       (2, "1.00")]  # fmt: skip
    rejected = {r["line"]: r["message_fr"] for r in result["rejected"]}
    assert sorted(rejected) == [4, 5, 6, 7]
    assert "Aucun titre n° 99" in rejected[4]
    assert "n'est pas une date" in rejected[5]
    assert "montant positif" in rejected[6]
    assert "deux décimales" in rejected[7]
    paid = check(platform.billing.get(f"/invoices/{titles[1]['id']}"))
    assert (paid["state"], paid["paid"], paid["outstanding"]) == ("paid", fmt(first), "0.00")
    assert paid["payments"][0]["paid_on"] == f"{YEAR}-09-25"
    partly = check(platform.billing.get(f"/invoices/{titles[2]['id']}"))
    assert (partly["state"], partly["paid"]) == ("partly_paid", "1.00")
    assert partly["outstanding"] == fmt(second - 100)
    assert [t["id"] for t in platform.titles(state="paid")] == [titles[1]["id"]]
    assert [t["id"] for t in platform.titles(state="partly_paid")] == [titles[2]["id"]]
    assert titles[1]["id"] not in [t["id"] for t in platform.titles(state="signed")]
    again = check(platform.billing.post("/payments.csv", content=body, headers=CSV))
    assert (len(again["created"]), len(again["unchanged"])) == (0, 2)
    assert check(platform.billing.get(f"/invoices/{titles[2]['id']}"))["paid"] == "1.00"


def test_a_csv_without_the_columns_is_refused_in_french(service_app: Any) -> None:
    platform, _ = two_bordereaux(service_app)
    answer = platform.billing.post(
        "/payments.csv", content=b"titre;montant\r\n1;10,00\r\n", headers={**CSV, **FRENCH}
    )
    assert answer.status_code == 422
    assert "manquent : exercice, date, reference" in answer.json()["detail"]


def test_a_reduction_lowers_what_is_due(service_app: Any) -> None:
    platform, _ = two_bordereaux(service_app)
    title = titles_by_number(platform)[1]
    total = to_cents(title["total"])
    check(platform.correct(title["id"], kind="reduction", amount=fmt(1000),
                           lines=[{"line_kind": title["content"]["imputation"][0]["line_kind"],
                                   "amount": "10.00"}],
                           reason="Erreur matérielle : un poste compté deux fois"))  # fmt: skip
    body = csv(f"{YEAR};1;25/09/{YEAR};{french(total - 1000)};VIR-1")
    check(platform.billing.post("/payments.csv", content=body, headers=CSV))
    paid = check(platform.billing.get(f"/invoices/{title['id']}"))
    assert (paid["state"], paid["outstanding"]) == ("paid", "0.00")


def test_a_pes_retour_recette_part_records_the_recoveries(service_app: Any) -> None:
    platform, _ = two_bordereaux(service_app)
    title = titles_by_number(platform)[3]
    xml = retour([(YEAR, 1, 3, [(f"{YEAR}-09-25", "10.00", 41), (f"{YEAR}-10-02", "5.50", 42)])])
    result = check(platform.billing.post("/payments/pes-retour", content=xml, headers=XML))
    assert [c["amount"] for c in result["created"]] == ["10.00", "5.50"]
    read = check(platform.billing.get(f"/invoices/{title['id']}"))
    assert (read["state"], read["paid"]) == ("partly_paid", "15.50")
    assert [p["reference"] for p in read["payments"]] == ["Encaissement 41", "Encaissement 42"]
    again = check(platform.billing.post("/payments/pes-retour", content=xml, headers=XML))
    assert (again["created"], len(again["unchanged"])) == ([], 2)
    sample = platform.billing.post(
        "/payments/pes-retour",
        content=(SAMPLES / "pes_retour.xml").read_bytes(),
        headers={**XML, **FRENCH},
    )
    assert sample.status_code == 422  # s2low's sample is a dépense retour
    assert "PES_DepenseRetour" in sample.json()["detail"]


def test_overdue_titles_are_listed_with_their_age(service_app: Any) -> None:
    platform, _ = two_bordereaux(service_app)
    titles = titles_by_number(platform)
    check(platform.billing.post("/payments.csv", headers=CSV, content=csv(
        f"{YEAR};1;25/06/{YEAR};{french(to_cents(titles[1]['total']))};VIR-1")))  # fmt: skip
    platform.set_today(dt.date(YEAR, 6, 20))
    assert check(platform.billing.get("/payments/overdue")) == []
    platform.set_today(dt.date(YEAR, 8, 1))
    overdue = check(platform.billing.get("/payments/overdue"))
    assert sorted(o["reference"] for o in overdue) == sorted(
        titles[n]["reference"] for n in (2, 3, 4, 5, 6)
    )
    assert {o["age_days"] for o in overdue} == {61}
    member = sync_client(platform.billing_app, base_url="http://x",
                         headers=identity_headers(roles=("member",), kind="contact",
                                                  member="ludres"))  # fmt: skip
    assert member.get("/payments/overdue").status_code == 403


def test_each_member_sees_what_it_was_titled_paid_and_owes(service_app: Any) -> None:
    platform, _ = two_bordereaux(service_app)
    titles = titles_by_number(platform)
    ludres = [t for t in titles.values() if t["member_code"] == "ludres"]
    body = csv(f"{YEAR};{ludres[0]['number']};25/06/{YEAR};12,34;VIR-1")
    check(platform.billing.post("/payments.csv", content=body, headers=CSV))
    summary = {s["member_code"]: s for s in check(platform.billing.get("/payments/summary"))}
    assert sorted(summary) == ["laxou", "ludres", "nancy"]
    titled = sum(to_cents(t["total"]) for t in ludres)
    assert summary["ludres"]["titled"] == fmt(titled)
    assert summary["ludres"]["paid"] == "12.34"
    assert summary["ludres"]["outstanding"] == fmt(titled - 1234)
    member = sync_client(platform.billing_app, base_url="http://x",
                         headers=identity_headers(roles=("member",), kind="contact",
                                                  member="ludres"))  # fmt: skip
    own = check(member.get("/payments/summary"))
    assert [s["member_code"] for s in own] == ["ludres"]


def test_a_member_token_imports_no_payment_nor_acquit(service_app: Any) -> None:
    """Payments and acknowledgements are the DSIT's accounting of every member."""
    platform, _ = two_bordereaux(service_app)
    token = identity_headers(roles=("admin",), member="ludres")  # rights, one member
    body = csv(f"{YEAR};1;25/09/{YEAR};1,00;VIR-0001")
    paid = platform.billing.post("/payments.csv", content=body, headers={**CSV, **token})
    acked = platform.billing.post("/acquits", content=b"<x/>", headers={**XML, **token})
    assert (paid.status_code, acked.status_code) == (403, 403), (paid.text, acked.text)
    assert all(t["state"] != "paid" for t in platform.titles())
