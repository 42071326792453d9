"""Problems found in the inputs of a run: each says what is wrong and what to fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Problem:
    code: str  # stable slug: "pool-without-usage", "missing-workstations"…
    message: str  # what is wrong
    fix: str  # what to do about it
    ref: dict[str, Any] = field(default_factory=dict)  # the input at fault
    message_fr: str = ""  # the same in French, for the run's page (stored with the run:
    fix_fr: str = ""  # the worker answers no request, so both languages are kept)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class InputProblems(Exception):
    """The inputs of a run cannot be billed; ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the inputs of the run")
        self.problems = problems
