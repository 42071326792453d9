"""View models of the audit log: the gateway's logins and writes, and a service's entries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from web.views.format import timestamp

EVENTS = {
    "login_succeeded": "Connexion réussie",
    "login_failed": "Échec de connexion",
    "login_locked": "Compte verrouillé",
    "login_refused": "Connexion refusée",
    "login_throttled": "Connexions freinées",
    "logout": "Déconnexion",
    "password_changed": "Mot de passe changé",
    "password_reset": "Mot de passe réinitialisé",
    "account_created": "Compte créé",
    "account_updated": "Compte modifié",
    "api_token_created": "Jeton créé",
    "api_token_revoked": "Jeton révoqué",
    "write": "Écriture",
}
# a service's audit entries: what was done, to what
ACTIONS = {
    "create": "Création",
    "update": "Modification",
    "delete": "Suppression",
    "erase": "Effacement (RGPD)",
    "amend": "Avenant",
    "replace": "Remplacement",
    "import": "Import",
}
RESOURCES = {
    "member": "Adhérent",
    "contact": "Contact",
    "convention": "Convention",
    "adhesion": "Adhésion",
    "amendment": "Avenant",
    "workstation_count": "Postes de travail",
    "budget_calendar": "Calendrier budgétaire",
}
# services whose audit trail is readable over the gateway (only the registry so far)
SERVICE_TRAILS = {"registry": ("Référentiel des adhérents", "/api/registry/audit-entries")}


def compact(value: Any) -> str:
    if value in (None, {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class GatewayEntry:
    id: int
    occurred_at: str
    event_label: str
    who: str
    request: str
    status: str
    detail: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> GatewayEntry:
        request = " ".join(filter(None, [item.get("method"), item.get("path")]))
        return cls(
            id=item["id"],
            occurred_at=timestamp(item["occurred_at"]),
            event_label=EVENTS.get(item["event"], item["event"]),
            who=item.get("principal") or item.get("email") or "",
            request=request,
            status=str(item.get("status") or ""),
            detail=" ".join(
                filter(
                    None,
                    [
                        item.get("client_ip") and f"IP {item['client_ip']}",
                        compact(item.get("detail")),
                    ],
                )
            ),
        )


@dataclass(frozen=True)
class ServiceEntry:
    id: int
    occurred_at: str
    who: str
    action: str
    resource: str
    before: str
    after: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> ServiceEntry:
        return cls(
            id=item["id"],
            occurred_at=timestamp(item["occurred_at"]),
            who=item.get("principal") or "",
            action=ACTIONS.get(item["action"], "Autre opération"),
            resource=f"{RESOURCES.get(item['resource_type'], 'Donnée')} {item['resource_id']}",
            before=compact(item.get("before")),
            after=compact(item.get("after")),
        )
