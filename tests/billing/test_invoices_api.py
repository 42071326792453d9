"""What finance systems pull: filtered lists with cursors and ETags, the change feed, exports,
and the imputations that can be configured per year and kind of debtor."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import YEAR
from tests.conftest import as_contact, assert_refused


def _issued(service_app: Any) -> TitlesPlatform:
    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    return platform


def test_lists_filter_page_with_a_cursor_and_honour_if_none_match(service_app: Any) -> None:
    platform = _issued(service_app)
    ids, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 4, "fiscal_year": YEAR}
        if cursor:
            params["cursor"] = cursor
        response = platform.billing.get("/invoices", params=params)
        page = response.json()
        ids += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
        assert 'rel="next"' in response.headers["Link"]
    assert len(ids) == len(set(ids)) == 6
    investment = platform.titles(section="investment", status="issued")
    assert {t["section"] for t in investment} == {"investment"}
    assert len(investment) == 3
    assert platform.titles(issued_since="2999-01-01T00:00:00Z") == []
    first = platform.billing.get("/invoices", params={"member_code": "ludres"})
    again = platform.billing.get(
        "/invoices",
        params={"member_code": "ludres"},
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304
    one = platform.billing.get(f"/invoices/{ids[0]}")
    cached = platform.billing.get(
        f"/invoices/{ids[0]}", headers={"If-None-Match": one.headers["ETag"]}
    )
    assert cached.status_code == 304


def test_the_feed_gives_each_change_once_to_a_client_that_keeps_its_cursor(
    service_app: Any,
) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue()
    seen: list[tuple[int, str, int]] = []
    after = 0

    def pull() -> None:
        nonlocal after
        while True:
            page = platform.billing.get(
                "/invoices/changes", params={"after": after, "limit": 2}
            ).json()
            seen.extend((c["seq"], c["event"], c["invoice"]["id"]) for c in page["items"])
            after = int(page["next_cursor"])
            if not page["has_more"]:
                return

    platform.issued(run_id, members=["ludres"])
    pull()
    platform.issued(run_id, members=["nancy", "laxou"])
    pull()
    pull()  # nothing new: nothing repeated
    ludres = platform.titles(member_code="ludres", section="operating")[0]
    body = {"kind": "reduction", "amount": "1.00", "reason": "Erreur matérielle de saisie",
            "lines": [{"line_kind": "payroll", "amount": "1.00"}]}  # fmt: skip
    platform.correct(ludres["id"], **body)
    pull()
    assert [s for s, _, _ in seen] == list(range(1, 9))
    issued = [i for _, e, i in seen if e == "issued"]
    assert len(issued) == len(set(issued)) == 7  # 6 titles and the reduction, once each
    assert seen[-1][1:] == ("corrected", ludres["id"])
    contact = platform.billing.get(
        "/invoices/changes", params={"after": 0}, headers=as_contact("laxou")
    ).json()
    assert {c["invoice"]["member_code"] for c in contact["items"]} == {"laxou"}


def test_a_years_titles_and_lines_export_as_csv_and_xlsx(service_app: Any) -> None:
    platform = _issued(service_app)
    response = platform.billing.get(f"/invoices/export/{YEAR}.csv", params={"header": "keys"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    labelled = platform.billing.get(f"/invoices/export/{YEAR}.csv").text.lstrip("\ufeff")
    assert labelled.startswith("Identifiant;Référence;Nature de la pièce;Statut;Exercice;")
    assert labelled.splitlines()[1:] == response.text.lstrip("\ufeff").splitlines()[1:]
    assert sorted((r["reference"], r["montant"]) for r in rows)[0] == (
        f"{YEAR}-01-000001",
        "333,34",  # a decimal comma: French spreadsheets read it as a number
    )
    assert len(rows) == 6
    assert {(r["nature_piece"], r["statut"], r["exercice"], r["budget"]) for r in rows} == {
        ("Titre", "Émis", str(YEAR), "01")
    }
    lines_csv = platform.billing.get(
        f"/invoices/export/{YEAR}.csv", params={"part": "lines", "header": "keys"}
    )
    lines = list(csv.DictReader(io.StringIO(lines_csv.text.lstrip("\ufeff")), delimiter=";"))
    ludres = [line for line in lines if line["membre"] == "ludres"]
    assert {line["bordereau"] for line in lines} == {"1"}
    assert {(line["section"], line["nature"]) for line in ludres} >= {("Fonctionnement", "70845")}
    assert all(line["siret_debiteur"] and line["piece"] for line in lines)
    assert sum(Decimal(line["montant_ligne"].replace(",", ".")) for line in lines) == 6550
    xlsx = platform.billing.get(f"/invoices/export/{YEAR}.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Titres", "Lignes"]
    header = [c.value for c in next(book["Titres"].iter_rows(max_row=1))]
    totals = [
        row[header.index("Montant")]
        for row in book["Titres"].iter_rows(min_row=2, values_only=True)
    ]
    assert sum(totals) == 6550  # invoiced total of the worked example
    mine = platform.billing.get(f"/invoices/export/{YEAR}.csv", headers=as_contact("nancy")).text
    assert "ludres" not in mine
    assert "nancy" in mine


def test_a_configured_imputation_is_used_by_the_next_titles(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue()
    response = platform.billing.put(
        f"/imputations/{YEAR}/commune/operating",
        json={"nature": "70876", "function": "020", "chapter": "70"},
    )
    assert response.status_code == 200, response.text
    listed = platform.billing.get(f"/imputations/{YEAR}").json()
    commune = {
        (i["line_kind"], i["nature"], i["source"]) for i in listed if i["debtor_kind"] == "commune"
    }  # noqa: E501
    assert commune == {
        ("payroll", "70845", "default"),
        ("operating", "70876", "configured"),
        ("investment", "13141", "default"),
    }
    platform.issued(run_id)
    nancy = platform.titles(member_code="nancy", section="operating")[0]
    natures = {a["nature"]: a["amount"] for a in nancy["content"]["imputation"]}
    assert natures == {"70845": "2500.00", "70876": "450.00"}  # 25 × 100.00, then the rest
    bad = platform.billing.put(
        f"/imputations/{YEAR}/commune/operating", json={"nature": "x", "function": "1",
                                                          "chapter": "70"}
    )  # fmt: skip
    assert_refused(bad, "nature")


def test_titles_list_newest_first_by_part_of_their_number_with_the_total(
    service_app: Any,
) -> None:
    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    page = platform.billing.get("/invoices", params={"order": "desc", "limit": 4}).json()
    ids = [t["id"] for t in page["items"]]
    assert ids == sorted(ids, reverse=True)
    assert page["total"] == 6
    rest = platform.billing.get(
        "/invoices", params={"order": "desc", "limit": 4, "cursor": page["next_cursor"]}
    ).json()
    every = [t["id"] for t in platform.titles()]
    assert [t["id"] for t in rest["items"]] == sorted(set(every) - set(ids), reverse=True)
    one = platform.billing.get("/invoices", params={"reference": "01-000003"}).json()
    assert [t["reference"] for t in one["items"]] == ["2024-01-000003"]
    assert one["total"] == 1
    assert platform.billing.get("/invoices", params={"reference": "%"}).json()["total"] == 0
