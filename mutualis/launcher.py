"""``mutualis run``: migrate, load demo data on empty databases, start the six apps.

A short supervisor rather than a Procfile runner: it knows when each app is ready (uvicorn's
startup line, no sleeps), prefixes every log line with the app's name, writes pid files under
``var/run/`` and stops everything on Ctrl-C. An app that dies is reported and the others keep
running, so one service down never takes the platform down.

Stopping is parallel: every app gets SIGTERM at once and the launcher waits for all of them
together (uvicorn's graceful shutdown is capped at ``GRACE_SECONDS``), killing what is left
after ``STOP_SECONDS``. Each app is started through :mod:`mutualis.orphan_guard`, so it gets
SIGTERM from the kernel if the launcher itself dies (even by ``kill -9``): no app outlives it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from kit.settings import var_dir
from mutualis.apps import APPS, AppSpec

READY_MARK = "Application startup complete"
GRACE_SECONDS = 3  # uvicorn's --timeout-graceful-shutdown: open connections get this long
STOP_SECONDS = 8.0  # then whatever still runs is killed
# who calls whom (DESIGN.md): each caller's settings have a ``<upstream>_url``
UPSTREAMS = {
    "gateway": ("registry", "catalogue", "billing", "governance"),
    "web": ("gateway",),
    "billing": ("registry", "catalogue"),
    "governance": ("registry", "billing"),
}
COLOURS = {
    "registry": 34,
    "catalogue": 35,
    "billing": 33,
    "governance": 36,
    "gateway": 32,
    "web": 92,
}


class Supervisor:
    def __init__(self, apps: Sequence[AppSpec] = APPS, *, host: str = "127.0.0.1") -> None:
        self.apps = apps
        self.host = host
        self.ports = {spec.name: spec.settings().port for spec in apps}
        self.processes: dict[str, subprocess.Popen[str]] = {}
        self.ready = {spec.name: threading.Event() for spec in apps}
        self.run_dir = var_dir() / "run"
        self._print_lock = threading.Lock()
        self._colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ

    def environment(self) -> dict[str, str]:
        """Point every caller at the ports its upstreams listen on, unless set explicitly."""
        env = dict(os.environ)
        for caller, upstreams in UPSTREAMS.items():
            for upstream in upstreams:
                if upstream in self.ports:
                    env.setdefault(
                        f"MUTUALIS_{caller.upper()}_{upstream.upper()}_URL",
                        f"http://{self.host}:{self.ports[upstream]}",
                    )
        if "web" in self.ports:  # the links of the registry's mails lead to the back office
            env.setdefault(
                "MUTUALIS_REGISTRY_BACK_OFFICE_ADDRESS", f"http://{self.host}:{self.ports['web']}"
            )
        return env

    def say(self, name: str, line: str) -> None:
        label = f"{name:<10}|"
        if self._colour:
            label = f"\033[{COLOURS.get(name, 37)}m{label}\033[0m"
        with self._print_lock:
            print(f"{label} {line}", flush=True)

    def _pump(self, name: str, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.say(name, line.rstrip())
            if READY_MARK in line:
                self.ready[name].set()
        code = process.wait()
        self.ready[name].set()  # unblock a waiter: the app will not get ready
        self.say(name, f"arrêté (code {code})")

    def start(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        env = self.environment()
        for spec in self.apps:
            command = [
                sys.executable,
                "-m",
                "mutualis.orphan_guard",
                str(os.getpid()),
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                spec.target,
                "--host",
                self.host,
                "--port",
                str(self.ports[spec.name]),
                "--no-access-log",
                "--no-proxy-headers",  # nothing sits in front: X-Forwarded-For is never trusted
                "--timeout-graceful-shutdown",
                str(GRACE_SECONDS),
            ]
            process = subprocess.Popen(
                command,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                bufsize=1,
                start_new_session=True,
            )
            self.processes[spec.name] = process
            (self.run_dir / f"{spec.name}.pid").write_text(str(process.pid))
            threading.Thread(target=self._pump, args=(spec.name, process), daemon=True).start()

    def wait_ready(self, timeout: float = 120.0) -> list[str]:
        """Names of the apps that did not start."""
        for event in self.ready.values():
            event.wait(timeout)
        return [n for n, p in self.processes.items() if p.poll() is not None]

    def stop(self) -> None:
        """SIGTERM to every app at once, one shared deadline, SIGKILL for the late ones."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for name, process in self.processes.items():
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                self.say(name, f"tué après {STOP_SECONDS:g} s")
            pid_file: Path = self.run_dir / f"{name}.pid"
            pid_file.unlink(missing_ok=True)

    def wait_all(self) -> None:
        for process in self.processes.values():
            process.wait()
