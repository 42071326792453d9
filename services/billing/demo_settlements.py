"""Demo data: two communes settle their 2026 contribution through their attribution de
compensation (CGCT L5211-4-2), each by a deliberation of its council. Amounts and deliberation
numbers are FICTIONAL (données fictives)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from services.billing.models import CompensationSettlement

YEAR = 2026
# (code, name, deliberation, voted on, fixed deduction in cents: its 2023 scale, fictional)
CHOICES = (
    ("ludres", "Ludres", "n° 2026-007", dt.date(2026, 2, 9), 76 * 66_000),
    ("houdemont", "Houdemont", "n° 2026-004", dt.date(2026, 2, 16), 31 * 66_000),
)


def load(session: Session) -> None:
    """Add the demo choices (called by ``demo.load`` on an empty database)."""
    for code, name, ref, voted_on, cents in CHOICES:
        session.add(
            CompensationSettlement(
                fiscal_year=YEAR,
                member_code=code,
                member_name=name,
                deliberation_ref=ref,
                deliberated_on=voted_on,
                deliberating_body=f"Conseil municipal de {name}",
                basis="amount",
                deducted_cents=cents,
                recorded_by="demo",
            )
        )
