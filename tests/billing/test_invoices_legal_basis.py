"""The legal basis of a title follows its debtor's kind (configurable, documented defaults), and
every title cites the debtor's own adhesion deliberation — without it, it is not issued and the
answer says what to record."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from services.billing.invoices.deps import issuer_settings
from services.billing.invoices.legal import DEFAULT_LEGAL_BASIS
from services.billing.invoices.pdf import html
from services.billing.invoices.settings import IssuerSettings
from services.billing.models import Invoice
from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import YEAR, check


def kinds_platform(service_app: Any) -> tuple[TitlesPlatform, int]:
    platform = TitlesPlatform(service_app)
    platform.member("grand-nancy", host=True)
    platform.member("ludres")
    platform.member("ccas-nancy", kind="ccas")
    platform.member("sivu-jericho", kind="syndicat")
    platform.member("opera", kind="other")
    platform.member("sis", kind="syndicat", adhesion=False)
    members = ("ludres", "ccas-nancy", "sivu-jericho", "opera", "sis")
    for code in ("grand-nancy", *members):
        platform.workstations(code, 10)
    platform.cost_line("sig", "1000.00", weights=dict.fromkeys(members, "1"))
    platform.parameters("1000.00")
    for code in members:
        platform.bp(code, f"{YEAR}-03-15")
    platform.forecast_made_available(f"{YEAR}-03-01")
    run = platform.run("final")
    assert run["status"] == "succeeded", run
    return platform, int(run["id"])


def test_each_kind_of_debtor_gets_its_own_legal_basis(service_app: Any) -> None:
    platform, run_id = kinds_platform(service_app)
    result = check(platform.issue(run_id))
    texts = {
        t["member_code"]: t["content"]["legal_basis"]["texts"]
        for t in result["issued"]
        if t["section"] == "operating"
    }
    assert texts["ludres"] == DEFAULT_LEGAL_BASIS["commune"]
    assert texts["ccas-nancy"] == DEFAULT_LEGAL_BASIS["ccas"]
    assert texts["sivu-jericho"] == DEFAULT_LEGAL_BASIS["syndicat"]
    assert texts["opera"] == DEFAULT_LEGAL_BASIS["other"]
    # the service commun is never claimed for a syndicate nor for the opera
    for code in ("sivu-jericho", "opera"):
        assert not any("L5211-4-2" in t for t in texts[code]), code
    assert any("L5211-4-2" in t for t in texts["ccas-nancy"])


def test_a_member_without_its_adhesion_deliberation_is_refused_saying_what_to_record(
    service_app: Any,
) -> None:
    platform, run_id = kinds_platform(service_app)
    result = check(platform.issue(run_id))
    refused = [s for s in result["skipped"] if s["member_code"] == "sis"]
    assert {s["reason"] for s in refused} == {"adhesion-deliberation-missing"}
    assert "Enregistrez au registre le numéro et la date de la délibération" in refused[0]["detail"]
    assert "Sis" in refused[0]["detail"]
    assert platform.titles(member_code="sis") == []
    # recorded, the member's title is issued and cites it
    platform.adhere("sis", "2023-10-12")
    again = check(platform.issue(run_id, members=["sis"]))
    assert [t["member_code"] for t in again["issued"]] == ["sis"]
    with platform.billing_app.state.test_sessionmaker() as session:
        text = html(session.get(Invoice, again["issued"][0]["id"]))
    assert "Adhésion du débiteur : délibération n° " in text
    assert "12 octobre 2023" in text


def test_the_table_is_configurable_and_checked_at_start_up(service_app: Any) -> None:
    platform, run_id = kinds_platform(service_app)
    custom = {**DEFAULT_LEGAL_BASIS, "syndicat": ["Convention de prestation du 1er mars 2021"]}
    platform.billing_app.dependency_overrides[issuer_settings] = lambda: IssuerSettings(
        legal_basis=custom
    )
    result = check(platform.issue(run_id, members=["sivu-jericho"]))
    assert result["issued"][0]["content"]["legal_basis"]["texts"] == custom["syndicat"]
    with pytest.raises(ValidationError, match="'other' entry"):
        IssuerSettings(legal_basis={"commune": ["x"]})
    with pytest.raises(ValidationError, match="one text at least"):
        IssuerSettings(legal_basis={**DEFAULT_LEGAL_BASIS, "ccas": []})
