"""What a test platform leaves behind: its app processes must all be gone after teardown."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie not yet reaped by its parent counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def assert_all_gone(pids: Iterable[int], *, within: float = 20.0, what: str = "app") -> None:
    """Fail naming the processes still running ``within`` seconds from now."""
    pids = list(pids)
    deadline = time.monotonic() + within
    left = [pid for pid in pids if alive(pid)]
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = [pid for pid in left if alive(pid)]
    if left:
        commands = []
        for pid in left:
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                    command = cmdline.read().replace(b"\0", b" ").decode()
                commands.append(f"{pid}: {command}")
            except FileNotFoundError:
                continue
        if commands:
            raise AssertionError(f"{what} processes left running:\n" + "\n".join(commands))


def kill_all(pids: Iterable[int]) -> None:
    """Last resort after a failed check, so one failure does not leak into the next tests."""
    for pid in pids:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
