"""View models of accounts (people) and machine tokens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from web.views.format import timestamp

ROLES = {
    "admin": "Administration",
    "finance": "Finances",
    "project": "Projets",
    "dpo": "Délégué à la protection des données",
    "signatory": "Signataire (délégation de l'ordonnateur)",
}
ACCOUNT_KINDS = {"staff": "Agent DSIT", "contact": "Interlocuteur d'un adhérent"}
SCOPES = {
    "read": "Lecture de tout ce qui est lisible",
    "invoices:read": "Lecture des titres de recettes",
    "inventory:write": "Envoi d'inventaires",
    "usage:write": "Envoi de consommations (inducteurs)",
    "indicators:write": "Envoi de mesures d'indicateurs",
}


def is_locked(locked_until: str | None, now: dt.datetime | None = None) -> bool:
    if not locked_until:
        return False
    until = dt.datetime.fromisoformat(locked_until)
    now = now or dt.datetime.now(dt.UTC)
    if until.tzinfo is None:
        now = now.replace(tzinfo=None)
    return until > now


@dataclass(frozen=True)
class AccountRow:
    id: int
    email: str
    display_name: str
    kind_label: str
    roles_label: str
    is_active: bool
    is_demo: bool
    locked: bool
    locked_until: str
    must_change_password: bool
    last_login_at: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> AccountRow:
        return cls(
            id=item["id"],
            email=item["email"],
            display_name=item["display_name"],
            kind_label=ACCOUNT_KINDS.get(item["kind"], item["kind"]),
            roles_label=", ".join(ROLES.get(r, r) for r in item.get("roles", [])),
            is_active=item["is_active"],
            is_demo=item.get("is_demo", False),
            locked=is_locked(item.get("locked_until")),
            locked_until=timestamp(item.get("locked_until")),
            must_change_password=item.get("must_change_password", False),
            last_login_at=timestamp(item.get("last_login_at")),
        )


@dataclass(frozen=True)
class TokenRow:
    id: int
    name: str
    prefix: str
    scopes_label: str
    member_code: str
    created_by: str
    created_at: str
    expires_at: str
    last_used_at: str
    revoked: bool
    revoked_at: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> TokenRow:
        return cls(
            id=item["id"],
            name=item["name"],
            prefix=item["prefix"],
            scopes_label=", ".join(SCOPES.get(s, s) for s in item.get("scopes", [])),
            member_code=item.get("member_code") or "",
            created_by=item.get("created_by") or "",
            created_at=timestamp(item.get("created_at")),
            expires_at=timestamp(item.get("expires_at")),
            last_used_at=timestamp(item.get("last_used_at")),
            revoked=item.get("revoked_at") is not None,
            revoked_at=timestamp(item.get("revoked_at")),
        )
