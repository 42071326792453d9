"""Every query of the gateway's database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from gateway.models import Account, ApiToken, GatewayAuditEntry, WebSession


def account_by_email(session: Session, email: str) -> Account | None:
    return session.scalar(select(Account).where(Account.email == email.strip().lower()))


def account_by_id(session: Session, account_id: int) -> Account | None:
    return session.get(Account, account_id)


def list_accounts(session: Session, *, after_id: int, limit: int) -> Sequence[Account]:
    query = select(Account).where(Account.id > after_id).order_by(Account.id).limit(limit + 1)
    return session.scalars(query).all()


def any_demo_account(session: Session) -> bool:
    return session.scalar(select(func.count()).where(Account.is_demo.is_(True))) != 0


def count_accounts(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Account)) or 0)


def web_session_by_hash(session: Session, token_hash: str) -> WebSession | None:
    return session.scalar(select(WebSession).where(WebSession.token_hash == token_hash))


def open_sessions_of(session: Session, account_id: int) -> Sequence[WebSession]:
    query = select(WebSession).where(
        WebSession.account_id == account_id, WebSession.revoked_at.is_(None)
    )
    return session.scalars(query.order_by(WebSession.id)).all()


def api_token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))


def api_token_by_id(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def list_api_tokens(session: Session, *, after_id: int, limit: int) -> Sequence[ApiToken]:
    query = select(ApiToken).where(ApiToken.id > after_id).order_by(ApiToken.id).limit(limit + 1)
    return session.scalars(query).all()


def count_api_tokens(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ApiToken)) or 0)


def recent_failures_from(session: Session, client_ip: str, since: dt.datetime) -> int:
    query = select(func.count()).where(
        GatewayAuditEntry.event == "login_failed",
        GatewayAuditEntry.client_ip == client_ip,
        GatewayAuditEntry.occurred_at >= since,
    )
    return int(session.scalar(query) or 0)


def list_audit(
    session: Session, *, after_id: int | None, limit: int, event: str | None, email: str | None
) -> Sequence[GatewayAuditEntry]:
    query = select(GatewayAuditEntry)
    if after_id is not None:
        query = query.where(GatewayAuditEntry.id < after_id)
    if event:
        query = query.where(GatewayAuditEntry.event == event)
    if email:
        query = query.where(GatewayAuditEntry.email == email.strip().lower())
    query = query.order_by(GatewayAuditEntry.id.desc()).limit(limit + 1)
    return session.scalars(query).all()


def forget_email_in_audit(session: Session, email: str) -> None:
    """The login audit keeps its events but no longer names this email."""
    session.execute(
        update(GatewayAuditEntry)
        .where(GatewayAuditEntry.email == email)
        .values(email=None)
        .execution_options(synchronize_session=False)
    )
