"""The forecast notification of a member (CGCT art. D5211-16): unit costs and forecast amount,
made available before the member votes its budget (BP: 15 April, 30 April in a renewal year)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.billing.engine.money import fmt
from services.billing.forecasts import archive
from services.billing.models import ForecastNotice, Run, RunMember

LEGAL_BASIS = "CGCT, art. D5211-16 (services communs, remboursement des frais de fonctionnement)"


def budget_deadline(fiscal_year: int, renewal_years: list[int]) -> dt.date:
    """Last day to vote the BP of ``fiscal_year`` (L1612-2 CGCT)."""
    return dt.date(fiscal_year, 4, 30 if fiscal_year in renewal_years else 15)


def _usage_by_pool(row: RunMember) -> dict[str, str]:
    return {
        line["basis"]["pool"]: line["basis"]["usage"]
        for line in row.lines
        if line["kind"] == "indirect"
    }


def notification(
    run: Run, row: RunMember, *, renewal_years: list[int], notice: ForecastNotice | None = None
) -> dict[str, Any]:
    """What the member is told: the archived notification when there is one (the words and
    figures notified, with its hash), else the run's (a forecast made available before the
    archive existed); the BP deadline and whether it was met, per the current settings."""
    deadline = budget_deadline(run.fiscal_year, renewal_years)
    if notice is not None:
        content = archive.content_of(notice)
        available: dt.datetime | None = notice.made_available_at
        content["archive"] = archive.archive_read(notice)
    else:
        content = notified_content(run, row)
        available = run.made_available_at
        content["archive"] = None
    return {
        **content,
        "made_available_at": available,
        "budget_deadline": deadline,
        "in_time": available is not None and available.date() <= deadline,
    }


def notified_content(run: Run, row: RunMember) -> dict[str, Any]:
    """The notification as it is archived: everything but what the settings decide later."""
    usage = _usage_by_pool(row)
    payroll = run.payroll or {}
    return {
        "run_id": run.id,
        "fiscal_year": run.fiscal_year,
        "member_code": row.member_code,
        "member_name": row.name,
        "invoiced": row.invoiced,
        "legal_basis": LEGAL_BASIS,
        "unit_costs": {
            "rate_per_workstation": payroll.get("rate_per_workstation"),
            "workstations": row.workstations,
            "total_workstations": payroll.get("total_workstations"),
            "drivers": [
                {
                    "driver_code": pool["driver_code"],
                    # the catalogue's name the run carried (older runs: the code)
                    "driver_label": pool.get("driver_label") or pool["driver_code"],
                    "unit": pool["unit"],
                    "section": pool["section"],
                    "unit_price": pool["unit_price"],
                    "usage": usage.get(pool["pool"], "0"),
                }
                for pool in run.pools or []
            ],
        },
        "forecast": {
            "operating": {
                "payroll": fmt(row.payroll_cents),
                "direct": fmt(row.direct_operating_cents),
                "indirect": fmt(row.indirect_operating_cents),
                "before_cap": fmt(row.operating_cents),
                "cap_reduction": fmt(row.cap_reduction_cents),
                "amount": fmt(row.operating_invoiced_cents),
            },
            "investment": {
                "direct": fmt(row.direct_investment_cents),
                "indirect": fmt(row.indirect_investment_cents),
                "amount": fmt(row.investment_cents),
            },
            "total": fmt(row.operating_invoiced_cents + row.investment_cents),
        },
        "cap": row.cap,
    }
