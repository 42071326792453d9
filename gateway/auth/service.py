"""Authentication rules: login with throttling and lockout, sessions, tokens, accounts.

Security events (failed logins, lockouts) are written in their own transaction through
``SecurityLog`` so that they survive the rollback of the request that refused the login.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import argon2
from sqlalchemy.orm import Session, sessionmaker

from gateway.auth import repository
from gateway.auth.secrets import MACHINE_TOKEN_PREFIX, digest, new_token, verify_password
from gateway.models import Account, ApiToken, GatewayAuditEntry, WebSession
from gateway.settings import GatewaySettings
from kit.db import utcnow
from kit.errors import Conflict, Forbidden, TooManyRequests, Unauthorized, ValidationFailed
from kit.identity import Principal
from kit.logging import current_request_id
from kit.permissions import STAFF_ROLES, TOKEN_SCOPES

BAD_CREDENTIALS = "Adresse électronique ou mot de passe incorrect."
TOUCH_EVERY = dt.timedelta(minutes=1)  # last-seen / last-used written at most once a minute

ContactResolver = Callable[[str], dict[str, Any] | None]


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives naive datetimes back: they were stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def audit_entry(event: str, **fields: Any) -> GatewayAuditEntry:
    return GatewayAuditEntry(event=event, request_id=current_request_id(), **fields)


class SecurityLog:
    """Writes security events in a transaction of their own."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    def write(self, event: str, **fields: Any) -> None:
        with self.factory.begin() as session:
            session.add(audit_entry(event, **fields))

    def failed_login(
        self,
        account_id: int | None,
        *,
        settings: GatewaySettings,
        email: str,
        client_ip: str,
        reason: str,
    ) -> bool:
        """Count a failure; lock the account at the threshold. True when it got locked."""
        locked = False
        with self.factory.begin() as session:
            session.add(
                audit_entry(
                    "login_failed", email=email, client_ip=client_ip, detail={"reason": reason}
                )
            )
            account = repository.account_by_id(session, account_id) if account_id else None
            if account is not None and reason == "bad_password":
                account.failed_attempts += 1
                if account.failed_attempts >= settings.lockout_threshold:
                    account.locked_until = utcnow() + dt.timedelta(minutes=settings.lockout_minutes)
                    account.failed_attempts = 0
                    locked = True
                    session.add(
                        audit_entry(
                            "account_locked",
                            email=email,
                            client_ip=client_ip,
                            detail={"until": account.locked_until.isoformat()},
                        )
                    )
        return locked


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
        security.write("login_throttled", email=email, client_ip=client_ip)
        raise TooManyRequests(
            "Trop de tentatives depuis cette adresse : réessayez dans une minute.",
            headers={"Retry-After": "60"},
            slug="login-throttled",
        )
    account = repository.account_by_email(session, email)
    if account is None or not account.is_active:
        hasher.hash(password)  # spend the same time as for a real account
        security.failed_login(
            None, settings=settings, email=email, client_ip=client_ip, reason="unknown_or_inactive"
        )
        raise Unauthorized(BAD_CREDENTIALS, slug="bad-credentials")
    locked_until = _aware(account.locked_until)
    if locked_until and locked_until > utcnow():
        security.write("login_locked", email=email, client_ip=client_ip)
        wait = int((locked_until - utcnow()).total_seconds()) + 1
        raise TooManyRequests(
            f"Compte verrouillé après trop d'échecs : réessayez dans {wait // 60 + 1} minutes "
            "ou demandez une réinitialisation à un administrateur.",
            headers={"Retry-After": str(wait)},
            slug="account-locked",
        )
    if not verify_password(hasher, account.password_hash, password):
        locked = security.failed_login(
            account.id, settings=settings, email=email, client_ip=client_ip, reason="bad_password"
        )
        if locked:
            raise TooManyRequests(
                "Compte verrouillé après trop d'échecs : réessayez plus tard.",
                headers={"Retry-After": str(settings.lockout_minutes * 60)},
                slug="account-locked",
            )
        raise Unauthorized(BAD_CREDENTIALS, slug="bad-credentials")
    if account.kind == "contact":
        contact = resolve_contact(email)
        if not contact or not contact.get("dashboard_access") or contact.get("erased"):
            security.write(
                "login_refused",
                email=email,
                client_ip=client_ip,
                detail={"reason": "not an authorised contact in the registry"},
            )
            raise Forbidden(
                "Cette personne n'est pas (ou plus) un interlocuteur habilité d'un adhérent.",
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
    last_seen = _aware(web_session.last_seen_at) or now
    expires_at = _aware(web_session.expires_at) or now
    if now >= expires_at or now - last_seen > dt.timedelta(minutes=settings.session_idle_minutes):
        return None
    if now - last_seen > TOUCH_EVERY:
        web_session.last_seen_at = now
    return Principal.model_validate(web_session.principal), web_session


def revoke_web_session(web_session: WebSession) -> None:
    if web_session.revoked_at is None:
        web_session.revoked_at = utcnow()


def check_new_password(
    password: str, *, email: str, settings: GatewaySettings, field: str = "new_password"
) -> None:
    problems = []
    if len(password) < settings.password_min_length:
        problems.append(f"au moins {settings.password_min_length} caractères")
    local_part = email.split("@")[0].lower()
    if len(local_part) >= 4 and local_part in password.lower():
        problems.append("ne doit pas contenir l'identifiant")
    if problems:
        raise ValidationFailed(
            "Mot de passe trop faible : " + ", ".join(problems) + ".",
            errors=[{"field": field, "message": "; ".join(problems), "type": "weak"}],
        )


def check_roles(kind: str, roles: list[str]) -> None:
    unknown = sorted(set(roles) - set(STAFF_ROLES))
    if kind == "staff" and (unknown or not roles):
        raise ValidationFailed(
            f"Rôles inconnus ou absents : {unknown or '[]'} ; rôles possibles : "
            f"{', '.join(STAFF_ROLES)}.",
            errors=[{"field": "roles", "message": "unknown or empty roles", "type": "roles"}],
        )


def update_account(
    account: Account, *, display_name: str | None, roles: list[str] | None, is_active: bool | None
) -> None:
    if roles is not None:
        check_roles(account.kind, roles)
        account.roles = roles if account.kind == "staff" else []
    if display_name is not None:
        account.display_name = display_name
    if is_active is not None:
        account.is_active = is_active


def create_account(
    session: Session,
    *,
    email: str,
    display_name: str,
    kind: str,
    roles: list[str],
    password: str,
    hasher: argon2.PasswordHasher,
    settings: GatewaySettings,
    is_demo: bool = False,
    check_strength: bool = True,
) -> Account:
    email = email.strip().lower()
    check_roles(kind, roles)
    if repository.account_by_email(session, email) is not None:
        raise Conflict(f"Un compte existe déjà pour {email}.", slug="account-exists")
    if check_strength:
        check_new_password(password, email=email, settings=settings, field="password")
    account = Account(
        email=email,
        display_name=display_name,
        kind=kind,
        roles=roles if kind == "staff" else [],
        password_hash=hasher.hash(password),
        is_demo=is_demo,
    )
    session.add(account)
    session.flush()
    return account


def change_password(
    account: Account,
    *,
    current: str,
    new: str,
    hasher: argon2.PasswordHasher,
    settings: GatewaySettings,
) -> None:
    if not verify_password(hasher, account.password_hash, current):
        raise ValidationFailed(
            "Le mot de passe actuel est incorrect.",
            errors=[{"field": "current_password", "message": "incorrect", "type": "password"}],
        )
    check_new_password(new, email=account.email, settings=settings)
    account.password_hash = hasher.hash(new)
    account.must_change_password = False


def reset_password(account: Account, *, hasher: argon2.PasswordHasher) -> str:
    """A temporary password, shown once to the admin, to be changed at first use."""
    temporary = secrets.token_urlsafe(12)
    account.password_hash = hasher.hash(temporary)
    account.must_change_password = True
    account.failed_attempts = 0
    account.locked_until = None
    return temporary


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
        raise ValidationFailed(
            f"Portées inconnues ou absentes : {unknown or '[]'} ; portées possibles : "
            f"{', '.join(TOKEN_SCOPES)}.",
            errors=[{"field": "scopes", "message": "unknown or empty scopes", "type": "scopes"}],
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
    expires_at = _aware(token.expires_at)
    if expires_at is not None and expires_at <= now:
        return None
    last_used = _aware(token.last_used_at)
    if last_used is None or now - last_used > TOUCH_EVERY:
        token.last_used_at = now
    return Principal(
        subject=f"token:{token.id}",
        name=token.name,
        kind="machine",
        scopes=list(token.scopes),
        member=token.member_code,
    )
