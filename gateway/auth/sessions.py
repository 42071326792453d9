"""Server-side web sessions: opened at login, touched on use, expired when idle or too old."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy.orm import Session

from gateway.auth import repository
from gateway.auth.secrets import digest, new_token
from gateway.auth.service import TOUCH_EVERY, LoginResult, aware
from gateway.models import WebSession
from gateway.settings import GatewaySettings
from kit.db import utcnow
from kit.identity import Principal


def open_web_session(
    session: Session, *, result: LoginResult, settings: GatewaySettings, user_agent: str | None
) -> tuple[str, WebSession]:
    token = new_token()
    now = utcnow()
    web_session = WebSession(
        token_hash=digest(token),
        csrf_token=secrets.token_urlsafe(32),
        account_id=result.account.id,
        principal=result.principal.model_dump(),
        created_at=now,
        last_seen_at=now,
        expires_at=now + dt.timedelta(hours=settings.session_absolute_hours),
        user_agent=(user_agent or "")[:300],
    )
    session.add(web_session)
    session.flush()
    return token, web_session


def session_principal(
    session: Session, token: str, settings: GatewaySettings
) -> tuple[Principal, WebSession] | None:
    web_session = repository.web_session_by_hash(session, digest(token))
    if web_session is None or web_session.revoked_at is not None:
        return None
    now = utcnow()
    last_seen = aware(web_session.last_seen_at) or now
    expires_at = aware(web_session.expires_at) or now
    if now >= expires_at or now - last_seen > dt.timedelta(minutes=settings.session_idle_minutes):
        return None
    if now - last_seen > TOUCH_EVERY:
        web_session.last_seen_at = now
    return Principal.model_validate(web_session.principal), web_session


def revoke_web_session(web_session: WebSession) -> None:
    if web_session.revoked_at is None:
        web_session.revoked_at = utcnow()
