"""Writes ``run_golden.json.gz``: the result of ``compute`` on a generated snapshot, as the engine
gave it before the compact explanation (run once at that revision; the test compares to it)."""

from __future__ import annotations

import gzip
import random
import sys
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from services.billing.engine.compute import compute  # noqa: E402
from services.billing.engine.snapshot import (  # noqa: E402
    CostLine,
    HistoryTotal,
    Member,
    Parameters,
    Snapshot,
)

HERE = Path(__file__).resolve().parent


def golden_snapshot() -> Snapshot:
    """40 members (a host, a non-invoiced one), 400 cost lines with decimal weights, credits,
    duplicated weights, lines of one member, 6 drivers with decimal usage, a cap history."""
    rng = random.Random(20)
    codes = [f"m{i:02d}" for i in range(40)]
    drivers = [f"d{i}" for i in range(6)]
    lines = []
    for i in range(400):
        cents = rng.randint(-5_000, 2_000_000) if i % 17 else -rng.randint(1, 90_000)
        common = {
            "component_code": f"c{i % 30}",
            "service_code": None if i % 7 == 0 else f"s{i % 4}",
            "section": "operating" if rng.random() < 0.75 else "investment",
            "amount": f"{cents / 100:.2f}",
            "fiscal_year": 2025,
            "nature": None if i % 5 == 0 else "licence",
        }
        if i % 3:
            chosen = rng.sample(codes, rng.randint(1, 6))
            weights = tuple(
                (c, rng.choice(["1", "2", "0.5", "1.25", "3.333", "0", "7"])) for c in chosen
            )
            if all(w == "0" for _c, w in weights):
                weights = ((codes[0], "1"),)
            if i % 11 == 0:
                weights = (*weights, (weights[0][0], "1"))  # a member named twice
            lines.append(CostLine(str(1000 + i), mode="direct", allocation=weights, **common))
        else:
            lines.append(
                CostLine(str(1000 + i), mode="indirect", driver_code=drivers[i % 6], **common)
            )
    usage = tuple(
        (d, c, rng.choice(["1", "12.5", "0", "100", "3"])) for d in drivers for c in codes
    ) + ((drivers[0], codes[3], "2"),)
    history = tuple(
        HistoryTotal(y, c, f"{rng.randint(1000, 90000)}.{rng.randint(0, 99):02d}", "import")
        for c in codes[1:30]
        for y in (2022, 2023, 2024)
        if rng.random() < 0.9
    )
    labels = tuple(("component", f"c{i}", f"Composant {i}") for i in range(0, 30, 2)) + (
        ("service", "s1", "Service un"),
        ("driver", "d0", "Postes de travail gérés"),
    )
    return Snapshot(
        fiscal_year=2025,
        parameters=Parameters("123456.78"),
        members=tuple(
            Member(c, f"Commune {c}", i == 0, i != 5, "2010-01-01") for i, c in enumerate(codes)
        ),
        workstations=tuple((c, rng.randint(0, 900)) for c in codes),
        drivers=tuple((d, "postes" if d == "d0" else ("" if d == "d5" else "Go")) for d in drivers),
        cost_lines=tuple(lines),
        usage=usage,
        history=history,
        labels=labels,
    )


def result_document(snapshot: Snapshot) -> dict[str, object]:
    result = compute(snapshot)
    return {
        "payroll": result.payroll,
        "pools": result.pools,
        "totals": result.totals,
        "members": [
            {
                "code": m.code,
                "totals": m.totals(),
                "cap": m.cap,
                "workstations": m.workstations,
                "lines": m.lines,
            }
            for m in result.members
        ],
    }


if __name__ == "__main__":
    data = orjson.dumps(result_document(golden_snapshot()), option=orjson.OPT_INDENT_2)
    (HERE / "run_golden.json.gz").write_bytes(gzip.compress(data + b"\n", 9, mtime=0))
