"""The six apps started as the image starts them: fresh PostgreSQL databases, the migration
job's command, then each app's compose command (only host names and ports differ)."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
from sqlalchemy.engine import make_url

from kit.settings import PROJECT_ROOT
from mutualis.apps import APPS, DATABASE_APPS
from tests.databases import PG_URL, _libpq
from tests.deploy.manifests import compose, compose_app, image_environment, interpolate
from tests.processes import assert_all_gone

BIN = Path(os.sys.executable).parent  # the venv's bin/, as /opt/mutualis/bin in the image


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgDatabases:
    """A set of fresh databases, one per database app, dropped by ``drop()``."""

    def __init__(self, tag: str) -> None:
        self.names = {s.name: f"mtdeploy{os.getpid()}_{tag}_{s.name}" for s in DATABASE_APPS}
        with psycopg.connect(_libpq(PG_URL), autocommit=True) as conn:
            for database in self.names.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{database}"')

    def url(self, app: str) -> str:
        url = make_url(PG_URL).set(drivername="postgresql+psycopg", database=self.names[app])
        return url.render_as_string(hide_password=False)

    def environment(self) -> dict[str, str]:
        return {f"MUTUALIS_{app.upper()}_DATABASE_URL": self.url(app) for app in self.names}

    def drop(self) -> None:
        with psycopg.connect(_libpq(PG_URL), autocommit=True) as conn:
            for database in self.names.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@dataclass
class Platform:
    databases: PgDatabases
    ports: dict[str, int]
    secrets: dict[str, str]
    logs: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, app: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.ports[app]}{path}"

    def log_lines(self, app: str) -> list[str]:
        return (self.logs / f"{app}.log").read_text().splitlines()

    def base_environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MUTUALIS_", "UVICORN_"))}
        image = image_environment()
        env.update({k: v for k, v in image.items() if k not in ("PATH", "VIRTUAL_ENV")})
        env["PATH"] = f"{BIN}:{env.get('PATH', '')}"
        env["MUTUALIS_VAR_DIR"] = str(self.logs / "var")
        return env

    def app_environment(self, name: str) -> dict[str, str]:
        """The compose environment of the app, its host names pointed at loopback ports."""
        spec = next(s for s in APPS if s.name == name)
        env = self.base_environment()
        for key, value in compose_app(spec)["environment"].items():
            value = interpolate(str(value), self.secrets)
            for app, port in self.ports.items():
                value = value.replace(f"http://{app}:8000", f"http://127.0.0.1:{port}")
            env[key] = value
        env.update({k: v for k, v in self.databases.environment().items() if k in env})
        env["UVICORN_HOST"] = "127.0.0.1"
        env["UVICORN_PORT"] = str(self.ports[name])
        return env

    def run_job(self, *args: str, env: dict[str, str] | None = None) -> str:
        """The migration container's command (or ``mutualis <args>`` in it), with its variables."""
        command = compose()["services"]["migrate"]["command"]
        if args:
            command = [command[0], *args]
        job_env = self.base_environment()
        for key, value in compose()["services"]["migrate"]["environment"].items():
            job_env[key] = interpolate(str(value), self.secrets)
        job_env.update(self.databases.environment())
        job_env.update(env or {})
        done = subprocess.run(
            command, env=job_env, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def start(self) -> None:
        for spec in APPS:
            command = compose_app(spec)["command"]
            log = (self.logs / f"{spec.name}.log").open("wb")
            # the image's command, under the orphan guard: it dies with the test session
            guard = [sys.executable, "-m", "mutualis.orphan_guard", str(os.getpid())]
            self.processes[spec.name] = subprocess.Popen(
                [*guard, *command],
                env=self.app_environment(spec.name),
                cwd=self.logs,  # not the source tree: the image's installed package is used
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 60) -> dict[str, int]:
        deadline = time.monotonic() + timeout
        status: dict[str, int] = {}
        for name in self.ports:
            while time.monotonic() < deadline:
                try:
                    status[name] = httpx.get(self.url(name, "/readyz"), timeout=2).status_code
                    if status[name] == 200:
                        break
                except httpx.TransportError:
                    status[name] = 0
                if self.processes[name].poll() is not None:
                    break
                time.sleep(0.2)
        return status

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 30
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        assert_all_gone([p.pid for p in self.processes.values()], what="deployed app")


def make_platform(logs: Path) -> Platform:
    return Platform(
        databases=PgDatabases("live"),
        ports={spec.name: free_port() for spec in APPS},
        secrets={
            "POSTGRES_PASSWORD": "unused",
            "MUTUALIS_IMAGE": "unused",
            "MUTUALIS_INTERNAL_SECRET": secrets.token_urlsafe(40),
            "MUTUALIS_GATEWAY_TOKEN_SECRET": secrets.token_urlsafe(40),
            "MUTUALIS_METRICS_TOKEN": secrets.token_urlsafe(40),
        },
        logs=logs,
    )
