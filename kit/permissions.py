"""The role × scope → permission table, shared by the gateway and every service.

A permission is ``<area>:<verb>``. Staff get theirs from their roles; member contacts get the
contact set, always restricted to their own member; machine tokens get theirs from their
scopes; peer services read what they need to compute.
"""

from __future__ import annotations

from collections.abc import Iterable

READ_ALL = frozenset(
    {"registry:read", "catalogue:read", "billing:read", "invoices:read", "governance:read"}
)

STAFF_ROLES: dict[str, frozenset[str]] = {
    "admin": READ_ALL
    | {
        "registry:write",
        "catalogue:write",
        "inventory:write",
        "usage:write",
        "billing:write",
        "invoices:issue",
        "signatories:write",
        "governance:write",
        "indicators:write",
        "gdpr:read",
        "gdpr:write",
        "accounts:admin",
        "audit:read",
        "notifications:send",
    },
    "finance": READ_ALL
    | {
        "registry:write",
        "catalogue:write",
        "inventory:write",
        "usage:write",
        "billing:write",
        "invoices:issue",
        "notifications:send",
    },
    # an elected official or officer holding a delegation of the ordonnateur, recorded in the
    # register of signatories: validates (renders executory) what finance prepared
    "signatory": READ_ALL | {"invoices:validate"},
    "project": READ_ALL | {"governance:write", "indicators:write"},
    "dpo": READ_ALL | {"gdpr:read", "gdpr:write"},
}

CONTACT_PERMISSIONS = READ_ALL | {"gdpr:read"}

TOKEN_SCOPES: dict[str, frozenset[str]] = {
    "read": READ_ALL,
    "invoices:read": frozenset({"invoices:read"}),
    "inventory:write": frozenset({"catalogue:read", "inventory:write"}),
    "usage:write": frozenset({"catalogue:read", "usage:write"}),
    "indicators:write": frozenset({"governance:read", "indicators:write"}),
}

# peer services also queue the notifications of their events in the registry
SERVICE_PERMISSIONS = READ_ALL | {"notifications:send"}


def permissions_for(*, kind: str, roles: Iterable[str], scopes: Iterable[str]) -> frozenset[str]:
    if kind == "staff":
        return frozenset().union(*(STAFF_ROLES.get(r, frozenset()) for r in roles))
    if kind == "contact":
        return CONTACT_PERMISSIONS
    if kind == "machine":
        return frozenset().union(*(TOKEN_SCOPES.get(s, frozenset()) for s in scopes))
    if kind == "service":
        return SERVICE_PERMISSIONS
    return frozenset()
