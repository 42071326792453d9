"""French messages for the people who read the API's refusals through the web pages.

The API speaks English to integrators; asked with ``Accept-Language: fr`` (the web back office
always asks so) it answers ``detail`` and ``errors[].message`` in French, and says so with
``Content-Language: fr`` — only when *every* message of the answer is French, so that a reader
of French can trust the header and show the answer as is (``web.views.forms.problem_errors``).

Three sources of messages:

- pydantic's generic validation (``Input should be a valid decimal``…): translated here from the
  error's ``type`` and ``ctx`` (``french_field_message``);
- a validator's own refusal: raise ``Refusal(english, french)`` (a ``ValueError``) instead of a
  bare ``ValueError``;
- a service rule: ``AppError(detail, detail_fr=…)``, with ``message_fr`` beside ``message`` in
  its ``errors`` items;
- the per-item messages of a bulk answer (a 200 whose items were rejected): ``say(en, fr)``,
  which picks the language the current request asked for (``LanguageMiddleware``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FRENCH = "fr"
_french_wanted: ContextVar[bool] = ContextVar("french_wanted", default=False)


class Refusal(ValueError):
    """A validator's refusal, with its French message: ``raise Refusal("en…", "fr…")``."""

    def __init__(self, english: str, french: str) -> None:
        super().__init__(english)
        self.french = french


def prefers_french(accept_language: str | None) -> bool:
    """Whether the preferred language of an ``Accept-Language`` header is French."""
    best, best_q = "", 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        if tag and q > best_q:
            best, best_q = tag.strip().lower(), q
    return best == FRENCH or best.startswith(FRENCH + "-")


def wants_french() -> bool:
    """Whether the request being answered asked for French."""
    return _french_wanted.get()


def say(english: str, french: str) -> str:
    """The message in the language the current request asked for."""
    return french if _french_wanted.get() else english


class LanguageMiddleware:
    """Pure ASGI middleware: notes whether the request prefers French (``say``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accept = next((v for k, v in scope["headers"] if k == b"accept-language"), b"")
        token = _french_wanted.set(prefers_french(accept.decode("latin-1")))

        async def send_varying(message: Message) -> None:
            if message["type"] == "http.response.start":  # answers differ by language
                headers = list(message.get("headers", []))
                headers.append((b"vary", b"Accept-Language"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_varying)
        finally:
            _french_wanted.reset(token)


def _value(value: Any) -> str:
    """A limit as a French reader writes it: ``0,5``, ``25/09/2023``, ``1 000``."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    if isinstance(value, float | Decimal):
        text = format(Decimal(str(value)).normalize(), "f")
        whole, _, decimals = text.partition(".")
        whole = f"{int(whole):,}".replace(",", "\u202f") if whole.lstrip("-").isdigit() else whole
        return whole + ("," + decimals if decimals else "")
    return str(value)


def _plural(count: Any, word: str) -> str:
    return f"{_value(count)} {word}{'s' if isinstance(count, int) and count > 1 else ''}"


def _expected(ctx: Mapping[str, Any]) -> str:
    return str(ctx.get("expected", "")).replace(" or ", " ou ")


# pydantic's error types → French (``ctx`` keys between braces are filled in by ``_fill``)
MESSAGES: dict[str, str] = {
    "missing": "Obligatoire.",
    "extra_forbidden": "Champ inconnu : il n'est pas accepté ici.",
    "string_type": "Un texte est attendu.",
    "string_pattern_mismatch": "Format invalide.",
    "string_unicode": "Un texte valide (UTF-8) est attendu.",
    "int_type": "Un nombre entier est attendu.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_from_float": "Un nombre entier est attendu (sans décimales).",
    "int_parsing_size": "Ce nombre est trop grand.",
    "float_type": "Un nombre est attendu.",
    "float_parsing": "Un nombre est attendu.",
    "decimal_type": "Un nombre décimal est attendu (ex. : 1234.56).",
    "decimal_parsing": "Un nombre décimal est attendu (ex. : 1234.56).",
    "finite_number": "Un nombre fini est attendu.",
    "bool_type": "Oui ou non est attendu.",
    "bool_parsing": "Oui ou non est attendu.",
    "date_type": "Une date est attendue.",
    "date_parsing": "Une date valide est attendue (AAAA-MM-JJ).",
    "date_from_datetime_parsing": "Une date valide est attendue (AAAA-MM-JJ).",
    "date_from_datetime_inexact": "Une date sans heure est attendue.",
    "datetime_type": "Une date et une heure sont attendues.",
    "datetime_parsing": "Une date et une heure valides sont attendues.",
    "datetime_from_date_parsing": "Une date et une heure valides sont attendues.",
    "timezone_aware": "Une heure avec son fuseau horaire est attendue.",
    "time_type": "Une heure est attendue.",
    "time_parsing": "Une heure valide est attendue (HH:MM).",
    "list_type": "Une liste est attendue.",
    "tuple_type": "Une liste est attendue.",
    "set_type": "Une liste est attendue.",
    "dict_type": "Un objet est attendu.",
    "model_type": "Un objet est attendu.",
    "model_attributes_type": "Un objet est attendu.",
    "dataclass_type": "Un objet est attendu.",
    "json_invalid": "JSON invalide.",
    "json_type": "Un document JSON est attendu.",
    "uuid_type": "Un identifiant UUID est attendu.",
    "uuid_parsing": "Un identifiant UUID est attendu.",
    "url_type": "Une adresse web est attendue.",
    "url_parsing": "Une adresse web valide est attendue.",
    "url_scheme": "Une adresse web en http ou https est attendue.",
    "bytes_type": "Un contenu binaire est attendu.",
    "union_tag_invalid": "Type d'élément non reconnu.",
    "union_tag_not_found": "Le type de l'élément manque.",
    "none_required": "Aucune valeur n'est attendue ici.",
    "is_instance_of": "Valeur invalide.",
    "frozen_field": "Ce champ ne peut pas être modifié.",
    "frozen_instance": "Cet objet ne peut pas être modifié.",
    "assertion_error": "Valeur invalide.",
}


def french_field_message(error: Mapping[str, Any]) -> str | None:
    """The French message of one of pydantic's errors (``type``, ``ctx``, ``msg``), or None
    when it cannot say one (a bare ``ValueError`` of a validator that is not a ``Refusal``)."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        cause = ctx.get("error")
        if isinstance(cause, Refusal):
            return cause.french
        message = str(error.get("msg", ""))
        if "email" in message:
            return "Adresse électronique invalide."
        return None
    if kind in ("string_too_short", "too_short", "list_too_short"):
        least = ctx.get("min_length", 1)
        if least == 1:
            return "Obligatoire."
        word = "caractère" if kind == "string_too_short" else "élément"
        return f"Au moins {_plural(least, word)}."
    if kind in ("string_too_long", "too_long", "list_too_long", "bytes_too_long"):
        word = "caractère" if kind == "string_too_long" else "élément"
        return f"Au plus {_plural(ctx.get('max_length'), word)}."
    if kind == "bytes_too_short":
        return f"Au moins {_plural(ctx.get('min_length'), 'octet')}."
    if kind in ("literal_error", "enum"):
        return f"Valeur non reconnue ; valeurs possibles : {_expected(ctx)}."
    comparisons = {
        "greater_than": ("gt", "supérieur à"),
        "greater_than_equal": ("ge", "supérieur ou égal à"),
        "less_than": ("lt", "inférieur à"),
        "less_than_equal": ("le", "inférieur ou égal à"),
    }
    if kind in comparisons:
        key, words = comparisons[kind]
        return f"Doit être {words} {_value(ctx.get(key))}."
    if kind == "multiple_of":
        return f"Doit être un multiple de {_value(ctx.get('multiple_of'))}."
    if kind == "decimal_max_digits":
        return f"Au plus {_plural(ctx.get('max_digits'), 'chiffre')}."
    if kind == "decimal_max_places":
        places = ctx.get("decimal_places")
        return "Sans décimales." if places == 0 else f"Au plus {_plural(places, 'décimale')}."
    if kind == "decimal_whole_digits":
        return f"Au plus {_plural(ctx.get('whole_digits'), 'chiffre')} avant la virgule."
    if kind in ("date_past", "datetime_past"):
        return "Une date passée est attendue."
    if kind in ("date_future", "datetime_future"):
        return "Une date à venir est attendue."
    return MESSAGES.get(kind)
