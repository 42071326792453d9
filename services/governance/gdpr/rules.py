"""Pure GDPR computations: the 72-hour clock of a breach, the one-month deadline of a
request, the completeness of an art. 30.1 record and of art. 28.3 contract terms."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

BREACH_HOURS = 72
DUE_SOON_DAYS = 7
RECORD_FIELDS = (
    "purposes",
    "legal_basis",
    "data_subjects",
    "data_categories",
    "recipients",
    "retention",
    "security_measures",
)
ART28_TERMS = (
    "documented_instructions",
    "confidentiality",
    "security",
    "sub_processing_conditions",
    "data_subject_assistance",
    "compliance_assistance",
    "deletion_or_return",
    "audits",
)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def breach_clock(
    *,
    aware_at: dt.datetime,
    risk: str,
    controller_informed_at: dt.datetime | None,
    authority_notified_at: dt.datetime | None,
    people_informed_at: dt.datetime | None,
    now: dt.datetime,
) -> dict[str, Any]:
    """Art. 33: the authority is notified within 72 hours of awareness unless the breach is
    unlikely to result in a risk (``risk == "none"``); art. 34: people are informed when the
    risk is high. The processor informs the controller without undue delay (art. 33.2)."""
    deadline = aware_at + dt.timedelta(hours=BREACH_HOURS)
    flags = []
    if controller_informed_at is None:
        flags.append("controller-not-informed")
    if risk != "none":
        if authority_notified_at is None:
            flags.append(
                "authority-notification-overdue" if now > deadline else "authority-notification-due"
            )
        elif authority_notified_at > deadline:
            flags.append("authority-notified-late")
    if risk == "high_risk" and people_informed_at is None:
        flags.append("people-to-inform")
    remaining = None
    if risk != "none" and authority_notified_at is None:
        remaining = round((deadline - now).total_seconds() / 3600, 1)
    return {"deadline_at": deadline, "hours_remaining": remaining, "flags": flags}


def request_deadline(
    *, received_on: dt.date, extended: bool, answered_on: dt.date | None, today: dt.date
) -> dict[str, Any]:
    """Art. 12.3: one month from receipt, extendable by two further months."""
    due_on = add_months(received_on, 3 if extended else 1)
    if answered_on is not None:
        alert = "answered-late" if answered_on > due_on else None
    elif today > due_on:
        alert = "overdue"
    elif (due_on - today).days <= DUE_SOON_DAYS:
        alert = "due-soon"
    else:
        alert = None
    return {"due_on": due_on, "alert": alert}


def record_missing(record: dict[str, Any]) -> list[str]:
    """The art. 30.1 fields an entry still lacks (transfer safeguards when it transfers)."""
    missing = [f for f in RECORD_FIELDS if not record.get(f)]
    if record.get("transfers") and not record.get("transfer_safeguards"):
        missing.append("transfer_safeguards")
    return missing


def terms_missing(terms: dict[str, Any]) -> list[str]:
    return [t for t in ART28_TERMS if not terms.get(t)]
