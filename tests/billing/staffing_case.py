"""A small case for the comparison with hiring one's own staff: three members, three services,
three profiles (shared by the billing, governance and web tests)."""

from __future__ import annotations

from tests.billing.upstream import YEAR, Platform, check


def references(platform: Platform) -> None:
    """rssi 80,000 / technicien 48,000 / ingénieur 66,000 a year, at least half a post each.
    securite needs 0.1 RSSI (0.5 from 250 workstations), postes 0.3 technicien (1.55 from 250),
    messagerie 0.2 ingénieur."""
    catalogue = platform.catalogue
    for code, label, cost in (
        ("rssi", "RSSI", "80000.00"),
        ("technicien", "Technicien", "48000.00"),
        ("ingenieur", "Ingénieur systèmes et réseaux", "66000.00"),
    ):
        body = {"code": code, "label": label, "yearly_cost": cost, "reference_year": 2025}
        check(catalogue.post("/staffing/profiles", json={**body, "source": "Indicatif"}))
    for service, profile, band, fte in (
        ("securite", "rssi", 0, "0.1"),
        ("securite", "rssi", 250, "0.5"),
        ("postes", "technicien", 0, "0.3"),
        ("postes", "technicien", 250, "1.55"),
        ("messagerie", "ingenieur", 0, "0.2"),
    ):
        need = {"service_code": service, "profile_code": profile, "min_workstations": band}
        check(catalogue.post("/staffing/needs", json={**need, "fte": fte}))


def small_case(platform: Platform, year: int = YEAR) -> None:
    """Payroll 10,000.00 over 400 workstations: ludres 50 → 1,250.00, nancy 300 → 7,500.00.
    Pare-feu (sécurité) 1,000.00 weighted 1:3; antivirus (postes) 4,000.00 on 400 postes used
    (ludres 20 → 200.00, nancy 300 → 3,000.00); Exchange (messagerie) 500.00 nancy only."""
    platform.member("grand-nancy", host=True)
    for code in ("ludres", "nancy"):
        platform.member(code)
    for code, count in (("grand-nancy", 50), ("ludres", 50), ("nancy", 300)):
        platform.workstations(code, count, year)
    platform.service("securite", "Sécurité")
    platform.service("postes", "Postes de travail")
    platform.service("messagerie", "Messagerie")
    platform.driver("postes", "postes")
    platform.cost_line("pare-feu", "1000.00", weights={"ludres": "1", "nancy": "3"},
                       service="securite", year=year)  # fmt: skip
    platform.cost_line("antivirus", "4000.00", driver="postes", service="postes", year=year)
    platform.cost_line("exchange", "500.00", weights={"nancy": "1"}, service="messagerie",
                       year=year)  # fmt: skip
    platform.usage("postes", {"grand-nancy": "80", "ludres": "20", "nancy": "300"}, year)
    platform.parameters("10000.00", year)
    references(platform)
