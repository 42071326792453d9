"""The time a request runs at, injectable so that deadline rules are tested at their bounds.

Rules that compare with "now" (the GDPR 72-hour breach clock, the one-month answer deadline,
overdue decisions) take the time as a parameter; endpoints get it from :data:`Now`, which reads
``app.state.clock`` — the system clock unless a test (or a replay tool) sets a :class:`FixedClock`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Request


class Clock:
    """The system clock, in UTC."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FixedClock(Clock):
    """A clock that says what it is told (``set``), for tests."""

    def __init__(self, at: dt.datetime) -> None:
        self.set(at)

    def set(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a FixedClock needs an aware datetime")
        self._at = at

    def now(self) -> dt.datetime:
        return self._at


SYSTEM_CLOCK = Clock()


def request_now(request: Request) -> dt.datetime:
    clock: Clock = getattr(request.app.state, "clock", SYSTEM_CLOCK)
    return clock.now()


Now = Annotated[dt.datetime, Depends(request_now)]
