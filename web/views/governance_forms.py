"""Forms of the governance pages: their fields described once, the obvious checks made in
French before the API is called, and the API's refusal placed on the fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from web.views.format import amount_from_form
from web.views.forms import FormErrors, problem_errors
from web.views.governance_labels import from_local_input

CODE_HINT = "minuscules, chiffres et tirets"


@dataclass(frozen=True)
class Field:
    """One field of a form: ``kind`` is text, date, datetime-local, number, textarea,
    lines (one item per line), select, checkboxes or checkbox."""

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    options: dict[str, str] = field(default_factory=dict)
    hint: str = ""


@dataclass
class Form:
    fields: list[Field]
    values: dict[str, Any]
    errors: FormErrors = field(default_factory=FormErrors)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def french_checks(fields: list[Field], values: dict[str, Any]) -> FormErrors:
    """What needs no API to be refused: empty required fields, malformed dates and numbers."""
    errors = FormErrors()
    for f in fields:
        value = values.get(f.name)
        text = value.strip() if isinstance(value, str) else value
        if f.required and not text:
            errors.fields[f.name] = "Ce champ est obligatoire."
            continue
        if not text or not isinstance(text, str):
            continue
        if f.kind == "date":
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                errors.fields[f.name] = "Date attendue au format jj/mm/aaaa."
        elif f.kind == "datetime-local" and from_local_input(text) is None:
            errors.fields[f.name] = "Date et heure attendues (jj/mm/aaaa hh:mm)."
        elif f.kind == "number":
            try:
                Decimal(amount_from_form(text))
            except InvalidOperation:
                errors.fields[f.name] = "Nombre attendu (virgule décimale acceptée)."
        elif f.kind == "select" and f.options and text not in f.options:
            errors.fields[f.name] = "Choisissez une valeur de la liste."
    if errors.fields:
        errors.message = "Le formulaire contient des erreurs : corrigez les champs signalés."
    return errors


def refused(answer: httpx.Response, fields: list[Field]) -> FormErrors:
    """The API's problem on the form's fields (its English text kept, placed where it belongs)."""
    return problem_errors(answer, tuple(f.name for f in fields))


def status_of(answer: httpx.Response) -> int:
    return 422 if answer.status_code in (400, 409, 422) else answer.status_code


def optional(text: str) -> str | None:
    text = text.strip()
    return text or None


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def decimal_text(text: str) -> str | None:
    text = amount_from_form(text.strip())
    return text or None


def int_in(text: str, low: int, high: int) -> int | None:
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if low <= value <= high else None
