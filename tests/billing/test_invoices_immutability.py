"""Issued titles never change: the API answers 409, and the model refuses updates too."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from kit.errors import Conflict
from services.billing.models import Invoice
from tests.billing.invoices_support import TitlesPlatform


def test_changing_or_deleting_an_issued_title_is_409(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue()
    title = platform.issued(run_id)["issued"][0]
    for method in ("PATCH", "PUT", "DELETE"):
        response = platform.billing.request(
            method, f"/invoices/{title['id']}", json={"total": "1.00"}
        )
        assert response.status_code == 409, method
        assert response.json()["type"] == "urn:mutualis:problem:invoice-immutable"
    assert platform.billing.get(f"/invoices/{title['id']}").json()["total"] == title["total"]


def test_issuing_the_run_again_changes_no_title(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue()
    first = {t["id"]: t for t in platform.issued(run_id)["issued"]}
    again = platform.issued(run_id)
    assert again["issued"] == []
    assert len(again["skipped"]) == 6
    for title in platform.titles():
        kept = first[title["id"]]
        assert (title["reference"], title["total"], title["content"]) == (
            kept["reference"],
            kept["total"],
            kept["content"],
        )


def test_the_model_refuses_an_update_of_an_issued_title(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue()
    title_id = platform.issued(run_id)["issued"][0]["id"]
    session: Session = platform.billing_app.state.test_sessionmaker()
    try:
        invoice = session.get(Invoice, title_id)
        assert invoice is not None
        invoice.total_cents += 100
        with pytest.raises(Conflict):
            session.flush()
    finally:
        session.rollback()
        session.close()
