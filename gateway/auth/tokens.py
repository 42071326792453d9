"""Machine API tokens: shown once, stored as their digest, scoped, revocable."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from gateway.auth import repository
from gateway.auth.secrets import MACHINE_TOKEN_PREFIX, digest, new_token
from gateway.auth.service import TOUCH_EVERY, aware
from gateway.models import ApiToken
from kit.db import utcnow
from kit.errors import ValidationFailed
from kit.french import SCOPES, quoted
from kit.identity import Principal
from kit.permissions import TOKEN_SCOPES


def create_api_token(
    session: Session,
    *,
    name: str,
    scopes: list[str],
    member_code: str | None,
    created_by: Principal,
    expires_at: dt.datetime | None,
) -> tuple[str, ApiToken]:
    unknown = sorted(set(scopes) - set(TOKEN_SCOPES))
    if unknown or not scopes:
        possible = ", ".join(SCOPES.get(s, s) for s in TOKEN_SCOPES)
        french = (
            f"Portées inconnues : {', '.join(quoted(s) for s in unknown)}"
            if unknown
            else "Au moins une portée est nécessaire"
        ) + f" ; portées possibles : {possible}."
        raise ValidationFailed(
            f"Unknown or missing scopes: {unknown or '[]'}; possible scopes: "
            f"{', '.join(TOKEN_SCOPES)}.",
            detail_fr=french,
            errors=[
                {
                    "field": "scopes",
                    "message": "unknown or empty scopes",
                    "type": "scopes",
                    "message_fr": french,
                }
            ],
        )

    plain = new_token(MACHINE_TOKEN_PREFIX)
    token = ApiToken(
        name=name,
        token_hash=digest(plain),
        prefix=plain[:10],
        scopes=scopes,
        member_code=member_code,
        created_by=created_by.audit_name,
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    return plain, token


def api_token_principal(session: Session, plain: str) -> Principal | None:
    token = repository.api_token_by_hash(session, digest(plain))
    if token is None or token.revoked_at is not None:
        return None
    now = utcnow()
    expires_at = aware(token.expires_at)
    if expires_at is not None and expires_at <= now:
        return None
    last_used = aware(token.last_used_at)
    if last_used is None or now - last_used > TOUCH_EVERY:
        token.last_used_at = now
    return Principal(
        subject=f"token:{token.id}",
        name=token.name,
        kind="machine",
        scopes=list(token.scopes),
        member=token.member_code,
    )
