"""The real registry and catalogue apps, filled through their APIs, wired to a billing app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stdnum import luhn

from kit.client import ServiceClient
from kit.settings import PLACEHOLDER_SECRET
from services.billing.runs.inputs import HttpInputs
from tests.conftest import as_admin, sync_client

YEAR = 2024


def siret(n: int) -> str:
    siren = f"{n:08d}"
    siren += luhn.calc_check_digit(siren)
    base = siren + "0001"
    return base + luhn.calc_check_digit(base)


def check(response: Any) -> Any:
    assert response.status_code < 300, response.text
    return response.json()


class Platform:
    """Billing with its two upstreams, all on the test database backend."""

    def __init__(self, service_app: Callable[..., Any]) -> None:
        self.registry_app = service_app("registry")
        self.catalogue_app = service_app("catalogue")
        self.billing_app = service_app("billing", run_worker="inline")
        self.registry = sync_client(self.registry_app, base_url="http://x", headers=as_admin())
        self.catalogue = sync_client(self.catalogue_app, base_url="http://x", headers=as_admin())
        self.billing = sync_client(self.billing_app, base_url="http://x", headers=as_admin())
        self.connect()
        self._sirets = 0

    def connect(self, registry_app: Any = None) -> None:
        def client(name: str, app: Any) -> ServiceClient:
            http = sync_client(app, base_url="http://x")
            return ServiceClient(
                name, "http://x", caller="billing", secret=PLACEHOLDER_SECRET, client=http
            )

        self.billing_app.state.inputs_source = HttpInputs(
            client("registry", registry_app or self.registry_app),
            client("catalogue", self.catalogue_app),
            page_size=2,  # small pages: the pagination is exercised
        )

    def member(
        self,
        code: str,
        *,
        host: bool = False,
        joined_on: str = "2015-01-01",
        kind: str = "commune",
        adhesion: bool = True,
    ) -> None:
        """A member; a member that is not the host adheres to the convention by a deliberation
        of its own, unless ``adhesion`` is False (its titles are then refused)."""
        self._sirets += 1
        check(
            self.registry.post(
                "/members",
                json={
                    "code": code,
                    "name": code.replace("-", " ").title(),
                    "kind": "metropole" if host else kind,
                    "siret": siret(12345000 + self._sirets),
                    "address": {"line": "1 place", "postal_code": "54000", "city": "Nancy"},
                    "is_host": host,
                    "joined_on": joined_on,
                },
            )
        )
        if not host and adhesion:
            self.adhere(code, joined_on)

    CONVENTION = "mutualisation-informatique"

    def adhere(self, code: str, on: str) -> None:
        """The member's adhesion to the convention, with its deliberation's number and date."""
        if not getattr(self, "_convention", False):
            check(
                self.registry.post(
                    "/conventions",
                    json={
                        "code": self.CONVENTION,
                        "title": "Convention de mutualisation informatique",
                        "starts_on": "2020-01-01",
                        "ends_on": "2024-12-31",
                        "deliberation_ref": "n° 12",
                        "deliberated_on": "2014-12-12",
                    },
                )
            )
            self._convention = True
        check(
            self.registry.post(
                f"/conventions/{self.CONVENTION}/adhesions",
                json={
                    "member_code": code,
                    "deliberation_ref": f"n° {self._sirets}",
                    "deliberated_on": on,
                },
            )
        )

    def workstations(self, code: str, count: int, year: int = YEAR) -> None:
        check(
            self.registry.put(
                f"/members/{code}/workstations/{year}",
                json={"count": count, "reference_date": f"{year - 1}-12-31", "source": "declared"},
            )
        )

    def driver(self, code: str, unit: str, description: str = "") -> None:
        body = {"code": code, "unit": unit, "description": description}
        check(self.catalogue.post("/drivers", json=body))

    def service(self, code: str, name: str) -> None:
        check(self.catalogue.post("/services", json={"code": code, "name": name,
                                                      "domain": "infrastructure"}))  # fmt: skip

    def cost_line(
        self,
        component: str,
        amount: str,
        *,
        section: str = "operating",
        weights: dict[str, str] | None = None,
        driver: str | None = None,
        year: int = YEAR,
        name: str | None = None,
        nature: str = "maintenance",
        service: str | None = None,
    ) -> int:
        """A cost line of ``component`` (created first, named ``name`` or its code)."""
        if self.catalogue.get(f"/components/{component}").status_code == 404:
            made: dict[str, Any] = {"code": component, "name": name or component}
            if service:
                made["service_code"] = service
            check(self.catalogue.post("/components", json={**made, "kind": "application"}))
        body: dict[str, Any] = {
            "component_code": component,
            "fiscal_year": year,
            "section": section,
            "nature": nature,
            "amount": amount,
            "mode": "indirect" if driver else "direct",
        }
        if driver:
            body["driver_code"] = driver
        else:
            body["allocation"] = [
                {"member_code": m, "weight": w} for m, w in (weights or {}).items()
            ]
        return int(check(self.catalogue.post("/cost-lines", json=body))["id"])

    def usage(self, driver: str, quantities: dict[str, str], year: int = YEAR) -> None:
        measurements = [{"member_code": m, "quantity": q} for m, q in quantities.items()]
        check(
            self.catalogue.put(
                f"/usage/{year}/{driver}",
                json={"measurements": measurements, "reference_date": f"{year}-06-30"},
            )
        )

    def parameters(self, envelope: str, year: int = YEAR, **cap: Any) -> None:
        body = {"payroll_envelope": envelope, "cap": {"enabled": True, "window": 3, **cap}}
        check(self.billing.put(f"/fiscal-years/{year}", json=body))

    def history(self, year: int, code: str, total: str) -> None:
        check(self.billing.put(f"/history/{year}/{code}", json={"operating_total": total}))

    def run(self, kind: str = "final", year: int = YEAR, **extra: Any) -> dict[str, Any]:
        launched = self.billing.post("/runs", json={"fiscal_year": year, "kind": kind, **extra})
        assert launched.status_code == 202, launched.text
        return dict(self.billing.get(f"/runs/{launched.json()['id']}").json())

    def worked_example(self) -> None:
        """The example of docs/billing.md (same figures as tests/billing/factories.py)."""
        self.member("grand-nancy", host=True)
        for code in ("ludres", "nancy"):
            self.member(code)
        self.member("laxou", joined_on=f"{YEAR}-03-01")
        for code, count in {"grand-nancy": 50, "ludres": 20, "nancy": 25, "laxou": 5}.items():
            self.workstations(code, count)
        self.driver("storage_gb", "Go")
        self.cost_line("sig", "300.00", weights={"ludres": "1", "nancy": "2"})
        self.cost_line(
            "erp",
            "1000.00",
            section="investment",
            weights={"ludres": "1", "nancy": "1", "laxou": "1"},
        )
        self.cost_line("san", "600.00", driver="storage_gb")
        self.cost_line("backup", "400.00", driver="storage_gb")
        self.usage("storage_gb", {"grand-nancy": "100", "ludres": "50", "nancy": "50"})
        self.parameters("10000.00")
        for year, total in ((YEAR - 3, "2000.00"), (YEAR - 2, "2100.00"), (YEAR - 1, "2200.00")):
            self.history(year, "ludres", total)
        self.history(YEAR - 1, "nancy", "3000.00")

    def named_example(self) -> None:
        """A year as the demo has it: the catalogue's real kinds of codes (drivers
        ``business_app_accounts`` and ``workstations``, components ``fibre-metropole``…,
        natures ``hosting``, ``licence``, ``acquisition``) with their French names, both
        sections, a capped member (ludres), and a payroll count (76) that is not the
        ``workstations`` driver's (47)."""
        self.member("grand-nancy", host=True)
        for code in ("ludres", "nancy"):
            self.member(code)
        self.member("laxou", joined_on=f"{YEAR}-03-01")
        for code, count in {"grand-nancy": 50, "ludres": 76, "nancy": 25, "laxou": 5}.items():
            self.workstations(code, count)
        self.service("reseau", "Réseau métropolitain")
        self.service("finances-rh", "Logiciels finances et RH")
        self.service("postes-de-travail", "Postes de travail")
        self.driver(
            "business_app_accounts", "comptes", "Comptes actifs des logiciels finances et RH"
        )
        self.driver("workstations", "postes", "Postes de travail gérés")
        self.cost_line(
            "fibre-metropole", "3900.00", name="Boucle fibre métropolitaine", nature="hosting",
            service="reseau", weights={"ludres": "1", "nancy": "2", "laxou": "1"},
        )  # fmt: skip
        self.cost_line(
            "ciril-rh", "5200.00", name="Ciril RH (paie, carrières)", nature="licence",
            service="finances-rh", driver="business_app_accounts",
        )  # fmt: skip
        self.cost_line(
            "antivirus-edr", "2350.00", name="Antivirus et EDR", nature="subscription",
            service="postes-de-travail", driver="workstations",
        )  # fmt: skip
        self.cost_line(
            "postes-2024", "10000.00", section="investment", name="Parc de postes 2024",
            nature="acquisition", service="postes-de-travail", driver="workstations",
        )  # fmt: skip
        self.cost_line(
            "san-netapp", "1800.00", section="investment", name="Baie de stockage NetApp",
            nature="acquisition", weights={"ludres": "1", "nancy": "1", "laxou": "1"},
        )  # fmt: skip
        self.usage(
            "business_app_accounts", {"grand-nancy": "100", "ludres": "12", "nancy": "30",
                                      "laxou": "3"},
        )  # fmt: skip
        self.usage("workstations", {"grand-nancy": "45", "ludres": "47", "nancy": "20",
                                    "laxou": "4"})  # fmt: skip
        self.parameters("10000.00")
        for year, total in ((YEAR - 3, "5000.00"), (YEAR - 2, "5200.00"), (YEAR - 1, "5400.00")):
            self.history(year, "ludres", total)
