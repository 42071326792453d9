"""``Idempotency-Key`` for machine writes: a retried call gets the first answer, unchanged.

The key is scoped to the principal and the endpoint (method and path). The first call claims
the key in its own savepoint before doing any work, so a concurrent duplicate waits for it (on
PostgreSQL) or is told the first is still in progress; the answer is stored in the same
transaction as the write it describes. Reusing a key with a different body is a 409.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kit.errors import Conflict
from kit.identity import Principal
from services.catalogue.idempotency import repository
from services.catalogue.models import IdempotencyRecord

REPLAYED_HEADER = "Idempotent-Replayed"


def fingerprint(payload: Any) -> str:
    canonical = json.dumps(jsonable_encoder(payload), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(record: IdempotencyRecord, digest: str) -> JSONResponse:
    if record.fingerprint != digest:
        raise Conflict(
            "This Idempotency-Key was already used with a different request body: use a new key "
            "for a new request.",
            detail_fr="Cette clé d'idempotence (Idempotency-Key) a déjà servi pour une autre "
            "requête : prenez une nouvelle clé pour une nouvelle requête.",
            slug="idempotency-key-reused",
        )
    if record.status_code is None:
        raise Conflict(
            "A request with this Idempotency-Key is still being processed: retry later.",
            detail_fr="Une requête avec cette clé d'idempotence est encore en cours de "
            "traitement : réessayez plus tard.",
            slug="idempotency-key-in-progress",
        )
    return JSONResponse(
        record.body, status_code=record.status_code, headers={REPLAYED_HEADER: "true"}
    )


def run_once(
    session: Session,
    *,
    principal: Principal,
    key: str | None,
    endpoint: str,
    payload: Any,
    compute: Callable[[], Any],
    status_code: int = 200,
    store: bool = True,
) -> Any:
    """Answer ``compute()``, or the answer already given to this key (``store=False``: dry runs,
    which write nothing, not even the key)."""
    if not key or not store:
        return compute()
    digest = fingerprint(payload)
    existing = repository.find(session, principal=principal.subject, key=key, endpoint=endpoint)
    if existing is not None:
        return _replay(existing, digest)
    record = IdempotencyRecord(
        principal=principal.subject, key=key[:200], endpoint=endpoint, fingerprint=digest
    )
    try:
        with session.begin_nested():
            session.add(record)
    except IntegrityError:
        # a concurrent call with the same key committed first
        existing = repository.find(session, principal=principal.subject, key=key, endpoint=endpoint)
        assert existing is not None
        return _replay(existing, digest)
    result = compute()
    record.status_code = status_code
    record.body = jsonable_encoder(result)
    session.flush()
    return result
