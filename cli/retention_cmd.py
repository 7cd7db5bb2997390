"""`coach retention run` and `coach client export|delete`: privacy chores from the command line.

    coach retention run [--now 2026-01-31T00:00:00Z] [--days N] [--every SECONDS]
                                                                  close idle sessions, anonymise closed sessions
                                                                  past the period, erase them from Rasa's tracker store
    coach client export REF [--out FILE]                          a client's data as JSON (stdout or file)
    coach client delete REF --yes                                 delete a client's sessions and plans

``--now`` is the fake clock the tests (and a dry look ahead) use; the default is now.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional


def parse_moment(text: Optional[str]) -> datetime:
    """ISO 8601 (a trailing Z allowed); a naive value is taken as UTC."""
    if not text:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise SystemExit(
            f"--now: not an ISO 8601 date/time: {text!r} (example: 2026-01-31T00:00:00Z)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def cmd_retention_run(args) -> int:
    """Once, or with ``--every SECONDS`` as a service that never ends (docker-compose)."""
    if not getattr(args, "every", None):
        return _retention_once(args)
    if args.every < 60 or args.now:
        raise SystemExit("--every needs at least 60 seconds and no --now")
    import time

    while True:
        try:
            _retention_once(args)
        except SystemExit:
            raise
        except Exception as error:  # the database may be restarting: try again next round
            print(f"coach: retention run failed: {type(error).__name__}", file=sys.stderr)
        sys.stdout.flush()
        time.sleep(args.every)


def _retention_once(args) -> int:
    from bot import retention
    from bot.db.engine import session_scope
    from bot.settings import get_settings

    get_settings.cache_clear()
    days = args.days if args.days is not None else get_settings().retention_days
    if days < 1:
        raise SystemExit("--days must be at least 1")
    now = parse_moment(args.now)
    settings = get_settings()
    with session_scope() as db:
        report = retention.run(
            db,
            now=now,
            retention_days=days,
            actor="cli",
            idle_close_minutes=settings.session_idle_close_minutes,
            idle_close_staff_minutes=settings.session_idle_close_staff_minutes,
            audit_retention_days=settings.audit_retention_days,
        )
    summary = report.as_dict()
    print(
        f"Retention ({days} days, cut-off {summary['cutoff']}): {summary['idle_sessions_closed']} idle "
        f"session(s) closed; {summary['sessions_anonymised']} session(s) "
        f"and {summary['plans_anonymised']} plan(s) anonymised, {summary['messages_cleared']} message(s) cleared; "
        f"{summary['audit_events_purged']} audit row(s) older than {settings.audit_retention_days} days deleted."
    )
    return _erase_trackers(settings, report.sessions, "retention.tracker_erased", "retention")


def _erase_trackers(settings, session_ids, action: str, object_type: str, object_id=None) -> int:
    """Erase the sessions from Rasa's tracker store too; audited.

    Exit 3 when the SQL tracker store (production) could not be cleaned, so a CronJob
    fails visibly; the in-memory store (development only) is reported, not fatal."""
    from bot import audit, tracker_erasure
    from bot.db.engine import session_scope

    if not session_ids:
        return 0
    erased = tracker_erasure.erase(settings, session_ids)
    with session_scope() as db:
        audit.record(
            db,
            user="cli",
            action=action,
            object_type=object_type,
            object_id=object_id,
            detail=erased.as_dict(),
        )
    where = "SQL tracker store" if erased.store == "sql" else "Rasa servers (in-memory tracker store)"
    if erased.complete:
        print(f"Tracker store: {len(session_ids)} conversation(s) erased from the {where}.")
        return 0
    print(
        f"coach: tracker store erasure incomplete ({where}): {'; '.join(erased.failed[:5])}", file=sys.stderr
    )
    return 3 if erased.store == "sql" else 0


def cmd_client(args) -> int:
    from bot import records
    from bot.db.engine import session_scope

    try:
        with session_scope() as db:
            if args.client_action == "export":
                data = records.export_client(db, args.ref, actor="cli")
            else:
                if not args.yes:
                    raise SystemExit(
                        "Deleting removes every session and plan of this client for good; "
                        "add --yes to confirm."
                    )
                counts = records.delete_client(db, args.ref, actor="cli")
    except records.UnknownClient:
        print(f"coach: no sessions or plan with client reference {args.ref!r}", file=sys.stderr)
        return 1
    except records.RecordsError as error:
        print(f"coach: {error}", file=sys.stderr)
        return 2
    if args.client_action == "export":
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        if args.out:
            Path(args.out).write_text(text + "\n", encoding="utf-8")
            print(
                f"Exported {len(data['sessions'])} session(s) and {len(data['plans'])} plan(s) to {args.out}."
            )
        else:
            print(text)
    else:
        print(
            f"Deleted {counts['sessions']} session(s), {counts['messages']} message(s), {counts['plans']} plan(s) "
            f"and {counts['plan_changes']} plan change(s) of {args.ref}."
        )
        from bot.records import ref_digest
        from bot.settings import get_settings

        return _erase_trackers(
            get_settings(), counts["session_ids"], "client.tracker_erased", "client", ref_digest(args.ref)
        )
    return 0


def add_parsers(sub) -> None:
    """Add `retention` and `client` to the `coach` command's subparsers."""
    retention = sub.add_parser("retention", help="anonymise closed sessions past the retention period")
    retention_sub = retention.add_subparsers(dest="retention_command", required=True)
    run = retention_sub.add_parser("run", help="anonymise now (or at --now)")
    run.add_argument("--now", help="pretend it is this moment (ISO 8601, e.g. 2026-01-31T00:00:00Z)")
    run.add_argument("--days", type=int, help="retention period in days (default COACH_RETENTION_DAYS)")
    run.add_argument(
        "--every",
        type=int,
        metavar="SECONDS",
        help="run again every SECONDS (at least 60) and never stop: the docker-compose service",
    )
    run.set_defaults(func=cmd_retention_run)

    client = sub.add_parser("client", help="a client's data on request")
    client_sub = client.add_subparsers(dest="client_action", required=True)
    export = client_sub.add_parser("export", help="print or save everything stored about a client (JSON)")
    export.add_argument("ref", help="the client reference")
    export.add_argument("--out", help="write to this file instead of stdout")
    delete = client_sub.add_parser("delete", help="delete a client's sessions and plans")
    delete.add_argument("ref", help="the client reference")
    delete.add_argument("--yes", action="store_true", help="confirm the deletion")
    client.set_defaults(func=cmd_client)
