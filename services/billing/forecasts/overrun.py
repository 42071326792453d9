"""A member's final amount beside its notified forecast (CGCT D5211-16): beyond a configured
share (``MUTUALIS_BILLING_FORECAST_OVERRUN_PERCENT``, 5 % by default) its budget may need a
decision modificative (DM). Read by issuing (a warning) and by the member's dashboard."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.billing.engine.money import fmt
from services.billing.invoices import repository
from services.billing.models import Run, RunMember


def notified_forecast(session: Session, fiscal_year: int) -> Run | None:
    """The last forecast of the year made available to the members."""
    made = repository.forecasts_made_available(session, fiscal_year)
    return made[-1] if made else None


def total(row: RunMember) -> int:
    return row.operating_invoiced_cents + row.investment_cents


def comparison(
    forecast: Run, notified: RunMember | None, final: RunMember, percent: int
) -> dict[str, Any] | None:
    """The final amount beside the forecast notified to the member, or None without one."""
    if notified is None:
        return None
    before, after = total(notified), total(final)
    excess = (after - before) * 100 / before if before else None
    exceeds = after * 100 > before * (100 + percent)
    return {
        "forecast_run_id": forecast.id,
        "made_available_at": forecast.made_available_at,
        "forecast": fmt(before),
        "final": fmt(after),
        "difference_percent": f"{excess:.1f}" if excess is not None else None,
        "threshold_percent": percent,
        "dm_may_be_needed": exceeds,
        "detail": (
            f"Le montant définitif de {final.name} ({fmt(after)} €) dépasse sa prévision "
            f"notifiée ({fmt(before)} €) de plus de {percent} % : une décision modificative "
            "de son budget peut être nécessaire."
            if exceeds
            else ""
        ),
    }


def member_comparison(
    session: Session, run: Run, row: RunMember, percent: int
) -> dict[str, Any] | None:
    """For a final run's member: its amount beside the forecast it was notified."""
    if run.kind != "final":
        return None
    forecast = notified_forecast(session, run.fiscal_year)
    if forecast is None:
        return None
    notified = repository.run_member(session, forecast.id, row.member_code)
    return comparison(forecast, notified, row, percent)


def forecast_overruns(
    session: Session, run: Run, rows: list[RunMember], percent: int
) -> list[dict[str, Any]]:
    """The members whose final amount exceeds their notified forecast by more than
    ``percent`` %: their budget may need a decision modificative."""
    forecast = notified_forecast(session, run.fiscal_year)
    if forecast is None:
        return []
    notified = {r.member_code: r for r in repository.run_members(session, forecast.id, None)}
    out = []
    for row in rows:
        found = comparison(forecast, notified.get(row.member_code), row, percent)
        if found and found["dm_may_be_needed"]:
            out.append({"member_code": row.member_code, "member_name": row.name, **found})
    return out
