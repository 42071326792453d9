"""The real platform, started the way `make run` starts it (``python -m mutualis run``)."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kit.settings import PROJECT_ROOT
from mutualis.apps import APPS
from tests.gateway.test_forwarding import closed_port
from tests.processes import assert_all_gone, kill_all

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@dataclass
class Platform:
    process: subprocess.Popen[str]
    var_dir: Path
    ports: dict[str, int]
    output: list[str] = field(default_factory=list)
    app_pids: list[int] = field(default_factory=list)

    def url(self, app: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.ports[app]}{path}"

    def pid(self, app: str) -> int:
        return int((self.var_dir / "run" / f"{app}.pid").read_text())


ARTIFACTS = PROJECT_ROOT / "test-artifacts"
AXE = PROJECT_ROOT / "tests" / "web" / "vendor" / "axe-4.14.1.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 AA violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def platform_environment(var_dir: Path, ports: dict[str, int]) -> dict[str, str]:
    """What ``mutualis run`` gets: this environment without its MUTUALIS_ settings, the ports."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MUTUALIS_")}
    env.update({f"MUTUALIS_{name.upper()}_PORT": str(port) for name, port in ports.items()})
    env.update(MUTUALIS_VAR_DIR=str(var_dir), MUTUALIS_WEB_STATUS_REFRESH_SECONDS="1", NO_COLOR="1")
    return env


def start_platform(
    var_dir: Path, *args: str, env: dict[str, str] | None = None, background_job: bool = False
) -> Platform:
    """``python -m mutualis run <args>`` on random ports, returned once it says it is ready;
    ``env`` adds settings (``MUTUALIS_…``) to its environment; ``background_job`` starts it
    with SIGINT ignored, as a shell without job control starts ``cmd &``."""
    ports = {spec.name: closed_port() for spec in APPS}
    environment = {**platform_environment(var_dir, ports), **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "mutualis", "run", *args],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        preexec_fn=_ignore_sigint if background_job else None,  # noqa: PLW1509 - no threads use it
    )
    platform = Platform(process, var_dir, ports)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            platform.output.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    while True:
        try:
            line = lines.get(timeout=180)
        except queue.Empty:
            line = None
        if line is None:
            stop_launcher(process)
            pytest.fail("mutualis run was not ready:\n" + "".join(platform.output))
        if "Mutualis est prêt" in line:
            break
    platform.app_pids = [platform.pid(spec.name) for spec in APPS]
    return platform


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def stop_platform(platform: Platform) -> None:
    """Stop the launcher, then check that none of its processes is left (kill them if so)."""
    stop_launcher(platform.process)
    try:
        assert_all_gone([platform.process.pid, *platform.app_pids], what="platform")
    finally:
        kill_all(platform.app_pids)


@pytest.fixture(scope="session")
def fresh_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``var/`` folder of a fresh demo, made once per test session (per xdist worker): a
    platform started on an empty folder loads the demo (two final runs, their titles, a
    forecast, the mails…), then is stopped so its files are complete (the databases closed).
    Each module's platform starts on a copy, as a second ``make run`` does on an existing
    ``var/``: the same demo data without building it again (about a minute each)."""
    var_dir = tmp_path_factory.mktemp("fresh-demo")
    stop_platform(start_platform(var_dir))
    return var_dir


def start_on_demo(fresh: Path, var_dir: Path) -> Platform:
    """A platform on a copy of the fresh demo (its databases, the demo's signing certificate)."""
    shutil.copytree(fresh, var_dir, ignore=shutil.ignore_patterns("run", "*.pid"))
    return start_platform(var_dir)


@pytest.fixture(scope="module")
def platform(fresh_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    platform = start_on_demo(fresh_demo, tmp_path_factory.mktemp("var") / "var")
    yield platform
    stop_platform(platform)


def stop_launcher(process: subprocess.Popen[str]) -> None:
    """Ctrl-C, as a person stops it; the launcher's own deadline is well under this one."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
