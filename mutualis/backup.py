"""``mutualis backup | restore | check-restore``: every service's PostgreSQL database, dumped
and restored together, then checked through the apps' own API.

A backup is a new folder holding one ``pg_dump --format=custom`` file per database and a
``manifest.json`` (written last: a folder without it is incomplete) with each file's SHA-256,
size and Alembic revision. ``restore`` verifies every checksum before touching any database and
refuses a database that already holds tables unless ``--clean``. ``check-restore`` proves that
the restored set explains itself: each database at the code's head revision, and in billing,
every run's snapshot matching its hash and every member's lines explained (and, when the billing
service has titles, each title explained and their numbers gapless).

The database URLs are the apps' own settings (``MUTUALIS_<APP>_DATABASE_URL``); passwords go to
the PostgreSQL tools through ``PGPASSWORD``, never on a command line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from kit.db import create_db_engine
from kit.migrations import current_revisions, head_revisions
from mutualis.apps import APPS_BY_NAME, DATABASE_APPS

MANIFEST = "manifest.json"


class BackupError(Exception):
    """A refusal or failure explained in one sentence (printed, exit status 1)."""


@dataclass(frozen=True)
class Database:
    app: str
    url: str  # SQLAlchemy URL, as the app uses it

    @property
    def libpq(self) -> tuple[str, dict[str, str]]:
        """The URL for pg_dump/pg_restore without its password, and the environment with it."""
        url = make_url(self.url)
        env = dict(os.environ)
        if url.password:
            env["PGPASSWORD"] = str(url.password)
        return url.set(drivername="postgresql", password=None).render_as_string(False), env

    def revision(self) -> list[str]:
        engine = create_db_engine(self.url)
        try:
            return sorted(current_revisions(engine))
        finally:
            engine.dispose()

    def table_names(self) -> list[str]:
        engine = create_db_engine(self.url)
        try:
            with engine.connect() as conn:
                return inspect(conn).get_table_names()
        finally:
            engine.dispose()


def databases(names: Sequence[str] = ()) -> list[Database]:
    chosen = list(names) or [spec.name for spec in DATABASE_APPS]
    found = []
    for name in chosen:
        url = APPS_BY_NAME[name].settings().database_url  # type: ignore[attr-defined]
        if not url.startswith("postgresql"):
            raise BackupError(
                f"{name}: backups are for PostgreSQL; MUTUALIS_{name.upper()}_DATABASE_URL "
                f"points at {url.split(':', 1)[0]} (copy the var/ folder instead)"
            )
        found.append(Database(name, url))
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip() or done.stdout.strip()}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(dest: Path, names: Sequence[str] = ()) -> dict[str, Any]:
    """Dump every database into the new folder ``dest``; return the manifest."""
    targets = databases(names)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty: each backup goes to a new folder")
    dest.mkdir(parents=True, exist_ok=True)
    entries = []
    for db in targets:
        url, env = db.libpq
        path = dest / f"{db.app}.dump"
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(path), url],
            env,
        )
        entries.append(
            {
                "app": db.app,
                "file": path.name,
                "sha256": _sha256(path),
                "size_bytes": path.stat().st_size,
                "revision": db.revision(),
            }
        )
    manifest = {
        "format": 1,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "databases": entries,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def read_manifest(src: Path) -> dict[str, Any]:
    """The manifest, after checking that every file it lists is there and unaltered."""
    path = src / MANIFEST
    if not path.is_file():
        raise BackupError(f"{src} has no {MANIFEST}: the backup is incomplete or not a backup")
    manifest: dict[str, Any] = json.loads(path.read_text())
    for entry in manifest["databases"]:
        dump = src / entry["file"]
        if not dump.is_file() or _sha256(dump) != entry["sha256"]:
            raise BackupError(f"{dump} is missing or altered (its SHA-256 differs)")
    return manifest


def restore(src: Path, names: Sequence[str] = (), *, clean: bool = False) -> list[str]:
    """Restore the dumps of ``src`` into the apps' databases; return the apps restored."""
    manifest = read_manifest(src)
    by_app = {entry["app"]: entry for entry in manifest["databases"]}
    targets = databases(names or list(by_app))
    missing = [db.app for db in targets if db.app not in by_app]
    if missing:
        raise BackupError(f"the backup has no dump of {', '.join(missing)}")
    if not clean:
        for db in targets:
            if db.table_names():
                raise BackupError(
                    f"{db.app}: the database already holds tables; restore into an empty "
                    "database, or pass --clean to replace its content"
                )
    for db in targets:
        url, env = db.libpq
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        command += ["--single-transaction", "-d", url]
        if clean:
            command += ["--clean", "--if-exists"]
        _run([*command, str(src / by_app[db.app]["file"])], env)
        if db.revision() != by_app[db.app]["revision"]:
            raise BackupError(f"{db.app}: restored revision differs from the manifest's")
    return [db.app for db in targets]


def check_revisions(targets: Iterable[Database]) -> list[str]:
    problems = []
    for db in targets:
        current, heads = db.revision(), sorted(head_revisions(db.app))
        if current != heads:
            problems.append(
                f"{db.app}: database at revision {current or 'none'}, the code expects {heads}: "
                f"run `mutualis migrate {db.app}`"
            )
    return problems


def check_restore(names: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """(facts, problems) about the restored databases; no problem means consistent."""
    targets = databases(names)
    problems = check_revisions(targets)
    facts = [f"{db.app}: revision {db.revision()}" for db in targets]
    if not problems and any(db.app == "billing" for db in targets):
        billing_facts, billing_problems = check_billing()
        facts += billing_facts
        problems += billing_problems
    return facts, problems


def _billing_client() -> Any:
    """The billing app itself on its restored database, called in-process as a DSIT admin."""
    from fastapi.testclient import TestClient

    from kit.identity import Principal, request_signer
    from services.billing.app import create_app
    from services.billing.settings import BillingSettings

    settings = BillingSettings(run_worker="inline")
    operator = Principal(subject="ops:check-restore", name="check-restore", kind="staff")
    operator.roles.append("admin")
    client = TestClient(create_app(settings), base_url="http://billing")
    client.event_hooks = {
        "request": [request_signer(operator, settings.internal_secret, "billing")]
    }
    return client


def _all_items(client: Any, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 500}
    while True:
        response = client.get(path, params=params)
        response.raise_for_status()
        body = response.json()
        items += body["items"]
        if not body.get("next_cursor"):
            return items
        params["cursor"] = body["next_cursor"]


def _gaps(numbers: Sequence[int]) -> list[int]:
    present = set(numbers)
    return [n for n in range(1, max(present, default=0) + 1) if n not in present]


def check_billing() -> tuple[list[str], list[str]]:
    """Runs and snapshots (and titles when the service has them) still explain themselves."""
    facts: list[str] = []
    problems: list[str] = []
    with _billing_client() as client:
        runs = [r for r in _all_items(client, "/runs") if r["status"] == "succeeded"]
        explained = 0
        for run in runs:
            snapshot = client.get(f"/runs/{run['id']}/snapshot")
            digest = "sha256:" + hashlib.sha256(snapshot.content).hexdigest()
            if snapshot.status_code != 200 or digest != run["snapshot_hash"]:
                problems.append(f"billing: run {run['id']}: snapshot missing or not its hash")
                continue
            for member in _all_items(client, f"/runs/{run['id']}/members"):
                why = client.get(f"/runs/{run['id']}/members/{member['member_code']}/explain")
                if why.status_code != 200 or why.json()["snapshot_hash"] != digest:
                    problems.append(
                        f"billing: run {run['id']}: {member['member_code']} is not explained"
                    )
                explained += 1
        facts.append(f"billing: {len(runs)} runs, snapshots verified, {explained} explanations")
        listing = client.get("/invoices", params={"limit": 500})
        if listing.status_code == 404:
            return facts, problems  # a version of billing without titles
        invoices = _all_items(client, "/invoices")
        series: dict[tuple[Any, Any], list[int]] = {}
        for invoice in invoices:
            if client.get(f"/invoices/{invoice['id']}/explain").status_code != 200:
                problems.append(f"billing: title {invoice.get('number')} is not explained")
            digits = "".join(
                ch for ch in str(invoice.get("number") or "").split("-")[-1] if ch.isdigit()
            )
            if digits:
                key = (invoice.get("fiscal_year"), invoice.get("section"))
                series.setdefault(key, []).append(int(digits))
        for (year, section), numbers in sorted(series.items(), key=str):
            if gaps := _gaps(numbers):
                problems.append(f"billing: titles {year} {section}: numbers missing {gaps[:10]}")
        facts.append(f"billing: {len(invoices)} titles explained")
    return facts, problems


def add_commands(sub: Any) -> None:
    names = [s.name for s in DATABASE_APPS]
    b = sub.add_parser("backup", help="dump every service database into a new folder")
    b.add_argument("folder", type=Path)
    b.add_argument("--only", nargs="*", default=[], choices=names, metavar="APP")
    r = sub.add_parser("restore", help="restore a backup folder into the service databases")
    r.add_argument("folder", type=Path)
    r.add_argument("--only", nargs="*", default=[], choices=names, metavar="APP")
    r.add_argument("--clean", action="store_true", help="replace what the databases hold")
    c = sub.add_parser("check-restore", help="check that restored databases explain themselves")
    c.add_argument("--only", nargs="*", default=[], choices=names, metavar="APP")


def run_command(args: argparse.Namespace) -> int:
    try:
        if args.command == "backup":
            manifest = backup(args.folder, args.only)
            for entry in manifest["databases"]:
                print(f"{entry['app']:<10}| {entry['file']} ({entry['size_bytes']} octets)")
            print(f"Sauvegarde complète : {args.folder / MANIFEST}")
        elif args.command == "restore":
            for app in restore(args.folder, args.only, clean=args.clean):
                print(f"{app:<10}| restaurée")
        else:
            facts, problems = check_restore(args.only)
            for line in facts:
                print(f"ok  {line}")
            for line in problems:
                print(f"KO  {line}")
            print("Cohérent." if not problems else f"{len(problems)} incohérence(s).")
            return 1 if problems else 0
    except BackupError as exc:
        print(f"Refusé : {exc}")
        return 1
    return 0
