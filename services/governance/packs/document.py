"""The pack as a document: HTML (styles embedded, no remote resource) and PDF (weasyprint,
imported inside ``documents.render_pdf``), in French."""

from __future__ import annotations

from typing import Any

from kit.french import fr_date, team_label
from services.governance import documents

PROJECT_LABELS = {
    "proposed": "proposé",
    "active": "en cours",
    "on_hold": "suspendu",
    "done": "terminé",
    "cancelled": "abandonné",
}
PRIORITIES = {"low": "basse", "medium": "moyenne", "high": "haute", "critical": "critique"}
DECISION_STATUSES = {
    "open": "ouverte",
    "in_progress": "en cours",
    "done": "réalisée",
    "cancelled": "abandonnée",
}
ACTION_STATUSES = {
    "planned": "prévue",
    "in_progress": "en cours",
    "done": "terminée",
    "suspended": "suspendue",
    "cancelled": "abandonnée",
}


def quarter(code: str) -> str:
    """``2025-Q1`` → ``1er trimestre 2025``."""
    year, _, number = code.partition("-Q")
    if not number:
        return code
    return f"{number}{'er' if number == '1' else 'e'} trimestre {year}"


def html(figures: dict[str, Any]) -> str:
    return documents.render_html(
        "strategic_pack.html",
        p=figures,
        day=fr_date,
        quarter=quarter,
        team=team_label,
        projects=PROJECT_LABELS,
        priorities=PRIORITIES,
        decision_statuses=DECISION_STATUSES,
        action_statuses=ACTION_STATUSES,
    )


def html_bytes(figures: dict[str, Any]) -> bytes:
    return html(figures).encode("utf-8")


def pdf_bytes(html_document: bytes) -> bytes:
    return documents.render_pdf(html_document.decode("utf-8"))
