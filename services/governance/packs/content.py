"""The pack's sections drawn from governance's own data: the period, the portfolio (new, late,
done), the workload plan against capacity, quality of service per member, decisions and
actions to follow. Values are plain JSON (dates ISO, decimals as strings, never floats)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from kit.french import fr_date
from kit.identity import Principal
from services.governance.decisions import repository as decisions
from services.governance.decisions import service as decision_service
from services.governance.fields import fmt_value
from services.governance.indicators import repository as indicators
from services.governance.indicators import service as indicator_service
from services.governance.models import Meeting, Project
from services.governance.packs import repository
from services.governance.plans import repository as plans
from services.governance.plans import service as plan_service
from services.governance.projects import repository as projects
from services.governance.projects import service as project_service

OPEN_PROJECTS = ("proposed", "active", "on_hold")


def plain(value: Any) -> Any:
    """JSON values that keep decimals exact (``jsonable_encoder`` would make them floats)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return fmt_value(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def period(session: Session, meeting: Meeting) -> dict[str, Any]:
    """From the day after the body's previous meeting (or the 1st of January of the meeting's
    year when there is none) to the meeting's day, both included."""
    previous = repository.previous_meeting(session, meeting)
    if previous is None:
        start = dt.date(meeting.held_on.year, 1, 1)
    else:
        start = min(previous.held_on + dt.timedelta(days=1), meeting.held_on)
    return {
        "from": start,
        "to": meeting.held_on,
        "previous": None
        if previous is None
        else {"id": previous.id, "title": previous.title, "held_on": previous.held_on},
    }


def _within(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def late_reasons(project: Project, as_of: dt.date) -> list[str]:
    """Why an open project is late on ``as_of``: its end date passed, or a milestone not met."""
    if project.status not in OPEN_PROJECTS:
        return []
    reasons = []
    if project.ends_on is not None and project.ends_on < as_of:
        reasons.append(f"fin prévue le {fr_date(project.ends_on)} dépassée")
    for milestone in project.milestones or []:
        due = milestone.get("due_on")
        if due and not milestone.get("done_on") and dt.date.fromisoformat(str(due)) < as_of:
            reasons.append(
                f"jalon « {milestone.get('name', '')} » prévu le {fr_date(str(due))} non atteint"
            )
    return reasons


def portfolio(
    session: Session, *, start: dt.date, end: dt.date, as_of: dt.date, names: dict[str, str]
) -> dict[str, Any]:
    """New: started in the period (or, without a start date, recorded in it); done: done with
    its end in the period (or, without an end date, last changed in it); late: open and past
    its end date or a milestone on the day the pack is generated."""
    rows = projects.list_page(session, limit=None, after=None, member=None)

    def read(project: Project, **extra: Any) -> dict[str, Any]:
        code = project.member_code
        return {
            **project_service.to_read(project),
            "member_name": names.get(code, code) if code else None,
            **extra,
        }

    new = [read(p) for p in rows if _within(p.starts_on or p.created_at.date(), start, end)]
    done = [
        read(p)
        for p in rows
        if p.status == "done" and _within(p.ends_on or p.updated_at.date(), start, end)
    ]
    late = [read(p, late=reasons) for p in rows if (reasons := late_reasons(p, as_of))]
    return {
        "by_status": dict(Counter(p.status for p in rows)),
        "new": new,
        "late": late,
        "done": done,
    }


def workload(session: Session, *, year: int, principal: Principal) -> dict[str, Any]:
    """The year's workload plan (every project counted, the DSIT sees them all), with the
    projects' names."""
    plan = project_service.workload_plan(session, year=year, principal=principal)
    plan["project_names"] = {
        p.code: p.name for p in projects.list_page(session, limit=None, after=None, member=None)
    }
    return plan


def _below_target(indicator: Any, value: Decimal | None) -> bool:
    if value is None or indicator.target is None:
        return False
    if indicator.direction == "down":
        return bool(value > indicator.target)
    return bool(value < indicator.target)


def quality(
    session: Session, *, start: dt.date, end: dt.date, names: dict[str, str]
) -> dict[str, Any]:
    """Per quality indicator, each member's latest value measured in the period and the overall
    one; ``below`` marks a value on the wrong side of the target."""
    listed = indicators.list_page(session, limit=None, after=None, category="quality")
    columns: list[dict[str, Any]] = []
    per_member: dict[str, dict[str, Any]] = {}
    for indicator in listed:
        rows = indicators.measurements(
            session, indicator.id, member=None, period_from=start, period_to=end
        )
        points = indicator_service.series(indicator, rows, with_members=True)
        latest: dict[str, tuple[str, Decimal]] = {}
        for point in points:
            for code, value in (point["member_values"] or {}).items():
                latest[code] = (point["period"], value)
        overall = points[-1]["value"] if points else None
        columns.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "direction": indicator.direction,
                "target": indicator.target,
                "overall": overall,
                "overall_below": _below_target(indicator, overall),
                "period": points[-1]["period"] if points else None,
            }
        )
        for code, (day, value) in latest.items():
            per_member.setdefault(code, {})[indicator.code] = {
                "value": value,
                "period": day,
                "below": _below_target(indicator, value),
            }
    members = [
        {"member_code": code, "name": names.get(code, code), "values": values}
        for code, values in sorted(per_member.items())
    ]
    return {"indicators": columns, "members": members}


def to_follow(
    session: Session, *, meeting: Meeting, as_of: dt.date, names: dict[str, str]
) -> dict[str, Any]:
    """Decisions still open that meetings held before this one took (any body), soonest due
    first, and the master-plan actions late."""
    rows = decisions.list_page(session, limit=None, after=None, member=None, still_open=True)
    open_ = [
        {
            **decision_service.to_read(d),
            "body_name": d.meeting.body.name,
            "member_name": names.get(d.member_code, d.member_code) if d.member_code else None,
            "overdue": decision_service.is_overdue(d, as_of),
        }
        for d in rows
        if d.meeting.held_on < meeting.held_on
    ]
    open_.sort(key=lambda d: (d["due_on"] is None, d["due_on"] or dt.date.max, d["id"]))
    late_actions = [
        plan_service.to_read(a)
        for a in plans.actions(session, member=None)
        if plan_service.is_late(a, as_of)
    ]
    return {"decisions": open_, "late_actions": late_actions}
