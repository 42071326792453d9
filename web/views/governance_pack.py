"""View model of the strategic committee's pack (dossier du comité stratégique): the pack's
figures (a live preview, or those archived) with French labels, and the meeting page's
section saying whether the pack is archived."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from web.session import api
from web.views.format import date, euros, timestamp
from web.views.governance import (
    DECISION_STATUSES,
    PRIORITIES,
    PROJECT_STATUSES,
    ProjectRow,
    WorkloadRow,
)
from web.views.governance_labels import percent

GOV = "/api/governance"


async def pack_section(request: Request, meeting: dict[str, Any]) -> dict[str, Any] | None:
    """None for a meeting of a body that is not strategic; else whether its pack is archived
    (when, by whom, the SHA-256 of its documents)."""
    if meeting.get("level") != "strategic":
        return None
    answer = await api(request, "GET", f"{GOV}/meetings/{meeting['id']}/pack")
    if answer.status_code != 200:
        return {"archived": False, "cancelled": meeting.get("status") == "cancelled"}
    pack = answer.json()
    return {
        "archived": True,
        "cancelled": False,
        "generated_at": timestamp(pack["generated_at"]),
        "generated_by": pack["generated_by"],
        "period": f"du {date(pack['period_from'])} au {date(pack['period_to'])}",
        "html_sha256": pack["html_sha256"],
        "pdf_sha256": pack["pdf_sha256"],
    }


def _project(item: dict[str, Any]) -> dict[str, Any]:
    row = ProjectRow.of(item)
    return {
        "name": row.name,
        "member": item.get("member_name") or "Tous les adhérents",
        "status": PROJECT_STATUSES.get(item["status"], item["status"]),
        "priority": PRIORITIES.get(item["priority"], item["priority"]),
        "starts_on": row.starts_on or "—",
        "ends_on": row.ends_on or "—",
        "budget": row.budget or "—",
        "late": " ; ".join(item.get("late") or []),
    }


def _quality(quality: dict[str, Any]) -> dict[str, Any]:
    indicators = quality.get("indicators") or []

    def shown(value: Any, unit: str) -> str:
        if value is None:
            return "—"
        return percent(value) if unit == "%" else f"{value} {unit}"

    rows = []
    for member in quality.get("members") or []:
        cells = []
        for i in indicators:
            v = member["values"].get(i["code"])
            text = shown(v["value"], i["unit"]) if v else "—"
            cells.append({"text": text, "below": bool(v and v["below"])})
        rows.append({"name": member["name"], "cells": cells})
    return {
        "headers": [
            i["name"] + (f" (cible {shown(i['target'], i['unit'])})" if i.get("target") else "")
            for i in indicators
        ],
        "rows": rows,
        "overall": [
            {"text": shown(i["overall"], i["unit"]), "below": i["overall_below"]}
            for i in indicators
        ],
    }


def _budget(budget: dict[str, Any]) -> dict[str, Any]:
    amounts = ("forecast", "final", "titled", "paid", "outstanding")
    return {
        "year": budget["year"],
        "final_run_id": budget.get("final_run_id"),
        "rows": [
            {
                "member_code": r["member_code"],
                "name": r["name"],
                "calendar": r["calendar"],
                **{k: euros(r[k]) or "—" for k in amounts},
                "remarks": " ".join(r["remarks"]),
            }
            for r in budget["members"]
        ],
        "totals": {k: euros(budget["totals"][k]) for k in amounts},
    }


def pack_view(figures: dict[str, Any]) -> dict[str, Any]:
    period = figures["period"]
    previous = period.get("previous")
    portfolio = figures["portfolio"]
    follow = figures["follow_up"]
    return {
        "period": f"du {date(period['from'])} au {date(period['to'])}",
        "since": (
            f"depuis la séance précédente du {date(previous['held_on'])} ({previous['title']})"
            if previous
            else "depuis le début de l'année : pas de séance précédente de cette instance"
        ),
        "generated_at": timestamp(figures["generated_at"]),
        "by_status": ", ".join(
            f"{PROJECT_STATUSES.get(s, s).lower()} : {n}" for s, n in portfolio["by_status"].items()
        ),
        "new": [_project(p) for p in portfolio["new"]],
        "late": [_project(p) for p in portfolio["late"]],
        "done": [_project(p) for p in portfolio["done"]],
        "workload_year": figures["workload"]["year"],
        "workload": [
            WorkloadRow.of(c, figures["workload"].get("project_names"))
            for c in figures["workload"]["cells"]
        ],
        "quality": _quality(figures["quality"]),
        "budget": _budget(figures["budget"]),
        "decisions": [
            {
                "where": f"{d['body_name']}, {date(d['held_on'])}",
                "number": d["number"],
                "title": d["title"],
                "owner": d["owner"],
                "due_on": date(d.get("due_on")) or "—",
                "status": DECISION_STATUSES.get(d["status"], d["status"]),
                "overdue": d["overdue"],
            }
            for d in follow["decisions"]
        ],
        "late_actions": [
            {
                "axis": a["axis_name"],
                "title": a["title"],
                "owner": a["owner"],
                "ends_on": date(a.get("ends_on")),
                "progress": f"{a['progress']} %",
            }
            for a in follow["late_actions"]
        ],
    }
