"""Authentication rules: login with throttling and lockout, sessions, tokens, accounts.

Security events (failed logins, lockouts) are written in their own transaction through
``SecurityLog`` so that they survive the rollback of the request that refused the login.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import argon2
from sqlalchemy.orm import Session, sessionmaker

from gateway.auth import repository
from gateway.auth.secrets import verify_password
from gateway.models import Account, GatewayAuditEntry
from gateway.settings import GatewaySettings
from kit.db import after_transaction, utcnow, write_transaction
from kit.errors import Forbidden, TooManyRequests, Unauthorized
from kit.identity import Principal
from kit.logging import current_request_id

BAD_CREDENTIALS = "Wrong email address or password."
BAD_CREDENTIALS_FR = "Adresse électronique ou mot de passe incorrect."
TOUCH_EVERY = dt.timedelta(minutes=1)  # last-seen / last-used written at most once a minute

ContactResolver = Callable[[str], dict[str, Any] | None]


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives naive datetimes back: they were stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def audit_entry(event: str, **fields: Any) -> GatewayAuditEntry:
    return GatewayAuditEntry(event=event, request_id=current_request_id(), **fields)


class SecurityLog:
    """Writes security events in a transaction of their own, so that they survive the
    rollback of the request that refused a login. Given the request's session (``during``),
    the event is written once that request's transaction has ended (``after_transaction``):
    on SQLite, a write request holds the database's write lock until then."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    def write(self, event: str, *, during: Session | None = None, **fields: Any) -> None:
        entry = audit_entry(event, **fields)  # the request id is read now, in the request

        def store() -> None:
            with write_transaction(self.factory) as session:
                session.add(entry)

        if during is None:
            store()
        else:
            after_transaction(during, store)

    def failed_login(
        self,
        account: Account | None,
        *,
        during: Session,
        settings: GatewaySettings,
        email: str,
        client_ip: str,
        reason: str,
    ) -> bool:
        """Count a failure of ``account`` (read in the request's session ``during``, which
        holds the write lock on SQLite, the count is current); lock the account at the
        threshold. True when this failure locks it. Written after the request's rollback."""
        entry = audit_entry(
            "login_failed", email=email, client_ip=client_ip, detail={"reason": reason}
        )
        counts = account is not None and reason == "bad_password"
        locks = (
            counts
            and account is not None
            and (account.failed_attempts + 1 >= settings.lockout_threshold)
        )
        account_id = account.id if account is not None else None

        def store() -> None:
            with write_transaction(self.factory) as session:
                session.add(entry)
                stored = repository.account_by_id(session, account_id) if account_id else None
                if stored is None:
                    return
                stored.failed_attempts += 1
                if stored.failed_attempts >= settings.lockout_threshold:
                    stored.locked_until = utcnow() + dt.timedelta(minutes=settings.lockout_minutes)
                    stored.failed_attempts = 0
                    session.add(
                        audit_entry(
                            "account_locked",
                            email=email,
                            client_ip=client_ip,
                            detail={"until": stored.locked_until.isoformat()},
                        )
                    )

        after_transaction(during, store)
        return locks


@dataclass
class LoginResult:
    account: Account
    principal: Principal


def staff_principal(account: Account) -> Principal:
    return Principal(
        subject=f"account:{account.id}",
        name=account.display_name,
        kind="staff",
        roles=list(account.roles),
    )


def contact_principal(account: Account, contact: dict[str, Any]) -> Principal:
    """A contact is named as the registry knows them (their account only holds the login)."""
    person = f"{contact.get('first_name', '')} {contact.get('last_name', '')}".strip()
    return Principal(
        subject=f"account:{account.id}",
        name=person or account.display_name,
        kind="contact",
        roles=list(contact.get("roles", [])),
        member=contact["member_code"],
    )


def login(
    session: Session,
    *,
    email: str,
    password: str,
    client_ip: str,
    settings: GatewaySettings,
    hasher: argon2.PasswordHasher,
    security: SecurityLog,
    resolve_contact: ContactResolver,
) -> LoginResult:
    email = email.strip().lower()
    since = utcnow() - dt.timedelta(minutes=1)
    if (
        repository.recent_failures_from(session, client_ip, since)
        >= settings.ip_failures_per_minute
    ):
        security.write("login_throttled", during=session, email=email, client_ip=client_ip)
        raise TooManyRequests(
            "Too many attempts from this address: retry in a minute.",
            detail_fr="Trop de tentatives depuis cette adresse : réessayez dans une minute.",
            headers={"Retry-After": "60"},
            slug="login-throttled",
        )
    account = repository.account_by_email(session, email)
    if account is None or not account.is_active:
        hasher.hash(password)  # spend the same time as for a real account
        security.failed_login(
            None,
            during=session,
            settings=settings,
            email=email,
            client_ip=client_ip,
            reason="unknown_or_inactive",
        )
        raise Unauthorized(BAD_CREDENTIALS, detail_fr=BAD_CREDENTIALS_FR, slug="bad-credentials")
    locked_until = aware(account.locked_until)
    if locked_until and locked_until > utcnow():
        security.write("login_locked", during=session, email=email, client_ip=client_ip)
        wait = int((locked_until - utcnow()).total_seconds()) + 1
        raise TooManyRequests(
            f"Account locked after too many failures: retry in {wait // 60 + 1} minutes or ask "
            "an administrator for a reset.",
            detail_fr=f"Compte verrouillé après trop d'échecs : réessayez dans {wait // 60 + 1} "
            "minutes ou demandez une réinitialisation à un administrateur.",
            headers={"Retry-After": str(wait)},
            slug="account-locked",
        )
    if not verify_password(hasher, account.password_hash, password):
        locked = security.failed_login(
            account,
            during=session,
            settings=settings,
            email=email,
            client_ip=client_ip,
            reason="bad_password",
        )
        if locked:
            raise TooManyRequests(
                "Account locked after too many failures: retry later.",
                detail_fr="Compte verrouillé après trop d'échecs : réessayez plus tard.",
                headers={"Retry-After": str(settings.lockout_minutes * 60)},
                slug="account-locked",
            )
        raise Unauthorized(BAD_CREDENTIALS, detail_fr=BAD_CREDENTIALS_FR, slug="bad-credentials")
    if account.kind == "contact":
        contact = resolve_contact(email)
        if not contact or not contact.get("dashboard_access") or contact.get("erased"):
            security.write(
                "login_refused",
                during=session,
                email=email,
                client_ip=client_ip,
                detail={"reason": "not an authorised contact in the registry"},
            )
            raise Forbidden(
                "This person is not (or no longer) an authorised contact of a member.",
                detail_fr="Cette personne n'est pas (ou plus) un interlocuteur habilité d'un "
                "adhérent.",
                slug="not-an-authorised-contact",
            )
        principal = contact_principal(account, contact)
    else:
        principal = staff_principal(account)
    if hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hasher.hash(password)
    account.failed_attempts = 0
    account.locked_until = None
    account.last_login_at = utcnow()
    session.add(
        audit_entry(
            "login_succeeded", principal=principal.audit_name, email=email, client_ip=client_ip
        )
    )
    return LoginResult(account, principal)
