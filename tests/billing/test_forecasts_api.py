"""Forecast notifications (CGCT D5211-16): unit costs and forecast amounts, JSON and PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import select

from services.billing.forecasts.pdf import euro
from services.billing.forecasts.service import budget_deadline
from services.billing.models import ForecastNotice, RunMember
from tests.billing.test_documents_french import offences, pdf_text
from tests.billing.upstream import YEAR, Platform
from tests.conftest import as_contact


def test_a_forecast_notification_gives_unit_costs_and_amounts_by_section(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.worked_example()
    run = platform.run("forecast")
    notice = platform.billing.get(f"/runs/{run['id']}/members/ludres/forecast").json()
    assert notice["unit_costs"]["rate_per_workstation"] == "100.00000000"
    assert notice["unit_costs"]["workstations"] == 20
    assert notice["unit_costs"]["drivers"] == [
        {
            "driver_code": "storage_gb",
            "driver_label": "storage_gb",  # a driver without a description: its code
            "unit": "Go",
            "section": "operating",
            "unit_price": "5.00000000",
            "usage": "50",
        }
    ]
    assert notice["forecast"]["operating"]["amount"] == "2100.00"
    assert notice["forecast"]["operating"]["cap_reduction"] == "-250.00"
    assert notice["forecast"]["investment"]["amount"] == "333.33"
    assert notice["forecast"]["total"] == "2433.33"
    assert notice["budget_deadline"] == f"{YEAR}-04-15"
    assert notice["made_available_at"] == run["made_available_at"]


def test_the_notification_is_a_french_pdf_for_the_member(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.worked_example()
    run_id = platform.run("forecast")["id"]
    pdf = platform.billing.get(
        f"/runs/{run_id}/members/ludres/forecast.pdf", headers=as_contact("ludres")
    )
    other = platform.billing.get(
        f"/runs/{run_id}/members/nancy/forecast.pdf", headers=as_contact("ludres")
    )
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "notification-previsionnelle-2024-ludres.pdf" in pdf.headers["content-disposition"]
    assert other.status_code == 404


def test_a_final_run_has_no_forecast_notification(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.worked_example()
    run_id = platform.run("final")["id"]
    response = platform.billing.get(f"/runs/{run_id}/members/ludres/forecast")
    assert response.status_code == 409
    assert response.json()["type"] == "urn:mutualis:problem:not-a-forecast-run"


def test_the_budget_deadline_moves_to_30_april_in_a_council_renewal_year() -> None:
    assert budget_deadline(2026, [2020, 2026]) == dt.date(2026, 4, 30)
    assert budget_deadline(2025, [2020, 2026]) == dt.date(2025, 4, 15)


def test_amounts_are_written_the_french_way() -> None:
    assert euro("1234567.5") == "1\u202f234\u202f567,50 €"
    assert euro("-250.00") == "-250,00 €"
    assert euro("5.00000000") == "5,00000000 €"


def test_the_forecast_notice_names_its_drivers(service_app: Any) -> None:
    platform = Platform(service_app)
    platform.named_example()
    run = platform.run("forecast")
    notice = platform.billing.get(f"/runs/{run['id']}/members/ludres/forecast").json()
    labels = {d["driver_label"] for d in notice["unit_costs"]["drivers"]}
    assert labels == {"Comptes actifs des logiciels finances et RH", "Postes de travail gérés"}
    pdf = platform.billing.get(f"/runs/{run['id']}/members/ludres/forecast.pdf")
    text = " ".join(pdf_text(pdf.content).split())
    assert "Postes de travail gérés" in text
    assert offences(text, accents_kept=True) == []


def test_the_notification_is_archived_as_made_available_and_reads_the_same_later(
    service_app: Any,
) -> None:
    """CGCT D5211-16: what was notified is kept with its date and hash; a later change of the
    inputs or a new forecast never changes what the member was told."""
    platform = Platform(service_app)
    platform.worked_example()
    run = platform.run("forecast")
    first = platform.billing.get(f"/runs/{run['id']}/members/ludres/forecast").json()
    archived = first["archive"]
    assert archived is not None
    listed = platform.billing.get(
        "/forecast-notices", params={"fiscal_year": YEAR}, headers=as_contact("ludres")
    ).json()
    assert [(n["member_code"], n["sha256"]) for n in listed] == [("ludres", archived["sha256"])]
    with platform.billing_app.state.test_sessionmaker() as session:
        notice = session.scalars(
            select(ForecastNotice).where(
                ForecastNotice.run_id == run["id"], ForecastNotice.member_code == "ludres"
            )
        ).one()
        assert hashlib.sha256(notice.data).hexdigest() == archived["sha256"]
        # what the run says changes (a correction of its rows, say): the notice does not
        row = session.scalars(
            select(RunMember).where(
                RunMember.run_id == run["id"], RunMember.member_code == "ludres"
            )
        ).one()
        row.operating_invoiced_cents += 100_000
        session.commit()
    again = platform.billing.get(f"/runs/{run['id']}/members/ludres/forecast").json()
    assert again == first
    assert again["forecast"]["operating"]["amount"] == "2100.00"
    pdf = platform.billing.get(f"/runs/{run['id']}/members/ludres/forecast.pdf")
    assert archived["sha256"] in pdf_text(pdf.content).replace("\n", "")
