"""The payroll share's workstation count and a workstations driver count different things:
the run's explanation and the notice say so in one French sentence."""

from __future__ import annotations

from typing import Any

from services.billing.engine.workstations import french_number, workstations_note
from tests.billing.invoices_support import TitlesPlatform
from tests.billing.test_documents_french import pdf_text

PAYROLL = {"kind": "payroll", "basis": {"workstations": 76}}


def indirect(driver: str, unit: str, usage: str, label: str = "") -> dict[str, Any]:
    basis = {"driver_code": driver, "unit": unit, "usage": usage, "driver_label": label}
    return {"kind": "indirect", "basis": basis}


def test_the_sentence_names_both_counts_and_what_each_counts() -> None:
    note = workstations_note([PAYROLL, indirect("workstations", "postes", "47", "Postes gérés")])
    assert note is not None
    assert note.startswith("Les 76 postes de travail de la quote-part de masse salariale")
    assert "déclarés au registre" in note
    assert "« Postes gérés » compte 47 postes, mesurés par la DSIT dans son inventaire" in note
    assert note.count(".") == 1  # one sentence


def test_a_driver_in_postes_counts_whatever_its_code_and_other_drivers_do_not() -> None:
    assert workstations_note([PAYROLL, indirect("parc", "postes", "3")]) is not None
    assert workstations_note([PAYROLL, indirect("storage_gb", "Go", "300")]) is None
    assert workstations_note([indirect("workstations", "postes", "47")]) is None  # no payroll


def test_counts_are_written_the_french_way() -> None:
    assert french_number("1100") == "1\u202f100"
    assert french_number("47.50") == "47,5"


def test_the_explanation_and_the_notice_carry_the_sentence(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue(example=platform.named_example)
    explained = platform.billing.get(f"/runs/{run_id}/members/ludres/explain").json()
    (note,) = explained["notes"]
    assert "Les 76 postes de travail" in note
    assert "compte 47 postes" in note
    platform.issued(run_id)
    ludres = next(t for t in platform.titles(member_code="ludres") if t["section"] == "operating")
    text = " ".join(
        pdf_text(platform.billing.get(f"/invoices/{ludres['id']}/asap.pdf").content).split()
    )
    assert "Les 76 postes de travail de la quote-part de masse salariale" in text
    assert "compte 47 postes" in text
    nothing = platform.billing.get(f"/runs/{run_id}/members/grand-nancy/explain").json()
    assert nothing["notes"]  # the host has both too
