"""``mutualis create-admin``: the first administrator, created from the command line."""

from __future__ import annotations

import getpass
import os

from gateway.auth import accounts, service
from gateway.auth.secrets import password_hasher
from gateway.settings import GatewaySettings
from kit.db import create_db_engine, make_sessionmaker
from kit.errors import AppError


def read_password() -> str:
    """From ``MUTUALIS_ADMIN_PASSWORD`` (for scripts) or typed twice at the prompt."""
    from_env = os.environ.get("MUTUALIS_ADMIN_PASSWORD")
    if from_env:
        return from_env
    first = getpass.getpass("Mot de passe : ")
    if first != getpass.getpass("Confirmation : "):
        raise SystemExit("Les deux mots de passe diffèrent.")
    return first


def create_admin(email: str, display_name: str) -> int:
    settings = GatewaySettings()
    engine = create_db_engine(settings.database_url)
    try:
        with make_sessionmaker(engine).begin() as session:
            account = accounts.create_account(
                session,
                email=email,
                display_name=display_name,
                kind="staff",
                roles=["admin"],
                password=read_password(),
                hasher=password_hasher(settings.password_hash_profile),
                settings=settings,
            )
            session.add(
                service.audit_entry(
                    "account_created",
                    principal="cli",
                    email=account.email,
                    detail={"roles": ["admin"]},
                )
            )
    except AppError as exc:
        print(f"Refusé : {exc.detail}")
        return 1
    finally:
        engine.dispose()
    print(f"Compte administrateur créé : {email}")
    return 0
