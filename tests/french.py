"""Helpers of the tests that check the API's refusals in French (``Accept-Language: fr``)."""

from __future__ import annotations

from typing import Any

import httpx

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}


async def both(
    client: httpx.AsyncClient, method: str, path: str, **kwargs: Any
) -> tuple[httpx.Response, httpx.Response]:
    """The same request asked in French, then in English: same status, and only the French
    answer says it is French (a refusal, always)."""
    headers = kwargs.pop("headers", {})
    french = await client.request(method, path, headers={**headers, **FRENCH}, **kwargs)
    english = await client.request(method, path, headers=headers, **kwargs)
    assert french.status_code == english.status_code, (french.text, english.text)
    assert "content-language" not in english.headers
    if french.status_code >= 400:
        assert french.headers.get("content-language") == "fr", french.text
    return french, english


def in_french(answer: httpx.Response) -> dict[str, Any]:
    """The problem, checked to say it is French (every message of it)."""
    assert answer.headers["content-type"].startswith("application/problem+json"), answer.text
    assert answer.headers.get("content-language") == "fr", answer.text
    body: dict[str, Any] = answer.json()
    assert all("message_fr" not in e for e in body.get("errors") or [])
    return body


def in_english(answer: httpx.Response) -> dict[str, Any]:
    assert "content-language" not in answer.headers
    body: dict[str, Any] = answer.json()
    assert all("message_fr" not in e for e in body.get("errors") or [])
    return body


def messages(answer: httpx.Response | dict[str, Any]) -> dict[str, str]:
    """Each error's message by its field."""
    body = answer.json() if isinstance(answer, httpx.Response) else answer
    return {e["field"]: e["message"] for e in body.get("errors") or []}
