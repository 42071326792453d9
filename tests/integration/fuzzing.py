"""Fuzzing one OpenAPI operation per test, with hypothesis and schemathesis' strategies.

schemathesis' own ``schema.parametrize()`` gives every operation of a schema the same test id,
and pytest-xdist keeps one test per id: under ``make test`` (``-n auto``) a whole document was
fuzzed through one operation. Here each operation is its own pytest parameter (id ``GET
/members/{code}``), fuzzed with valid and invalid inputs (positive and negative generation)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

PROBES = {"/healthz", "/readyz", "/metrics"}


def operations(schema: Any) -> list[Any]:
    """Every operation of ``schema`` but the probes, in the document's order."""
    found = [result.ok() for result in schema.get_all_operations()]
    return [op for op in found if op.path not in PROBES]


def label(operation: Any) -> str:
    return f"{operation.method.upper()} {operation.path}"


def fuzz(operation: Any, check: Callable[[Any], None], *, examples: int) -> None:
    """``check`` each of ``examples`` cases of valid or invalid input for ``operation``."""
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @given(case=cases)
    def run(case: Any) -> None:
        check(case)

    run()
