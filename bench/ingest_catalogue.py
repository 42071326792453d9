"""Benchmark: bulk ingestion of components and usage through the catalogue's HTTP API.

Starts the catalogue app with uvicorn on 127.0.0.1 on a scratch database (SQLite file or a
PostgreSQL database created and dropped here), signs an internal identity, then posts
``/inventory`` and ``/usage/{year}/{driver}`` in calls of ``--batch`` items and prints rows per
second. Sizes are parameters so a run stays bounded on a small machine::

    .venv/bin/python bench/ingest_catalogue.py --backend both --components 100000 --usage 1000000
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kit.identity import Principal, request_signer  # noqa: E402
from kit.migrations import upgrade  # noqa: E402
from kit.settings import PLACEHOLDER_SECRET  # noqa: E402

PG_ADMIN = os.environ.get(
    "MUTUALIS_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
KINDS = ("server", "workstation", "application", "licence", "network", "storage")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def scratch_database(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-catalogue-") as tmp:
            yield f"sqlite:///{tmp}/catalogue.sqlite3"
        return
    name = f"bench_catalogue_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (
            PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
            + "/"
            + name
        )
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def catalogue_server(url: str) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "MUTUALIS_CATALOGUE_DATABASE_URL": url,
        "MUTUALIS_LOG_LEVEL": "WARNING",
        "MUTUALIS_ENVIRONMENT": "development",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "services.catalogue.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("the catalogue did not become ready")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def signer():  # type: ignore[no-untyped-def]
    """Each request signed as it leaves, as the gateway does."""
    principal = Principal(subject="bench:1", name="bench", kind="staff", roles=["admin"])
    return request_signer(principal, PLACEHOLDER_SECRET, "catalogue")


def post(client: httpx.Client, path: str, body: object) -> dict:
    response = client.post(path, json=body)
    response.raise_for_status()
    return response.json()


def run(backend: str, components: int, usage: int, batch: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    with scratch_database(backend) as url:
        upgrade("catalogue", url)
        with (
            catalogue_server(url) as base,
            httpx.Client(base_url=base, event_hooks={"request": [signer()]}, timeout=600) as client,
        ):
            start = time.perf_counter()
            for first in range(0, components, batch):
                items = [
                    {
                        "external_id": f"c{n:07d}",
                        "name": f"Composant {n}",
                        "kind": KINDS[n % 6],
                        "member_codes": [f"m{n % 5000:05d}"],
                        "in_service_on": "2022-01-01",
                    }
                    for n in range(first, min(first + batch, components))
                ]
                summary = post(client, "/inventory", {"source": "bench", "items": items})["summary"]
                assert summary["created"] == len(items), summary
            figures["components_per_s"] = components / (time.perf_counter() - start)

            start = time.perf_counter()  # the first call replayed: everything unchanged
            items = [
                {
                    "external_id": f"c{n:07d}",
                    "name": f"Composant {n}",
                    "kind": KINDS[n % 6],
                    "member_codes": [f"m{n % 5000:05d}"],
                    "in_service_on": "2022-01-01",
                }
                for n in range(min(batch, components))
            ]
            summary = post(client, "/inventory", {"source": "bench", "items": items})["summary"]
            assert summary["unchanged"] == len(items), summary
            figures["components_replay_per_s"] = len(items) / (time.perf_counter() - start)

            drivers = -(-usage // batch)
            for d in range(drivers):
                post(client, "/drivers", {"code": f"driver_{d:04d}", "unit": "u"})
            start = time.perf_counter()
            done = 0
            for d in range(drivers):
                size = min(batch, usage - done)
                measurements = [
                    {"member_code": f"m{n:05d}", "quantity": f"{(n * 7) % 1000}.5"}
                    for n in range(size)
                ]
                summary = post(
                    client,
                    f"/usage/2025/driver_{d:04d}",
                    {
                        "measurements": measurements,
                        "reference_date": "2025-12-31",
                        "source": "bench",
                    },
                )["summary"]
                assert summary["created"] == size, summary
                done += size
            figures["usage_per_s"] = usage / (time.perf_counter() - start)

            start = time.perf_counter()  # billing's bulk read of the year's usage
            read, cursor = 0, None
            while True:
                params = {"limit": 10000, **({"cursor": cursor} if cursor else {})}
                page = client.get("/usage/2025", params=params).json()
                read += len(page["items"])
                cursor = page["next_cursor"]
                if not cursor:
                    break
            assert read == usage, read
            figures["usage_read_per_s"] = read / (time.perf_counter() - start)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--components", type=int, default=100_000)
    parser.add_argument("--usage", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    print(f"sizes: {args.components} components, {args.usage} usage rows, {args.batch} per call")
    for backend in backends:
        started = time.perf_counter()
        figures = run(backend, args.components, args.usage, args.batch)
        print(
            f"{backend}: "
            + ", ".join(f"{k} {v:,.0f}" for k, v in figures.items())
            + f" (total {time.perf_counter() - started:,.0f} s)"
        )


if __name__ == "__main__":
    main()
