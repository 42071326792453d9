"""Small typed builders of billing inputs, shared by the billing tests."""

from __future__ import annotations

from services.billing.engine.snapshot import CostLine, HistoryTotal, Member, Parameters, Snapshot

YEAR = 2024


def direct(
    line_id: str, amount: str, weights: dict[str, str], *, section: str = "operating"
) -> CostLine:
    return CostLine(
        cost_line_id=line_id,
        component_code=f"comp-{line_id}",
        service_code="svc",
        section=section,
        mode="direct",
        amount=amount,
        fiscal_year=YEAR,
        nature="maintenance",
        allocation=tuple(weights.items()),
    )


def indirect(line_id: str, amount: str, driver: str, *, section: str = "operating") -> CostLine:
    return CostLine(
        cost_line_id=line_id,
        component_code=f"comp-{line_id}",
        service_code="svc",
        section=section,
        mode="indirect",
        amount=amount,
        fiscal_year=YEAR,
        driver_code=driver,
    )


def worked_example() -> Snapshot:
    """The example of docs/billing.md, computed by hand there and in test_compute.py."""
    return Snapshot(
        fiscal_year=YEAR,
        parameters=Parameters(payroll_envelope="10000.00", cap_enabled=True, cap_window=3),
        members=(
            Member("grand-nancy", "Métropole du Grand Nancy", True, False, "2000-01-01"),
            Member("ludres", "Ludres", False, True, "2000-01-01"),
            Member("nancy", "Nancy", False, True, "2000-01-01"),
            Member("laxou", "Laxou", False, True, f"{YEAR}-03-01"),  # joined this year
            Member("old", "Gone", False, True, "2000-01-01", f"{YEAR - 1}-12-31"),  # left
        ),
        workstations=(("grand-nancy", 50), ("ludres", 20), ("nancy", 25), ("laxou", 5)),
        drivers=(("storage_gb", "Go"),),
        cost_lines=(
            direct("L1", "300.00", {"ludres": "1", "nancy": "2"}),
            direct(
                "L2", "1000.00", {"ludres": "1", "nancy": "1", "laxou": "1"}, section="investment"
            ),
            indirect("L3", "600.00", "storage_gb"),
            indirect("L4", "400.00", "storage_gb"),
        ),
        usage=(
            ("storage_gb", "grand-nancy", "100"),  # the host uses the pool too
            ("storage_gb", "ludres", "30"),
            ("storage_gb", "ludres", "20"),
            ("storage_gb", "nancy", "50"),
        ),
        history=(
            HistoryTotal(YEAR - 3, "ludres", "2000.00", "import"),
            HistoryTotal(YEAR - 2, "ludres", "2100.00", "import"),
            HistoryTotal(YEAR - 1, "ludres", "2200.00", "import"),
            HistoryTotal(YEAR - 1, "nancy", "3000.00", "import"),
        ),
    )
