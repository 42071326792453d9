"""The API's refusals in French for a French reader (``Accept-Language: fr``), English otherwise,
and ``Content-Language: fr`` only when every message of the answer is French."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from kit.i18n import Refusal, french_field_message, prefers_french
from tests.conftest import as_admin, asgi_client
from web.views.forms import problem_errors

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}
# words of pydantic's English messages that must never reach a French reader
ENGLISH = re.compile(
    r"\b(should|input|valid|string|characters?|value|field|required|least)\b", re.I
)


@pytest.mark.parametrize(
    ("header", "french"),
    [
        ("fr", True),
        ("fr-FR,fr;q=0.9,en;q=0.8", True),
        ("en;q=0.9,fr;q=0.4", False),
        ("en-GB", False),
        ("", False),
        ("de, fr;q=0.9", False),
        ("fr;q=x, en", False),
    ],
)
def test_the_preferred_language_is_the_highest_quality_one(header: str, french: bool) -> None:
    assert prefers_french(header) is french


class Sample(BaseModel):
    name: str = Field(min_length=2, max_length=5)
    amount: Any = Field(default=None)
    count: int = Field(0, ge=1, le=1000)
    code: str = Field("a", pattern=r"^[a-z]+$")

    @field_validator("amount")
    @classmethod
    def _amount(cls, value: Any) -> Any:
        if value == "negative":
            raise Refusal("the amount is negative", "Le montant est négatif.")
        if value == "bare":
            raise ValueError("a bare refusal")
        return value


def _messages(**values: Any) -> dict[str, str | None]:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(values)
    return {str(e["loc"][0]): french_field_message(e) for e in caught.value.errors()}


def test_pydantic_messages_are_said_in_french_with_their_limits() -> None:
    messages = _messages(name="x", count=5000, code="A1", amount="negative")
    assert messages == {
        "name": "Au moins 2 caractères.",
        "count": "Doit être inférieur ou égal à 1\u202f000.",
        "code": "Format invalide.",
        "amount": "Le montant est négatif.",
    }
    assert _messages(name="abcdefgh")["name"] == "Au plus 5 caractères."
    assert _messages(count="douze")["count"] == "Un nombre entier est attendu."
    assert _messages()["name"] == "Obligatoire."
    assert _messages(amount="bare")["amount"] is None  # a bare ValueError has no French


async def test_a_refused_member_is_answered_in_french_when_asked(service_app: Any) -> None:
    body = {"code": "x", "name": "", "kind": "commune", "siret": "123"}
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        french = await client.post("/members", json=body, headers=FRENCH)
        english = await client.post("/members", json=body)
    assert french.status_code == english.status_code == 422
    assert french.headers["content-language"] == "fr"
    assert "content-language" not in english.headers
    answer = french.json()
    assert answer["title"] == "Données invalides"
    assert answer["detail"].startswith("Valeur invalide pour : ")
    messages = {e["field"]: e["message"] for e in answer["errors"]}
    assert messages["name"] == "Obligatoire."
    assert all(not ENGLISH.search(m) for m in messages.values()), messages
    assert all("message_fr" not in e for e in answer["errors"] + english.json()["errors"])
    assert any(ENGLISH.search(e["message"]) for e in english.json()["errors"])


async def test_a_missing_resource_and_a_wrong_method_are_french_too(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        missing = await client.get("/nowhere", headers=FRENCH)
        method = await client.delete("/drivers", headers=FRENCH)
    assert missing.json()["detail"] == "Cette ressource n'existe pas."
    assert method.json()["title"] == "Méthode non autorisée"
    assert missing.headers["content-language"] == method.headers["content-language"] == "fr"


async def test_bulk_items_are_rejected_in_french(service_app: Any) -> None:
    load = {"source": "ocs", "items": [{"external_id": "a", "name": "", "kind": "robot"}]}
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        french = await client.post("/inventory", json=load, headers=FRENCH)
        english = await client.post("/inventory", json=load)
    errors = {e["field"]: e["message"] for e in french.json()["items"][0]["errors"]}
    assert errors["name"] == "Obligatoire."
    assert errors["kind"].startswith("Valeur non reconnue ; valeurs possibles : ")
    assert "should" in english.json()["items"][0]["errors"][0]["message"]


def _problem(status: int, body: dict[str, Any], *, french: bool) -> httpx.Response:
    headers = {"Content-Language": "fr"} if french else {}
    return httpx.Response(status, json=body, headers=headers)


def test_the_web_shows_the_api_words_only_when_they_are_french() -> None:
    body = {
        "detail": "The run 3 is the current final run of 2025.",
        "errors": [{"field": "body.name", "message": "String should have at least 2 characters"}],
    }
    english = problem_errors(_problem(409, body, french=False), ("name",))
    assert english.message == "Cette modification entre en conflit avec les données enregistrées."
    assert english.fields == {"name": "Valeur refusée."}
    french_body = {
        "detail": "Le calcul n° 3 est le calcul définitif de 2025.",
        "errors": [
            {"field": "body.name", "message": "Au moins 2 caractères."},
            {"field": "body.other", "message": "Champ inconnu : il n'est pas accepté ici."},
        ],
    }
    french = problem_errors(_problem(422, french_body, french=True), ("name",))
    assert french.fields == {"name": "Au moins 2 caractères."}
    assert french.message == (
        "Le calcul n° 3 est le calcul définitif de 2025. — "
        "Champ inconnu : il n'est pas accepté ici."
    )


async def test_answers_say_they_vary_by_language(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        listed = await client.get("/drivers")
        refused = await client.post("/drivers", json={}, headers=FRENCH)
    assert "Accept-Language" in listed.headers.get("vary", "")
    assert refused.json()["detail"].startswith("Valeur invalide pour : ")
