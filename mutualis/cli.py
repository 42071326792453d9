"""``mutualis`` command: run | migrate | create-admin | acquit-example | backup | restore |
check-restore."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import signal
from collections.abc import Sequence

from kit import migrations
from kit.settings import var_dir
from mutualis import backup
from mutualis.apps import APPS_BY_NAME, DATABASE_APPS


def migrate(names: Sequence[str]) -> None:
    for name in names or [spec.name for spec in DATABASE_APPS]:
        url = APPS_BY_NAME[name].settings().database_url  # type: ignore[attr-defined]
        migrations.upgrade(name, url)
        print(f"{name:<10}| base de données à jour ({url.split('@')[-1]})", flush=True)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run(*, demo: bool) -> int:
    from mutualis.demo import launch_demo_runs, load_demo_data
    from mutualis.launcher import Supervisor

    var_dir().mkdir(parents=True, exist_ok=True)
    migrate([])
    fresh_demo = False
    if demo:
        for service, loaded in load_demo_data().items():
            if loaded:
                fresh_demo = True
                print(f"{service:<10}| données de démonstration chargées", flush=True)
    supervisor = Supervisor()
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the apps as Ctrl-C does
    # Ctrl-C even when started from a background job: a shell without job control starts those
    # with SIGINT ignored, and Python then leaves it ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    supervisor.start()
    try:
        failed = supervisor.wait_ready()
        web, gateway = supervisor.ports["web"], supervisor.ports["gateway"]
        if fresh_demo and not failed:
            year = dt.date.today().year
            for line in launch_demo_runs(f"http://127.0.0.1:{gateway}", year=year):
                print(f"{'billing':<10}| {line}", flush=True)
        if failed:
            print(
                f"\n!! Ne démarre pas : {', '.join(failed)} (voir les lignes ci-dessus)\n",
                flush=True,
            )
        print(
            f"\n  Mutualis est prêt : http://127.0.0.1:{web}"
            f"\n  API (passerelle) : http://127.0.0.1:{gateway}/api/health"
            "\n  Ctrl-C pour tout arrêter.\n",
            flush=True,
        )
        supervisor.wait_all()
    except KeyboardInterrupt:
        print("\nArrêt de Mutualis…", flush=True)
    finally:
        supervisor.stop()
    return 0


def acquit_example(parser: argparse.ArgumentParser, specs: list[str], budget: str | None) -> int:
    import sys

    from services.billing.invoices.acquit_example import Verdict, build
    from services.billing.invoices.acquits import EXPLANATIONS
    from services.billing.invoices.settings import IssuerSettings

    verdicts = []
    for spec in specs:
        parts = spec.split(":")
        if len(parts) not in (2, 3) or not (parts[0].isdigit() and parts[1].isdigit()):
            parser.error(f"{spec!r}: expected EXERCICE:NUMERO or EXERCICE:NUMERO:CODE")
        code = parts[2] if len(parts) == 3 else ""
        label = EXPLANATIONS.get(code, "ANOMALIE").upper()[:500]
        errors = [(code, label)] if code else []
        verdicts.append(Verdict(int(parts[0]), int(parts[1]), not code, errors))
    sys.stdout.buffer.write(build(verdicts, settings=IssuerSettings(), budget_code=budget))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(prog="mutualis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="migrate, load demo data if empty, start all apps")
    run_parser.add_argument("--no-demo", action="store_true", help="never load demo data")
    migrate_parser = sub.add_parser("migrate", help="upgrade service databases to head")
    names = [s.name for s in DATABASE_APPS]
    migrate_parser.add_argument("services", nargs="*", help=f"any of {', '.join(names)}")
    admin_parser = sub.add_parser("create-admin", help="create an administrator account")
    admin_parser.add_argument("email")
    admin_parser.add_argument("--name", default="Administrateur", help="display name")
    acquit_parser = sub.add_parser(
        "acquit-example",
        help="write to stdout a PES_ACQUIT of Hélios for bordereaux, to try its upload",
    )
    acquit_parser.add_argument(
        "bordereaux",
        nargs="+",
        help="EXERCICE:NUMERO (pris en charge) or EXERCICE:NUMERO:CODE (rejeté, e.g. ERREUR_SIRET)",
    )
    acquit_parser.add_argument("--budget", help="CodBud (default: the issuer settings')")
    backup.add_commands(sub)
    args = parser.parse_args(argv)
    if args.command == "acquit-example":
        return acquit_example(parser, args.bordereaux, args.budget)
    if args.command in ("backup", "restore", "check-restore"):
        return backup.run_command(args)
    if args.command == "create-admin":
        from mutualis.accounts import create_admin

        migrate(["gateway"])
        return create_admin(args.email, args.name)
    if args.command == "run":
        return run(demo=not args.no_demo)
    if args.command == "migrate":
        unknown = sorted(set(args.services) - set(names))
        if unknown:
            parser.error(f"unknown service(s): {', '.join(unknown)}; choose from {names}")
        migrate(args.services)
    return 0
