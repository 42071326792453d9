"""Forms of the back office: the CSRF check and the API's problem turned into field errors."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import Request

from web.session import PageForbidden, User


def check_csrf(request: Request, user: User, form_token: str | None) -> None:
    """The form field or the htmx header must equal the session's token (else 403)."""
    sent = form_token or request.headers.get("x-csrf-token") or ""
    if not user.csrf_token or not secrets.compare_digest(sent, user.csrf_token):
        raise PageForbidden


@dataclass
class FormErrors:
    """What the API refused: a general message and one message per field."""

    message: str | None = None
    fields: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.message or self.fields)

    def get(self, name: str) -> str | None:
        return self.fields.get(name)


def field_name(raw: str) -> str:
    """``body.fiscal_year``, ``body.cap.window``, ``scopes.0`` → the form field (last part)."""
    parts = [p for p in raw.split(".") if p not in ("body", "query", "path") and not p.isdigit()]
    return parts[-1] if parts else ""


def problem_errors(response: httpx.Response, known: tuple[str, ...] = ()) -> FormErrors:
    """The problem+json of a refused write, split into the fields the form shows."""
    try:
        body: dict[str, Any] = response.json()
    except ValueError:
        return FormErrors(message=f"Erreur {response.status_code}.")
    errors = FormErrors()
    leftovers = []
    for item in body.get("errors") or []:
        name = field_name(str(item.get("field", "")))
        if name in known:
            errors.fields.setdefault(name, str(item.get("message", "")))
        else:
            leftovers.append(f"{item.get('field')}: {item.get('message')}")
    if not errors.fields or leftovers:
        errors.message = str(body.get("detail") or body.get("title") or "Requête refusée.")
        if leftovers:
            errors.message += " — " + " ; ".join(leftovers)
    return errors
