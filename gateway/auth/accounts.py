"""Accounts: creation, roles, passwords (change by oneself, reset by an administrator)."""

from __future__ import annotations

import secrets

import argon2
from sqlalchemy.orm import Session, sessionmaker
from zxcvbn import zxcvbn

from gateway.auth import repository
from gateway.auth.secrets import verify_password
from gateway.auth.sessions import revoke_web_session
from gateway.models import Account
from gateway.settings import GatewaySettings
from kit.db import write_transaction
from kit.errors import Conflict, ValidationFailed
from kit.french import ROLES, quoted
from kit.permissions import STAFF_ROLES

MIN_STRENGTH = 3  # zxcvbn's score (0–4): "safely unguessable" under an online attack
# zxcvbn's dictionaries are English: the words French passwords are most often made of, and
# those of this platform, are added (as its "user inputs": it then finds them in a password)
FRENCH_WORDS = (
    "motdepasse", "azerty", "azertyuiop", "soleil", "bonjour", "doudou", "chouchou", "loulou",
    "marseille", "toulouse", "nancy", "lorraine", "metropole", "mairie", "mutualis", "dsit",
    "bienvenue", "secret", "coucou", "jetaime", "password", "administrateur",
)  # fmt: skip


def check_new_password(
    password: str, *, email: str, settings: GatewaySettings, field: str = "new_password"
) -> None:
    problems, english = [], []
    if len(password) < settings.password_min_length:
        problems.append(f"au moins {settings.password_min_length} caractères")
        english.append(f"at least {settings.password_min_length} characters")
    local_part = email.split("@")[0].lower()
    if len(local_part) >= 4 and local_part in password.lower():
        problems.append("ne doit pas contenir l'identifiant")
        english.append("must not contain the account's name")
    # zxcvbn: common passwords, keyboard walks, repeats, dates, and the account's own details
    guess = zxcvbn(
        password[:100], user_inputs=[email, local_part, *email.split("@")[1:], *FRENCH_WORDS]
    )
    if not problems and guess["score"] < MIN_STRENGTH:
        problems.append(
            "trop facile à deviner (mot courant, répétition, suite du clavier ou adresse "
            "du compte) : préférez une phrase de plusieurs mots"
        )
        english.append(
            "too easy to guess (a common word, a repeat, a keyboard walk or the account's "
            "address): prefer a sentence of several words"
        )
    if problems:
        raise ValidationFailed(
            "Password too weak: " + ", ".join(english) + ".",
            detail_fr="Mot de passe trop faible : " + ", ".join(problems) + ".",
            errors=[
                {
                    "field": field,
                    "message": "; ".join(english),
                    "type": "weak",
                    "message_fr": "Mot de passe trop faible : " + " ; ".join(problems) + ".",
                }
            ],
        )


def check_roles(kind: str, roles: list[str]) -> None:
    unknown = sorted(set(roles) - set(STAFF_ROLES))
    if kind == "staff" and (unknown or not roles):
        possible = ", ".join(ROLES.get(r, r) for r in STAFF_ROLES)
        french = (
            f"Rôles inconnus : {', '.join(quoted(r) for r in unknown)}"
            if unknown
            else "Au moins un rôle est nécessaire"
        ) + f" ; rôles possibles : {possible}."
        raise ValidationFailed(
            f"Unknown or missing roles: {unknown or '[]'}; possible roles: "
            f"{', '.join(STAFF_ROLES)}.",
            detail_fr=french,
            errors=[
                {
                    "field": "roles",
                    "message": "unknown or empty roles",
                    "type": "roles",
                    "message_fr": french,
                }
            ],
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
        raise Conflict(
            f"An account already exists for {email}.",
            detail_fr=f"Un compte existe déjà pour {email}.",
            slug="account-exists",
        )
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
            "The current password is wrong.",
            detail_fr="Le mot de passe actuel est incorrect.",
            errors=[
                {
                    "field": "current_password",
                    "message": "incorrect",
                    "type": "password",
                    "message_fr": "Le mot de passe actuel est incorrect.",
                }
            ],
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


def forget_erased_contact(factory: sessionmaker[Session], email: str) -> None:
    """After the registry erased a contact (GDPR art. 17), the gateway forgets its email too:
    the login account is deactivated and pseudonymised, its sessions revoked, and the email is
    removed from the login audit (the events stay, without whom they named)."""
    with write_transaction(factory) as session:
        account = repository.account_by_email(session, email)
        if account is not None:
            account.email = f"efface-{account.id}@compte-efface.invalid"
            account.display_name = "Compte effacé"
            account.is_active = False
            for open_session in repository.open_sessions_of(session, account.id):
                revoke_web_session(open_session)
        repository.forget_email_in_audit(session, email)
