"""The problem responses of every operation, in the OpenAPI documents.

Every error of Mutualis is an RFC 9457 ``application/problem+json`` body (``kit.errors``). The
documents say so for each operation: the statuses it can answer with a problem, all with the
``ProblemDetails`` schema — FastAPI's own 422 (``HTTPValidationError``, ``application/json``) is not
what is answered and is replaced. ``default`` covers the rare status not listed (405, 406, 415,
429…), so that an integrator's client can decode any error with one schema.
"""

from __future__ import annotations

from typing import Any

PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = "#/components/schemas/ProblemDetails"

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "ProblemDetails",
    "description": "An error (RFC 9457). `type` is a stable URN, `detail` says what to do.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "examples": ["urn:mutualis:problem:validation-failed"]},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": ["array", "null"],
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "type": {"type": ["string", "null"]},
                },
            },
        },
    },
    "additionalProperties": True,  # a problem may add its own members (e.g. `members`)
}

EVERY_OPERATION = {
    "400": "Malformed request",
    "401": "No valid credential",
    "403": "Not permitted for this principal",
    "404": "No such resource (or not visible to this principal)",
    "422": "Invalid input: `errors` names each field",
    "503": "A service or the database is unavailable or busy: nothing was stored, retry",
    "504": "A service did not answer in time",
    "default": "Another error, as a problem",
}
WRITES = {
    "409": "Conflicts with the current state (nothing was stored)",
    "413": "The body is larger than allowed",
}
BODY_METHODS = frozenset({"post", "put", "patch", "delete"})
# a response flagged so documents bodies of its own (the GLPI agent's protocol answers its
# errors in its own JSON): they are kept, and the problem is added beside them
OWN_CONTENT = "x-mutualis-own-content"


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}},
    }


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with the problem responses of every operation (in place, and returned)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["ProblemDetails"] = PROBLEM_SCHEMA
    for item in document.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            wanted = dict(EVERY_OPERATION)
            if method in BODY_METHODS:
                wanted.update(WRITES)
            for status, description in wanted.items():
                existing = responses.get(status)
                if existing is not None and existing.get(OWN_CONTENT):
                    existing["content"] = {**existing.get("content", {}), **_problem("")["content"]}
                elif existing is None or not _is_problem(existing):
                    responses[status] = _problem(
                        existing.get("description", description) if existing else description
                    )
            for existing in responses.values():
                if isinstance(existing, dict):
                    existing.pop(OWN_CONTENT, None)
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document


def _is_problem(response: dict[str, Any]) -> bool:
    content = response.get("content", {})
    return set(content) == {PROBLEM_JSON} and bool(content[PROBLEM_JSON].get("schema"))


def file_responses(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a route answering a file (CSV, XLSX, PDF…) instead of JSON."""
    return {
        200: {
            "description": description,
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
        }
    }


def created_or_replaced(model: type) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a PUT answering 201 when it created the resource, 200 otherwise."""
    return {201: {"model": model, "description": "Created: there was none"}}
