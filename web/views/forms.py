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


# what a refusal means, when the API could not say it in French (by status)
REFUSED = {
    400: "La demande est mal formée.",
    401: "Votre session a expiré : reconnectez-vous.",
    403: "Vous n'avez pas le droit de faire cela.",
    404: "Ce que vous modifiez n'existe plus.",
    409: "Cette modification entre en conflit avec les données enregistrées.",
    412: "Quelqu'un d'autre a modifié cette donnée entre-temps : rechargez la page.",
    413: "Le fichier est trop volumineux.",
    422: "Certaines valeurs ne sont pas acceptées.",
    429: "Trop de demandes : réessayez dans une minute.",
    503: "Le service est momentanément indisponible : réessayez dans un instant.",
}


def in_french(response: httpx.Response) -> bool:
    """Whether the API said its answer is all French (``Content-Language: fr``, ``kit.errors``)."""
    return response.headers.get("content-language", "").lower().startswith("fr")


def refusal_message(response: httpx.Response) -> str:
    """The refusal's general message in French: the API's own when it is French, else what its
    status means (never an English sentence to a French reader)."""
    if in_french(response):
        try:
            detail = response.json().get("detail")
        except ValueError:
            detail = None
        if detail:
            return str(detail)
    return REFUSED.get(
        response.status_code, f"La demande a été refusée (erreur {response.status_code})."
    )


def problem_errors(response: httpx.Response, known: tuple[str, ...] = ()) -> FormErrors:
    """The problem+json of a refused write, split into the fields the form shows. Messages are
    taken as they are only when the API says they are French (``Content-Language: fr``)."""
    try:
        body: dict[str, Any] = response.json()
    except ValueError:
        return FormErrors(message=refusal_message(response))
    french = in_french(response)
    errors = FormErrors()
    leftovers = []
    for item in body.get("errors") or []:
        name = field_name(str(item.get("field", "")))
        message = str(item.get("message", "")) if french else "Valeur refusée."
        if name in known:
            errors.fields.setdefault(name, message)
        elif french and message not in leftovers:
            leftovers.append(message)
    if not errors.fields or leftovers or not french:
        errors.message = refusal_message(response)
        if leftovers:
            errors.message += " — " + " ; ".join(leftovers)
    return errors
