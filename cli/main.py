"""The `coach` command: run, train, db, user, kiosk-key.

coach run [--rasa-servers N] [--production]   start everything and print the URLs
coach serve rasa|actions|api [--host H] [--port P]   one process in the foreground
coach train [--force]                           train if the data changed
coach db upgrade                                migrate the application database
coach user add NAME --role counsellor|trainer|admin [--password P]
coach user disable NAME | coach user reset-password NAME [--password P] | coach user unlock NAME
coach kiosk-key create [--label L] | coach kiosk-key list | coach kiosk-key revoke ID | --env
coach retention run [--now ISO] [--days N] [--every S]  close idle sessions, anonymise closed ones past the
                                              period, erase them from Rasa's tracker store
coach client export REF [--out F] | coach client delete REF --yes
coach scenarios list | coach scenarios run [NAME ...] [--api URL]
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import List, Optional

from cli.paths import REPO_ROOT

ROLES = ("counsellor", "trainer", "admin")


def _settings():
    from bot.settings import get_settings

    get_settings.cache_clear()
    return get_settings()


def _read_password(given: Optional[str], prompt: str = "Wachtwoord: ") -> str:
    if given:
        return given
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if first != getpass.getpass("Nog een keer: "):
            raise SystemExit("De wachtwoorden zijn niet gelijk.")
        return first
    line = sys.stdin.readline().rstrip("\n")
    if not line:
        raise SystemExit("Geen wachtwoord gekregen (gebruik --password of stdin).")
    return line


def cmd_db_upgrade(args) -> int:
    from bot.db.migrate import upgrade

    upgrade()
    print("Database is up to date.")
    return 0


def cmd_train(args) -> int:
    from cli.training import train

    train(force=args.force)
    return 0


def cmd_user(args) -> int:
    from bot import accounts
    from bot.db.engine import session_scope

    with session_scope() as db:
        if args.action == "add":
            if args.role not in ROLES:
                raise SystemExit(f"--role must be one of {', '.join(ROLES)}")
            password = _read_password(args.password)
            accounts.create_user(db, args.name, args.role, password)
            print(f"User {args.name} ({args.role}) created.")
        elif args.action == "disable":
            accounts.disable_user(db, args.name)
            print(f"User {args.name} disabled.")
        elif args.action == "reset-password":
            password = _read_password(args.password, "Nieuw wachtwoord: ")
            accounts.reset_password(db, args.name, password)  # also signs the user out everywhere
            print(f"Password of {args.name} reset; the user is signed out everywhere.")
        elif args.action == "unlock":
            from bot import login_throttle

            user = accounts.get_user(db, args.name)
            if user is None:
                raise accounts.UnknownUser(f"no user {args.name!r}")
            lifted = login_throttle.unlock_account(db, user.username, actor="cli", user_id=user.id)
            print(
                f"Sign-in lock of {user.username} lifted." if lifted else f"{user.username} was not locked."
            )
    return 0


def cmd_kiosk_key(args) -> int:
    from bot import accounts
    from bot.db.engine import session_scope

    if args.kiosk_command == "create":
        with session_scope() as db:
            key = accounts.create_kiosk_key(db, args.label)
        print(key)
    elif args.kiosk_command == "list":
        with session_scope() as db:
            rows = accounts.list_kiosk_keys(db)
            for row in rows:
                state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "active"
                print(f"{row.id:>4}  {row.label:<40} created {row.created_at:%Y-%m-%d %H:%M}  {state}")
            if not rows:
                print("No kiosk keys.")
    else:  # revoke
        with session_scope() as db:
            if args.env:
                key = _settings().kiosk_key
                if not key:
                    raise SystemExit("COACH_KIOSK_KEY is not set.")
                key_id = accounts.ensure_kiosk_key(db, key, label="kiosk (COACH_KIOSK_KEY)").id
            elif args.id is not None:
                key_id = args.id
            else:
                raise SystemExit("Give the id of the key (coach kiosk-key list) or --env.")
            row = accounts.revoke_kiosk_key(db, key_id)
            print(f"Kiosk key {row.id} ({row.label}) revoked; kiosks using it stop at once.")
    return 0


def cmd_run(args) -> int:
    from cli.dev_setup import prepare, print_banner
    from cli.stack import build_specs, scaled_rasa_urls
    from cli.supervisor import supervise
    from cli.training import train

    if args.production:
        os.environ.setdefault("COACH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
        os.environ.setdefault("COACH_TRACKER_STORE_URL", os.environ["COACH_DATABASE_URL"])
        os.environ.setdefault("COACH_LOCK_STORE_URL", "redis://127.0.0.1:6379/0")
    os.environ["COACH_RASA_URLS"] = ",".join(
        scaled_rasa_urls(args.rasa_servers, os.environ.get("COACH_RASA_URLS"))
    )
    settings = _settings()
    if len(settings.rasa_urls) > 1 and not settings.lock_store_url:
        raise SystemExit(
            "Several Rasa servers need a shared lock store: set COACH_LOCK_STORE_URL "
            "(redis://...) and COACH_TRACKER_STORE_URL, or use --production."
        )
    model = train(quiet=True)
    env = prepare(settings)
    specs = build_specs(settings, model, env)
    print(f"Starting {', '.join(s.name for s in specs)} (Ctrl-C stops all) ...", flush=True)
    return supervise(specs, str(REPO_ROOT), on_ready=lambda: print_banner(settings, env))


def cmd_serve(args) -> int:
    """Run one process in the foreground, exactly as `coach run` starts it (containers use this)."""
    from cli.stack import actions_command, api_command, endpoints_file, rasa_command
    from cli.training import current_model

    settings = _settings()
    if settings.env == "production":
        settings.check_production()
    if args.process == "rasa":
        model = current_model()
        if model is None:
            raise SystemExit("No trained model matches the data: run `coach train` first.")
        cmd = rasa_command(model, args.port or 5005, settings.rasa_token, endpoints_file(settings))
        if args.host:
            cmd[cmd.index("--interface") + 1] = args.host
    elif args.process == "actions":
        cmd = actions_command(args.port or 5055)
    else:
        cmd = api_command(args.host or settings.api_host, args.port or settings.api_port)
    os.execvp(cmd[0], cmd)
    return 0  # pragma: no cover - execvp does not return


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coach", description="Toekomstcoach command line")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="start Rasa, the action server and the API")
    run.add_argument("--rasa-servers", type=int, default=1)
    run.add_argument(
        "--production",
        action="store_true",
        help="PostgreSQL tracker + app data and Redis lock store (local defaults)",
    )
    run.set_defaults(func=cmd_run)

    serve = sub.add_parser("serve", help="run one process in the foreground (containers)")
    serve.add_argument("process", choices=("rasa", "actions", "api"))
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(func=cmd_serve)

    train = sub.add_parser("train", help="train the assistant if its data changed")
    train.add_argument("--force", action="store_true")
    train.set_defaults(func=cmd_train)

    db = sub.add_parser("db", help="database")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="run the Alembic migrations").set_defaults(func=cmd_db_upgrade)

    user = sub.add_parser("user", help="staff accounts")
    user_sub = user.add_subparsers(dest="action", required=True)
    add = user_sub.add_parser("add")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--password")
    disable = user_sub.add_parser("disable")
    disable.add_argument("name")
    reset = user_sub.add_parser("reset-password")
    reset.add_argument("name")
    reset.add_argument("--password")
    unlock = user_sub.add_parser("unlock", help="lift the sign-in lock after too many wrong passwords")
    unlock.add_argument("name")
    user.set_defaults(func=cmd_user)

    kiosk = sub.add_parser("kiosk-key", help="kiosk keys")
    kiosk_sub = kiosk.add_subparsers(dest="kiosk_command", required=True)
    create = kiosk_sub.add_parser("create")
    create.add_argument("--label", default="kiosk")
    kiosk_sub.add_parser("list", help="every key: id, label, created, revoked")
    revoke = kiosk_sub.add_parser("revoke", help="revoke a key by id, or the COACH_KIOSK_KEY one with --env")
    revoke.add_argument("id", type=int, nargs="?")
    revoke.add_argument("--env", action="store_true", help="revoke the key in COACH_KIOSK_KEY")
    kiosk.set_defaults(func=cmd_kiosk_key)

    from cli.scenarios_cmd import add_parser as add_scenarios_parser

    add_scenarios_parser(sub)
    from cli import retention_cmd

    retention_cmd.add_parsers(sub)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    from bot.accounts import AccountError
    from bot.settings import InsecureProductionSettings

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (AccountError, InsecureProductionSettings) as error:
        print(f"coach: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
