"""The menu: only the pages a person may open are offered."""

from __future__ import annotations

from dataclasses import dataclass

from web.session import User


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    permission: str
    staff_only: bool = False
    contact_only: bool = False
    dev_mailbox: bool = False  # only while the development mailbox is on


NAV = (
    NavItem("Mon tableau de bord", "/tableau-de-bord", "billing:read", contact_only=True),
    NavItem("Mes services", "/mes-services", "catalogue:read", contact_only=True),
    NavItem("Adhérents", "/adherents", "registry:read", staff_only=True),
    NavItem("Conventions", "/conventions", "registry:read", staff_only=True),
    NavItem("Catalogue", "/catalogue", "catalogue:read", staff_only=True),
    NavItem("Refacturation", "/facturation", "billing:read", staff_only=True),
    NavItem("Titres de recettes", "/titres", "invoices:read", staff_only=True),
    NavItem(
        "Attributions de compensation",
        "/facturation/attributions-de-compensation",
        "invoices:read",
        staff_only=True,
    ),
    NavItem("Parapheur", "/titres/a-valider", "invoices:validate", staff_only=True),
    NavItem("Signataires", "/signataires", "signatories:write", staff_only=True),
    NavItem("Gouvernance", "/gouvernance", "governance:read", staff_only=True),
    NavItem("Comptes", "/comptes", "accounts:admin", staff_only=True),
    NavItem("Journal", "/journal", "audit:read", staff_only=True),
    NavItem("Courriels (développement)", "/courriels", "accounts:admin", True, dev_mailbox=True),
    NavItem("État de la plateforme", "/statut", "", staff_only=False),
)


def menu_for(user: User | None, *, dev_mailbox: bool = False) -> list[NavItem]:
    if user is None:
        return [item for item in NAV if not item.permission]
    return [
        item
        for item in NAV
        if (not item.permission or user.can(item.permission))
        and not (item.staff_only and user.kind != "staff")
        and not (item.contact_only and not user.is_contact)
        and not (item.dev_mailbox and not dev_mailbox)
    ]


def home_for(user: User) -> str:
    return "/tableau-de-bord" if user.is_contact else "/adherents"
