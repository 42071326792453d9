"""Password hashing (argon2id), random tokens and their stored digests, access tokens (JWT)."""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

import argon2
import jwt

from kit.errors import Unauthorized

MACHINE_TOKEN_PREFIX = "mut_"
ACCESS_AUDIENCE = "mutualis-api"


def password_hasher(profile: str) -> argon2.PasswordHasher:
    """argon2id with the library's defaults, or its cheapest profile for the tests."""
    if profile == "cheapest":
        return argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
    return argon2.PasswordHasher()


def verify_password(hasher: argon2.PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return False


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """Tokens are high-entropy random values: a plain SHA-256 is the right stored form."""
    return hashlib.sha256(token.encode()).hexdigest()


def credential_mark(password_hash: str) -> str:
    """A short fingerprint of the account's password hash, carried by its access tokens: a new
    password (changed or reset) changes it, and the older tokens stop working."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def sign_access_token(claims: dict[str, Any], secret: str, *, minutes: int) -> str:
    now = int(time.time())
    payload = {**claims, "aud": ACCESS_AUDIENCE, "iat": now, "exp": now + minutes * 60}
    return jwt.encode(payload, secret, algorithm="HS256")


def read_access_token(token: str, secret: str) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token, secret, algorithms=["HS256"], audience=ACCESS_AUDIENCE
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized(
            "The access token has expired: ask for a new one",
            detail_fr="Le jeton d'accès a expiré : demandez-en un nouveau.",
            slug="token-expired",
        ) from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized(
            "The access token is not valid",
            detail_fr="Le jeton d'accès n'est pas valide.",
            slug="token-invalid",
        ) from exc

    return claims
