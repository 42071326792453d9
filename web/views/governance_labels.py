"""What a French reader sees instead of governance's codes: quarters, teams, axes, members'
names, percentages, and timestamps in local time (Europe/Paris)."""

from __future__ import annotations

import datetime as dt
import re

from fastapi import Request

from kit.french import TEAMS as TEAMS  # shared with governance's documents
from web.session import api
from web.views.format import PARIS, number
from web.views.format import local_time as local_time  # the governance pages import it here

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
AXES = {
    "securite": "Sécurité",
    "couts-de-possession": "Coûts de possession",
    "sobriete-souverainete": "Sobriété et souveraineté",
    "conformite": "Conformité",
    "inclusion-numerique": "Inclusion numérique",
    "pilotage-donnee": "Pilotage par la donnée",
    "maintien-obsolescence": "Maintien opérationnel et obsolescence",
}


def quarter_label(code: str) -> str:
    """``2025-Q1`` → ``1er trimestre 2025``, ``2025-Q3`` → ``3e trimestre 2025``."""
    found = QUARTER.match(code or "")
    if not found:
        return code
    year, q = found.groups()
    return f"{q}{'er' if q == '1' else 'e'} trimestre {year}"


def code_label(code: str) -> str:
    """A code nobody translated yet, readable at least: ``gestion-parc`` → ``Gestion parc``."""
    return code.replace("-", " ").replace("_", " ").capitalize() if code else ""


def team_label(code: str) -> str:
    return TEAMS.get(code, code_label(code))


def axis_label(code: str | None) -> str:
    return AXES.get(code or "", code_label(code or ""))


def percent(value: object) -> str:
    """At most one decimal: ``"99.50"`` → ``99,5 %``; ``150`` → ``150 %``."""
    if value in (None, ""):
        return "—"
    text = number(str(value), decimals=1)
    if text.endswith(",0"):
        text = text[:-2]
    return f"{text}\u00a0%"


def local_input(value: str | None) -> str:
    """An ISO timestamp as a ``datetime-local`` field shows it, in Paris time."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")


def from_local_input(text: str) -> str | None:
    """What a ``datetime-local`` field sent (Paris time) as an aware ISO timestamp; None if
    it is not a date and time."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return moment.isoformat()


def now_local_input() -> str:
    return dt.datetime.now(PARIS).strftime("%Y-%m-%dT%H:%M")


async def member_names(request: Request) -> dict[str, str]:
    """Members' names by code, as the registry gives them (once per request)."""
    cached: dict[str, str] | None = getattr(request.state, "member_names", None)
    if cached is not None:
        return cached
    answer = await api(request, "GET", "/api/registry/members", params={"limit": "500"})
    items = answer.json().get("items", []) if answer.status_code == 200 else []
    names = {m["code"]: m["name"] for m in sorted(items, key=lambda m: m["name"].casefold())}
    request.state.member_names = names
    return names


def value_label(value: object, unit: str) -> str:
    """A measured value with its unit, French style: ``"99.5", "%"`` → ``99,5 %``."""
    if value in (None, ""):
        return "—"
    if unit == "%":
        return percent(value)
    shown = number(str(value))
    return f"{shown}\u00a0{unit}" if unit else shown
