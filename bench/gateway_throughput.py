"""Gateway throughput: the same read straight from the registry and through the gateway.

Starts the registry and the gateway as real uvicorn processes (one worker each) on free loopback
ports, on SQLite files with the registry's demo data (26 members), then runs ``wrk`` (Debian
package) against ``GET /members?limit=20``: directly (with a signed internal identity) and
through the gateway (with a bearer access token), once per upstream transport of the gateway.

    .venv/bin/python bench/gateway_throughput.py [--seconds 10] [--connections 32]

Prints requests per second and the gateway/direct ratio. Results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kit.identity import DEFAULT_TTL, IDENTITY_HEADER, Principal, sign_identity  # noqa: E402
from kit.settings import PLACEHOLDER_SECRET  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(target: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        target,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{target} did not start")


def wrk(url: str, header: str, seconds: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", header, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise SystemExit(f"{non_2xx.group(1)} failed requests:\n{out}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert match, out
    return float(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="mutualis-bench-"))
    env = {**os.environ, "MUTUALIS_VAR_DIR": str(var), "MUTUALIS_LOG_LEVEL": "WARNING"}
    subprocess.run(
        [sys.executable, "-m", "mutualis", "migrate"], env=env, check=True, capture_output=True
    )
    subprocess.run(
        [sys.executable, "-c", "from mutualis.demo import load_demo_data; load_demo_data()"],
        env=env,
        check=True,
        capture_output=True,
    )
    registry_port = free_port()
    registry = start(
        "services.registry.app:create_app",
        registry_port,
        {**env, "MUTUALIS_REGISTRY_PORT": str(registry_port)},
    )
    principal = Principal(subject="account:0", name="bench", kind="staff", roles=["admin"])
    if args.seconds > DEFAULT_TTL - 10:
        raise SystemExit(f"--seconds must stay under {DEFAULT_TTL - 10}: one identity serves wrk")
    # wrk repeats one request: one identity, signed for it, serves the whole direct measure
    identity = sign_identity(
        principal, PLACEHOLDER_SECRET, service="registry", method="GET", path="/members"
    )
    results: dict[str, float] = {}
    try:
        direct = f"http://127.0.0.1:{registry_port}/members?limit=20"
        results["direct"] = wrk(
            direct, f"{IDENTITY_HEADER}: {identity}", args.seconds, args.connections
        )
        for kind in ("httpx", "aiohttp"):
            port = free_port()
            gateway = start(
                "gateway.app:create_app",
                port,
                {
                    **env,
                    "MUTUALIS_GATEWAY_REGISTRY_URL": f"http://127.0.0.1:{registry_port}",
                    "MUTUALIS_GATEWAY_UPSTREAM_TRANSPORT": kind,
                },
            )
            try:
                token = httpx.post(
                    f"http://127.0.0.1:{port}/api/auth/token",
                    data={"username": "admin@dsit.example", "password": "mutualis-demo"},
                ).json()
                url = f"http://127.0.0.1:{port}/api/registry/members?limit=20"
                results[f"gateway ({kind})"] = wrk(
                    url,
                    f"Authorization: Bearer {token['access_token']}",
                    args.seconds,
                    args.connections,
                )
            finally:
                gateway.terminate()
                gateway.wait()
    finally:
        registry.terminate()
        registry.wait()
    print(f"{'path':<20} {'req/s':>8} {'ratio':>6}")
    for name, rate in results.items():
        print(f"{name:<20} {rate:8.0f} {rate / results['direct']:6.2f}")


if __name__ == "__main__":
    main()
