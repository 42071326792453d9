"""The annual report as the web page shows it: every figure French, every code a label."""

from __future__ import annotations

from typing import Any

from web.views.format import date, euros
from web.views.governance import ACTION_STATUSES, PHASES, PRIORITIES, PROJECT_STATUSES
from web.views.governance_labels import value_label
from web.views.staffing_comparison import staffing_report

FINANCE_ROWS = (
    ("payroll", "Masse salariale répartie"),
    ("operating", "Fonctionnement avant plafonnement"),
    ("cap_reduction", "Écrêtement (plafonnement)"),
    ("operating_invoiced", "Fonctionnement après plafonnement"),
    ("investment", "Investissement"),
    ("host_share", "Part de la Métropole (hôte, non facturée)"),
    ("invoiced_total", "Total refacturé aux adhérents"),
)


def indicator(i: dict[str, Any], nature: str = "") -> dict[str, str]:
    unit = i.get("unit") or ""
    return {
        "name": i["name"],
        "nature": nature,
        "baseline": value_label(i.get("baseline"), unit),
        "latest": value_label((i.get("latest") or {}).get("value"), unit),
        "target": value_label(i.get("target"), unit),
    }


def annual_report_view(r: dict[str, Any]) -> dict[str, Any]:
    financial = r.get("financial")
    return {
        "generated_on": date(r.get("generated_on")),
        "financial": financial
        and {
            "run_id": financial["run_id"],
            "totals": [
                (label, euros((financial.get("totals") or {}).get(key)) or "—")
                for key, label in FINANCE_ROWS
            ],
            "members": [
                {
                    "name": m["name"] + (" (hôte)" if m.get("is_host") else ""),
                    **{
                        k: euros(m.get(k))
                        for k in ("payroll", "operating", "cap_reduction", "operating_invoiced")
                    },
                    "investment": euros(m.get("investment")),
                }
                for m in financial.get("members") or []
            ],
            "recovery": [
                {
                    "name": m["name"],
                    **{k: euros(m.get(k)) for k in ("titled", "paid", "outstanding")},
                }
                for m in financial.get("recovery") or []
            ],  # fmt: skip
        },
        "axes": [
            {
                "position": a["position"],
                "name": a["name"],
                "summary": f"{a['actions']} action{'s' if a['actions'] > 1 else ''}, dont "
                f"{a['actions_done']} terminée{'s' if a['actions_done'] > 1 else ''} — "
                f"avancement moyen {a['progress']}\u00a0%",
                "progress": a["progress"],
                "actions": [
                    {
                        "title": x["title"],
                        "owner": x["owner"],
                        "status": ACTION_STATUSES.get(x["status"], x["status"]),
                        "progress": x["progress"],
                        "ends_on": date(x.get("ends_on")) or "—",
                    }
                    for x in a.get("action_list") or []
                ],
                "indicators": [indicator(i) for i in a.get("indicator_list") or []],
            }
            for a in r.get("master_plans") or []
        ],
        "indicators": [indicator(i, "Activité") for i in r.get("activity") or []]
        + [indicator(i, "Qualité de service") for i in r.get("quality") or []],
        "projects": [
            {
                "name": p["name"],
                "member": p.get("member_name") or "mutualisé",
                "phase": PHASES.get(p["phase"], p["phase"]),
                "status": PROJECT_STATUSES.get(p["status"], p["status"]),
                "priority": PRIORITIES.get(p["priority"], p["priority"]),
                "budget": euros(p.get("budget")) or "—",
            }
            for p in (r.get("portfolio") or {}).get("projects") or []
        ],
        "meetings": [
            {"held_on": date(m["held_on"]), "body": m["body_name"], "title": m["title"]}
            for m in (r.get("bodies") or {}).get("meetings") or []
        ],
        "decisions": len((r.get("bodies") or {}).get("decisions") or []),
        "gdpr": r.get("gdpr") or {},
        "staffing": staffing_report(r.get("staffing")),
    }
