"""The gateway's half of the role × scope × member rule, applied before forwarding.

Each service checks the exact permission of each route again; the gateway refuses early what
no permission of the principal could reach, and keeps member-scoped principals (contacts,
member-restricted tokens) away from other members' paths and filters.
"""

from __future__ import annotations

from kit.errors import Forbidden, NotFound
from kit.french import quoted, service_label
from kit.identity import Principal

READ_PERMISSIONS = {
    "registry": {"registry:read", "gdpr:read"},
    "catalogue": {"catalogue:read"},
    "billing": {"billing:read", "invoices:read"},
    "governance": {"governance:read", "gdpr:read"},
}
WRITE_PERMISSIONS = {
    "registry": {"registry:write", "gdpr:write"},
    "catalogue": {"catalogue:write", "inventory:write", "usage:write"},
    "billing": {"billing:write", "invoices:issue", "invoices:validate", "signatories:write"},
    "governance": {"governance:write", "indicators:write", "gdpr:write"},
}
MEMBER_QUERY_PARAMS = ("member_code", "member")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# writes that change nothing the DSIT manages, which the service scopes itself: a member's
# contact saves its own what-if simulations (billing checks that it changes only its own
# member's figures, and that a DSIT user making one may change billing)
READ_SCOPED_WRITES = {"billing": ("simulations",)}


def forward_permissions(service: str, method: str, path: str) -> set[str]:
    """The permissions of which the principal needs one for the gateway to forward."""
    parts = [p for p in path.split("/") if p]
    if method in SAFE_METHODS or (parts and parts[0] in READ_SCOPED_WRITES.get(service, ())):
        return READ_PERMISSIONS.get(service, set())
    return WRITE_PERMISSIONS.get(service, set())


def authorize_forward(
    principal: Principal, *, service: str, method: str, path: str, query: dict[str, list[str]]
) -> None:
    needed = forward_permissions(service, method, path)
    if not principal.permissions & needed:
        raise Forbidden(
            f"{principal.name} may not {'read' if method in SAFE_METHODS else 'change'} "
            f"anything in {service}.",
            detail_fr=f"{principal.name} ne peut rien "
            f"{'consulter' if method in SAFE_METHODS else 'modifier'} dans le service "
            f"{quoted(service_label(service))}.",
            slug="permission-denied",
        )
    if principal.member is None:
        return
    parts = [p for p in path.split("/") if p]
    for index, part in enumerate(parts[:-1]):
        if part == "members" and parts[index + 1] != principal.member:
            raise _no_member(parts[index + 1])
    for name in MEMBER_QUERY_PARAMS:
        for value in query.get(name, []):
            if value != principal.member:
                raise _no_member(value)


def _no_member(code: str) -> NotFound:
    """Another member's data does not exist for a member-scoped principal (404, not 403)."""
    return NotFound(
        f"No member '{code}'",
        detail_fr=f"Aucun adhérent ne porte le code {quoted(code)}.",
        slug="member-not-found",
    )
