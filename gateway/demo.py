"""Demo accounts, created by ``mutualis run`` on an empty gateway database (never otherwise).

Staff: admin@, finance@, dpo@, projets@ and signataire@dsit.example (the signatory, whose
delegation the demo records in billing's register). Contacts: referent@<member code>.example
for each demo member (their member and roles come from the registry's demo contacts). All
share the password of ``MUTUALIS_DEMO_PASSWORD`` (default ``mutualis-demo``); the hash is
computed once and reused, which is acceptable for demo accounts only. Production refuses to
start while any demo account exists.
"""

from __future__ import annotations

import os

from sqlalchemy.orm import Session

from gateway.auth import repository
from gateway.auth.secrets import password_hasher
from gateway.models import Account
from gateway.settings import GatewaySettings
from kit.demo import DEMO_MEMBER_CODES

DEFAULT_DEMO_PASSWORD = "mutualis-demo"  # noqa: S105 - documented demo password
STAFF = [
    ("admin@dsit.example", "Administratrice DSIT (démo)", ["admin"]),
    ("finance@dsit.example", "Service financier DSIT (démo)", ["finance"]),
    ("dpo@dsit.example", "Délégué à la protection des données (démo)", ["dpo"]),
    ("projets@dsit.example", "Bureau des projets DSIT (démo)", ["project"]),
    # validates the titles finance prepares; its delegation is in billing's register
    ("signataire@dsit.example", "Claire Exemple, vice-présidente (démo)", ["signatory"]),
]


def demo_password() -> str:
    return os.environ.get("MUTUALIS_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


def load(session: Session) -> bool:
    if repository.count_accounts(session):
        return False
    settings = GatewaySettings()
    password_hash = password_hasher(settings.password_hash_profile).hash(demo_password())
    for email, name, roles in STAFF:
        session.add(
            Account(
                email=email,
                display_name=name,
                kind="staff",
                roles=roles,
                password_hash=password_hash,
                is_demo=True,
            )
        )
    for code in DEMO_MEMBER_CODES:
        session.add(
            Account(
                email=f"referent@{code}.example",
                display_name=f"Référent {code}",
                kind="contact",
                roles=[],
                password_hash=password_hash,
                is_demo=True,
            )
        )
    return True
