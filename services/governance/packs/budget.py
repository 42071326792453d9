"""The pack's budget follow-up per member: forecast notified, final amount, titled and paid
(billing's figures, as strings, never recomputed but for adding two of billing's sections), set
against the member's budget calendar (registry): "budget voté le …, prévision notifiée le …"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kit.french import fr_date
from services.governance.documents import euro
from services.governance.packs.upstream import total

AMOUNTS = ("forecast", "final", "titled", "paid", "outstanding", "overdue")


def calendar_text(calendar: dict[str, Any] | None, notified_at: str | None) -> str:
    """``budget voté le 15/03/2024, DM votées le 20/06/2024, prévision notifiée le 01/03/2024``."""
    calendar = calendar or {}
    parts = []
    if calendar.get("bp_voted_on"):
        parts.append(f"budget voté le {fr_date(calendar['bp_voted_on'])}")
    else:
        parts.append("date du vote du budget non renseignée")
    if calendar.get("bs_voted_on"):
        parts.append(f"budget supplémentaire voté le {fr_date(calendar['bs_voted_on'])}")
    dms = calendar.get("dm_dates") or []
    if dms:
        label = "décision modificative votée" if len(dms) == 1 else "décisions modificatives votées"
        parts.append(f"{label} le " + ", ".join(fr_date(d) for d in dms))
    if notified_at:
        parts.append(f"prévision notifiée le {fr_date(notified_at)}")
    else:
        parts.append("aucune prévision notifiée")
    return ", ".join(parts)


def remarks(row: dict[str, Any], calendar: dict[str, Any] | None) -> list[str]:
    """What the committee should notice on the member's line."""
    out = []
    voted = (calendar or {}).get("bp_voted_on")
    notified = row["forecast_notified_on"]
    if voted and notified and notified > voted:
        out.append("Prévision notifiée après le vote du budget primitif.")
    if row["forecast"] is not None and row["final"] is not None:
        excess = Decimal(row["final"]) - Decimal(row["forecast"])
        if excess > 0:
            out.append(
                f"Montant définitif supérieur de {euro(excess)} à la prévision notifiée : "
                "une décision modificative peut être nécessaire."
            )
    if row["overdue"] not in (None, "0.00"):
        out.append("Titres échus restant à recouvrer.")
    return out


def follow_up(sources: dict[str, Any], year: int) -> dict[str, Any]:
    """One row per member with a calendar or a figure of ``year``, and the column totals."""
    final = sources.get("final")
    names: dict[str, str] = sources.get("names") or {}
    finals = {m["member_code"]: m for m in (final or {}).get("members") or [] if m["invoiced"]}
    recovery = {r["member_code"]: r for r in (final or {}).get("recovery") or []}
    forecasts: dict[str, dict[str, Any]] = sources.get("forecasts") or {}
    calendars: dict[str, dict[str, Any]] = sources.get("calendars") or {}
    rows = []
    for code in sorted(set(finals) | set(recovery) | set(forecasts) | set(calendars)):
        calendar = calendars.get(code)
        forecast = forecasts.get(code) or {}
        paid = recovery.get(code) or {}
        notified_at = forecast.get("notified_at")
        row: dict[str, Any] = {
            "member_code": code,
            "name": names.get(code) or (finals.get(code) or {}).get("name") or code,
            "bp_voted_on": (calendar or {}).get("bp_voted_on"),
            "bs_voted_on": (calendar or {}).get("bs_voted_on"),
            "dm_dates": list((calendar or {}).get("dm_dates") or []),
            "forecast": forecast.get("amount"),
            "forecast_notified_on": notified_at[:10] if notified_at else None,
            "final": total(finals[code]) if code in finals else None,
            **{k: paid.get(k) for k in ("titled", "paid", "outstanding", "overdue")},
            "calendar": calendar_text(calendar, notified_at),
        }
        row["remarks"] = remarks(row, calendar)
        rows.append(row)
    totals = {
        k: f"{sum((Decimal(r[k]) for r in rows if r[k] is not None), Decimal(0)):.2f}"
        for k in AMOUNTS
    }
    return {
        "year": year,
        "final_run_id": (final or {}).get("run", {}).get("id"),
        "members": rows,
        "totals": totals,
    }
