"""The mails in French, plain text and HTML, from the Jinja templates of ``templates/``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.registry.notifications.kinds import KINDS

PARIS = ZoneInfo("Europe/Paris")
SECTIONS = {"operating": "fonctionnement", "investment": "investissement"}
CORRECTIONS = {
    "reduction": "Réduction",
    "cancellation": "Annulation",
    "complementary": "Titre complémentaire",
    "mandate": "Proposition de mandat",
}
DEADLINES = {
    "notice": "dernier jour pour dénoncer la convention",
    "renewal": "reconduction tacite",
    "expiry": "fin de la convention",
}
GDPR_REQUESTS = {
    "access": "droit d'accès",
    "rectification": "rectification",
    "erasure": "effacement",
    "restriction": "limitation",
    "portability": "portabilité",
    "objection": "opposition",
}


def french_date(value: Any) -> str:
    if not value:
        return "—"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M")
    return str(value.strftime("%d/%m/%Y"))


def euros(value: Any) -> str:
    """``"1234.5"`` → ``1 234,50 €`` (exact: a decimal string, never a float)."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{abs(number):,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{'-' if number < 0 else ''}{text} €"


def size(value: int) -> str:
    return f"{value / 1024:.0f} Kio".replace(".", ",") if value >= 1024 else f"{value} octets"


_env = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_env.filters.update(
    date=french_date,
    euros=euros,
    size=size,
    section=lambda s: SECTIONS.get(s, s),
    correction=lambda s: CORRECTIONS.get(s, s),
    deadline=lambda s: DEADLINES.get(s, s),
    gdpr_request=lambda s: GDPR_REQUESTS.get(s, s),
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def subject_of(kind: str, member_name: str, ctx: dict[str, Any]) -> str:
    if kind == "forecast_available":
        return f"Notification prévisionnelle {ctx['fiscal_year']} - {member_name}"
    if kind == "titles_issued":
        n = len(ctx["titles"])
        return f"{n} titre{'s' if n > 1 else ''} de recettes émis - {member_name}"
    if kind == "correction_issued":
        return f"Correction de titre de recettes - {member_name}"
    if kind == "title_rejected":
        n = len(ctx["titles"])
        return f"{n} titre{'s' if n > 1 else ''} rejeté{'s' if n > 1 else ''} par le comptable " \
            f"public - {member_name}"  # fmt: skip
    if kind == "title_overdue":
        return f"Titre n° {ctx['reference']} impayé - {member_name}"
    if kind == "convention_deadline":
        when = french_date(ctx["deadline_on"])
        return f"Convention « {ctx['convention_title']} » : échéance du {when}"
    if kind == "decision_due":
        return f"Échéance le {french_date(ctx['due_on'])} : {ctx['title']}"
    if kind == "breach_clock":
        return f"Violation de données : moins de {ctx['hours_left']} h pour la notifier"
    if kind == "gdpr_request_due":
        return f"Demande RGPD à traiter avant le {french_date(ctx['due_on'])}"
    raise KeyError(kind)


def render(
    kind: str,
    *,
    member: dict[str, Any],
    context: dict[str, Any],
    attachments: list[dict[str, Any]],
    public_url: str,
) -> Rendered:
    """One mail of ``kind`` for one member, the same for each of its recipients."""
    spec = KINDS[kind]
    values = {
        "member": member,
        "ctx": context,
        "attachments": attachments,
        "link": public_url.rstrip("/") + spec.link,
        "kind_label": spec.label,
        "required": spec.required,
    }
    return Rendered(
        subject=subject_of(kind, member["name"], context)[:300],
        text=_env.get_template(f"{kind}.txt").render(values),
        html=_env.get_template(f"{kind}.html").render(values),
    )
