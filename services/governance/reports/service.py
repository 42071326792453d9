"""The annual report presented to the conference of mayors: finances (billing's own totals),
master-plan progress, activity and quality indicators, portfolio, bodies and GDPR."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from kit.identity import Principal
from services.governance.decisions import repository as decisions
from services.governance.decisions import service as decision_service
from services.governance.fields import fmt_value
from services.governance.gdpr import repository as gdpr
from services.governance.gdpr import service as gdpr_service
from services.governance.indicators import repository as indicators
from services.governance.indicators import service as indicator_service
from services.governance.meetings import repository as meetings
from services.governance.models import Breach, SubjectRequest
from services.governance.plans import repository as plans
from services.governance.plans import service as plan_service
from services.governance.projects import repository as projects
from services.governance.projects import service as project_service

FINANCE_FIELDS = (
    "payroll",
    "direct_operating",
    "indirect_operating",
    "operating",
    "cap_reduction",
    "operating_invoiced",
    "direct_investment",
    "indirect_investment",
    "investment",
)


def financial(
    billing: dict[str, Any] | None, names: dict[str, str], principal: Principal
) -> dict[str, Any] | None:
    """Billing's figures as billing gives them (strings, never recomputed here)."""
    if billing is None:
        return None
    run = billing["run"]
    rows = [
        {
            "member_code": m["member_code"],
            "name": names.get(m["member_code"], m["name"]),
            "is_host": m["is_host"],
            "invoiced": m["invoiced"],
            **{f: m[f] for f in FINANCE_FIELDS},
        }
        for m in billing["members"]
        if principal.member is None or m["member_code"] == principal.member
    ]
    recovery = [
        {**r, "name": names.get(r["member_code"], r["member_name"])}
        for r in billing.get("recovery") or []
        if principal.member is None or r["member_code"] == principal.member
    ]
    return {
        "run_id": run["id"],
        "snapshot_hash": run["snapshot_hash"],
        "finished_at": run["finished_at"],
        "totals": run["totals"] or {},
        "members": rows,
        # titled (net of reductions), paid (the comptable's recoveries) and outstanding, per
        # member, of the titles of the year's services (billing's GET /payments/summary)
        "recovery": recovery,
    }


def staffing_section(
    found: dict[str, Any] | None, names: dict[str, str], principal: Principal
) -> dict[str, Any] | None:
    """Each member's bill beside hiring its own IT staff, as billing computed it (a member's
    view: its own only)."""
    if found is None or found.get("unavailable"):
        return found
    return {
        "run": found["run"],
        "members": [
            {**item, "name": names.get(item["member_code"], item["name"])}
            for item in found.get("items") or []
            if principal.member is None or item["member_code"] == principal.member
        ],
    }


def _indicator_summary(session: Session, indicator: Any, year: int) -> dict[str, Any]:
    rows = indicators.measurements(
        session,
        indicator.id,
        member=None,
        period_from=dt.date(year, 1, 1),
        period_to=dt.date(year, 12, 31),
    )
    latest = indicator_service.latest(indicator, rows)
    return {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "baseline": None if indicator.baseline is None else fmt_value(indicator.baseline),
        "target": None if indicator.target is None else fmt_value(indicator.target),
        "latest": latest,
    }


def master_plans(session: Session, year: int, member: str | None) -> list[dict[str, Any]]:
    out = []
    for axis in plans.axes(session):
        actions = plans.actions(session, member=member, axis_id=axis.id)
        listed = indicators.list_page(session, limit=None, after=None, axis_id=axis.id)
        out.append(
            {
                **plan_service.axis_read(axis, actions, [i.code for i in listed]),
                "action_list": [plan_service.to_read(a) for a in actions],
                "indicator_list": [_indicator_summary(session, i, year) for i in listed],
            }
        )
    return out


def build_report(
    session: Session,
    *,
    year: int,
    principal: Principal,
    billing: dict[str, Any] | None,
    names: dict[str, str],
    staffing: dict[str, Any] | None = None,
) -> dict[str, Any]:
    member = principal.member
    held = meetings.in_year(session, year, member=member)
    taken = [
        decision_service.to_read(d)
        for m in held
        for d in decisions.of_meeting(session, m.id, member=member)
    ]
    portfolio = [
        {
            **project_service.to_read(p),
            "member_name": names.get(p.member_code, p.member_code) if p.member_code else None,
        }
        for p in projects.list_page(session, limit=None, after=None, member=member)
        if _active_in(p, year)
    ]
    activity = [
        _indicator_summary(session, i, year)
        for i in indicators.list_page(session, limit=None, after=None, category="activity")
    ]
    quality = [
        _indicator_summary(session, i, year)
        for i in indicators.list_page(session, limit=None, after=None, category="quality")
    ]
    breaches = [
        gdpr_service.to_read(b)
        for b in gdpr.list_page(session, Breach, limit=None, after=None, member=member)
        if b.aware_at.year == year
    ]
    requests = [
        gdpr_service.to_read(r)
        for r in gdpr.list_page(session, SubjectRequest, limit=None, after=None, member=member)
        if r.received_on.year == year
    ]
    return {
        "year": year,
        "scope": member,
        "generated_on": dt.date.today(),
        "financial": financial(billing, names, principal),
        "staffing": staffing_section(staffing, names, principal),
        "master_plans": master_plans(session, year, member),
        "activity": activity,
        "quality": quality,
        "portfolio": {
            "by_status": dict(Counter(p["status"] for p in portfolio)),
            "projects": portfolio,
        },
        "bodies": {
            "meetings": [
                {
                    "id": m.id,
                    "body_code": m.body.code,
                    "body_name": m.body.name,
                    "title": m.title,
                    "held_on": m.held_on,
                    "status": m.status,
                }
                for m in held
            ],
            "decisions": taken,
            "decisions_by_status": dict(Counter(d["status"] for d in taken)),
        },
        "gdpr": {
            "breaches": len(breaches),
            "breaches_notified_late": sum(
                1
                for b in breaches
                if "authority-notified-late" in b["flags"]
                or "authority-notification-overdue" in b["flags"]
            ),
            "requests": len(requests),
            "requests_late": sum(1 for r in requests if r["alert"] in ("overdue", "answered-late")),
        },
    }


def _active_in(project: Any, year: int) -> bool:
    starts = project.starts_on or dt.date.min
    ends = project.ends_on or dt.date.max
    return starts <= dt.date(year, 12, 31) and ends >= dt.date(year, 1, 1)
