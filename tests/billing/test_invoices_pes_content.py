"""What the PES says, as the comptable reads it: French line labels, names and addresses cut at
word boundaries over the fields Hélios gives, and issuer settings checked at start-up."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree
from pydantic import ValidationError

from services.billing.invoices.pes import split_words
from services.billing.invoices.settings import IssuerSettings
from tests.billing.invoices_support import TitlesPlatform

NS = {"n": "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller"}
ENGLISH = ("PAYROLL", "OPERATING", "INVESTMENT ", "NATURE ", "SECTION DE INVESTISSEMENT")


def test_names_and_addresses_are_cut_at_word_boundaries() -> None:
    name = "Syndicat intercommunal à vocation multiple de la région de Nancy"
    assert split_words(name, 38, 38) == [
        "SYNDICAT INTERCOMMUNAL A VOCATION",
        "MULTIPLE DE LA REGION DE NANCY",
    ]
    assert split_words("Ludres", 38, 38) == ["LUDRES"]
    assert split_words("x" * 45, 38, 38) == ["X" * 38, "X" * 7]  # a word longer than a field


def test_pes_line_labels_are_french(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    result = platform.issued(platform.ready_to_issue())
    (bordereau,) = result["bordereaux"]
    xml = platform.billing.get(f"/bordereaux/{bordereau['id']}/pes.xml").content
    root = etree.fromstring(xml)
    labels = [e.get("V") for e in root.iterfind(".//ObjLignePce", NS)]
    objects = [e.get("V") for e in root.iterfind(".//ObjPce", NS)]
    assert labels
    assert any("QUOTE-PART DE MASSE SALARIALE 2024 COMPTE" in label for label in labels)
    assert any("SECTION D'INVESTISSEMENT" in o for o in objects)
    for value in labels + objects:
        assert not any(word in value for word in ENGLISH), value


def test_a_wrong_issuer_siret_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MUTUALIS_BILLING_ISSUER_SIRET", "12345678900012")
    with pytest.raises(ValidationError, match="not a valid SIRET"):
        IssuerSettings()
    monkeypatch.setenv("MUTUALIS_BILLING_ISSUER_SIRET", "12345678200010")
    monkeypatch.setenv("MUTUALIS_BILLING_ISSUER_ACCOUNTANT_ID", "54")
    with pytest.raises(ValidationError, match="accountant_id"):
        IssuerSettings()


def test_deliberations_read_as_french() -> None:
    from services.billing.invoices.pdf import deliberation, long_date

    assert long_date("2023-09-25") == "25 septembre 2023"
    assert long_date("2024-03-01") == "1er mars 2024"
    assert deliberation("Délibération n°5 du 25 septembre 2023", "2023-09-25") == (
        "Délibération n°5 du 25 septembre 2023"
    )
    assert deliberation("n° 2017-42", "2017-07-13") == "délibération n° 2017-42 du 13 juillet 2017"
    assert deliberation(None, "2017-07-13") == "délibération du 13 juillet 2017"
    assert deliberation("DCM-12", None) == "délibération DCM-12"


def test_a_reduction_notice_asks_for_no_payment_and_is_not_executory(service_app: Any) -> None:
    from services.billing.invoices.pdf import html
    from services.billing.models import Invoice

    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    laxou = next(t for t in platform.titles(member_code="laxou") if t["section"] == "operating")
    reduction = platform.correct(
        laxou["id"], kind="reduction", amount="20.00", reason="Erreur matérielle sur les postes"
    )
    assert reduction.status_code == 201, reduction.text
    with platform.billing_app.state.test_sessionmaker() as session:
        stored = session.get(Invoice, reduction.json()["id"])
        original = session.get(Invoice, laxou["id"])
        text = html(stored, original)
        title_text = html(original)
    assert "Aucun paiement n'est demandé" in text
    assert "Modalités de paiement" not in text
    assert original.content["executory_wording"] not in text
    assert "Modalités de paiement" in title_text  # the title itself still says how to pay


def test_the_notice_says_where_the_ecretement_is_booked_in_french(service_app: Any) -> None:
    from services.billing.invoices.pdf import html
    from services.billing.models import Invoice

    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    ludres = next(t for t in platform.titles(member_code="ludres") if t["section"] == "operating")
    with platform.billing_app.state.test_sessionmaker() as session:
        text = html(session.get(Invoice, ludres["id"]))
    assert "L'écrêtement est déduit des comptes par ordre de montant" in text
    assert "coût réparti" in text
    assert " pool " not in text
    assert 'class="total-table"' in text  # kept with what it adds up (break-before: avoid)
