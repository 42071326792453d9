"""Start a child program that cannot outlive the process that launched it.

``python -m mutualis.orphan_guard <parent pid> <program> [args…]`` asks Linux to send it
SIGTERM when its parent dies (``PR_SET_PDEATHSIG``, kept across ``exec``), checks the parent is
still the one it was started by (it may have died in between), then becomes ``<program>``. The
launcher starts every app this way, so even a ``kill -9`` of ``mutualis run`` leaves no app
running. On a system without ``prctl`` it simply runs the program.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python -m mutualis.orphan_guard <parent pid> <program> [args…]")
        return 2
    parent, program = int(argv[0]), argv[1:]
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the launcher's own stop still applies
    if os.getppid() != parent:
        return 0  # the launcher is already gone: start nothing
    os.execvp(program[0], program)
    return 127  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
