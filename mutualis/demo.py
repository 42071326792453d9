"""Demo data for ``make run``: each service's ``demo.load(session)`` fills an empty database.

A service's loader returns False when its database already holds data, so a second
``make run`` changes nothing. Demo figures are fictional and marked as such.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from kit.db import create_db_engine, make_sessionmaker
from mutualis.apps import DATABASE_APPS, AppSpec

logger = logging.getLogger("mutualis.demo")


def _loader(spec: AppSpec) -> Callable[[Session], bool] | None:
    name = f"{spec.package}.demo"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None
    loader: Callable[[Session], bool] = module.load
    return loader


def load_demo_data() -> dict[str, bool]:
    """Load every service's demo data where its database is empty; say which were loaded."""
    loaded: dict[str, bool] = {}
    for spec in DATABASE_APPS:
        loader = _loader(spec)
        if loader is None:
            continue
        engine = create_db_engine(spec.settings().database_url)  # type: ignore[attr-defined]
        try:
            with make_sessionmaker(engine).begin() as session:
                loaded[spec.name] = loader(session)
        finally:
            engine.dispose()
    return loaded


DEMO_SIGNATORY = {
    "first_name": "Claire",
    "last_name": "Exemple (démo, fictive)",
    "qualite": "Vice-présidente déléguée aux finances",
    "delegation_reference": "arrêté n° 2020-118 du 16 juillet 2020 (démo)",
    "valid_from": "2020-07-16",
}
SIGNATORY_EMAIL = "signataire@dsit.example"


def _bearer(client: object, email: str, password: str) -> dict[str, str] | None:
    import httpx

    assert isinstance(client, httpx.Client)
    token = client.post("/api/auth/token", data={"username": email, "password": password})
    if token.status_code != 200:
        return None
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def register_demo_signatory(client: object, password: str) -> dict[str, str] | None:
    """The demo signatory's delegation in the register (as the demo administrator), and the
    signatory's own headers; None when it cannot be done."""
    import httpx

    assert isinstance(client, httpx.Client)
    admin = _bearer(client, "admin@dsit.example", password)
    if admin is None:
        return None
    accounts = client.get("/api/auth/accounts", params={"limit": "500"}, headers=admin)
    found = [a for a in accounts.json().get("items", []) if a["email"] == SIGNATORY_EMAIL]
    if accounts.status_code != 200 or not found:
        return None
    entry = {**DEMO_SIGNATORY, "account_id": found[0]["id"]}
    if client.post("/api/billing/signatories", json=entry, headers=admin).status_code != 201:
        return None
    return _bearer(client, SIGNATORY_EMAIL, password)


def launch_demo_runs(gateway_url: str, *, year: int) -> list[str]:
    """On a fresh demo, bill the past years for good (final runs, their revenue titles issued)
    and forecast the current one, through the public API as the demo finance user, so the
    dashboards show figures and titles from the first page.
    Returns one line per run for the console."""
    import os
    import time

    import httpx

    password = os.environ.get("MUTUALIS_DEMO_PASSWORD", "mutualis-demo")
    lines = []
    with httpx.Client(base_url=gateway_url, timeout=30) as client:
        token = client.post(
            "/api/auth/token", data={"username": "finance@dsit.example", "password": password}
        )
        if token.status_code != 200:
            return [f"calculs de démonstration non lancés ({token.status_code})"]
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        signatory = register_demo_signatory(client, password)
        if signatory is None:
            lines.append("signataire de démonstration non inscrit : titres non validés")
        for fiscal_year, kind in ((year - 2, "final"), (year - 1, "final"), (year, "forecast")):
            launched = client.post(
                "/api/billing/runs", json={"fiscal_year": fiscal_year, "kind": kind}
            )
            if launched.status_code != 202:
                lines.append(f"{kind} {fiscal_year} : refusé ({launched.status_code})")
                continue
            run = launched.json()
            deadline = time.monotonic() + 60
            while run["status"] in ("queued", "running") and time.monotonic() < deadline:
                time.sleep(0.1)
                run = client.get(f"/api/billing/runs/{run['id']}").json()
            lines.append(f"calcul {kind} {fiscal_year} : {run['status']}")
            if kind == "final" and run["status"] == "succeeded":
                # the demo's past years predate Mutualis: their forecasts were notified before
                # it (CGCT D5211-16), which the reason records on each title
                history = (
                    f"Reprise de l'historique : la prévision {fiscal_year} a été notifiée aux "
                    "membres avant la mise en service de Mutualis."
                )
                prepared = client.post(
                    f"/api/billing/runs/{run['id']}/issue", json={"forecast_reason": history}
                )
                if prepared.status_code >= 300:
                    lines.append(f"titres {fiscal_year} : refusés ({prepared.status_code})")
                    continue
                body = prepared.json()
                ids = [t["id"] for t in body["prepared"]]
                issued: list[dict[str, object]] = []
                if signatory is not None and ids:
                    validated = client.post(
                        "/api/billing/validations",
                        json={"invoice_ids": ids, "confirm": True},
                        headers=signatory,
                    )
                    issued = validated.json().get("issued", []) if validated.is_success else []
                lines.append(
                    f"titres {fiscal_year} : {len(issued)} émis, "
                    f"{len(ids) - len(issued)} à valider, {len(body['waiting'])} en attente"
                )
                if fiscal_year == year - 2 and issued and signatory is not None:
                    lines.append(demo_corrections(client, issued, signatory))
                    lines.append(demo_round_trip(client, fiscal_year, issued))
    return lines


def demo_corrections(
    client: object, issued: list[dict[str, object]], signatory: dict[str, str]
) -> str:
    """A reduction and a complementary title on one of the oldest demo titles, so that the
    demo shows corrections and their documents as a year really has them."""
    import httpx

    assert isinstance(client, httpx.Client)
    title = next(
        (t for t in issued if t.get("section") == "investment" and t.get("kind") == "title"), None
    )
    if title is None:
        return "corrections de démonstration : aucun titre d'investissement"
    made = []
    for kind, amount, reason in (
        ("reduction", "10.00", "Erreur matérielle : un poste compté deux fois (démo)"),
        ("complementary", "5.00", "Licence oubliée dans la base de liquidation (démo)"),
    ):
        prepared = client.post(
            f"/api/billing/invoices/{title['id']}/corrections",
            json={"kind": kind, "amount": amount, "reason": reason},
        )
        if prepared.status_code == 201:
            made.append(prepared.json()["id"])
    validated = client.post(
        "/api/billing/validations",
        json={"invoice_ids": made, "confirm": True},
        headers=signatory,
    )
    count = len(validated.json().get("issued", [])) if validated.is_success else 0
    return f"corrections de démonstration : {count} émises"


def demo_round_trip(client: object, fiscal_year: int, issued: list[dict[str, object]]) -> str:
    """The oldest year's titles and its reduction sent and taken by Hélios (one acknowledgement
    per PES file, in the shape of the DGFiP's), one of its titles paid and another partly paid.
    The complementary title's bordereau and the next year's stay signed, for a person to try an
    upload (``mutualis acquit-example``: one accepted, one rejected)."""
    import datetime as dt

    import httpx

    from services.billing.invoices.acquit_example import Verdict, build
    from services.billing.invoices.settings import IssuerSettings

    assert isinstance(client, httpx.Client)
    listed = client.get("/api/billing/bordereaux", params={"fiscal_year": fiscal_year})
    titles_ids = {t["id"] for t in issued}
    taken = [
        b
        for b in (listed.json().get("items", []) if listed.is_success else [])
        if b["type"] == "02" or titles_ids & set(b["invoice_ids"])
    ]
    for b in taken:
        client.post(f"/api/billing/bordereaux/{b['id']}/sent", json={"confirm": True})
        xml = build([Verdict(b["exercice"], b["number"])], settings=IssuerSettings(),
                    budget_code=str(b["budget_code"]), file_name=str(b["file_name"]))  # fmt: skip
        client.post("/api/billing/acquits", content=xml,
                    headers={"Content-Type": "application/xml"})  # fmt: skip
    titles = [t for t in issued if t.get("kind") == "title" and t.get("member_code") != "ludres"]
    today = dt.date.today()
    rows = []
    for title, share in zip(titles[:2], (1, 2), strict=False):
        paid = _cents(str(title["total"])) // share
        rows.append(f"{title['exercice']};{title['number']};{today:%d/%m/%Y};"
                    f"{paid // 100},{paid % 100:02d};VIR-DEMO-{title['number']}")  # fmt: skip
    if rows:
        content = "exercice;titre;date;montant;reference\n" + "\n".join(rows) + "\n"
        client.post("/api/billing/payments.csv", content=content.encode(),
                    headers={"Content-Type": "text/csv"})  # fmt: skip
    return f"suivi Hélios de démonstration : {len(taken)} bordereau(x) pris en charge"


def _cents(amount: str) -> int:
    from services.billing.engine.money import to_cents

    return to_cents(amount)
