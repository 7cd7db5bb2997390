"""`coach scenarios list` and `coach scenarios run [NAME ...]`.

`run` plays scenarios through a running API (`--api URL`, signing in as a
trainer) or, without `--api`, through a fresh local stack (Rasa, action server
and API on free ports, a throwaway database) that it stops afterwards. The
exit code is 0 only when every scenario passed, so CI can run it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

from cli.paths import REPO_ROOT

SCENARIO_DIR = REPO_ROOT / "data" / "scenarios"
STACK_TRAINER = ("scenario-trainer", "scenario-trainer-password")
DEV_TRAINER = ("trainer", "trainer-dev")  # the account `coach run` creates in development


def add_parser(sub) -> None:
    scenarios = sub.add_parser("scenarios", help="trainer scenarios: list them, replay them")
    scenarios_sub = scenarios.add_subparsers(dest="scenarios_command", required=True)
    listing = scenarios_sub.add_parser("list", help="every scenario, and the mistakes in broken files")
    listing.add_argument("--dir", type=Path, default=SCENARIO_DIR)
    listing.set_defaults(func=cmd_list)
    run = scenarios_sub.add_parser("run", help="replay scenarios through the API (exit 1 on a failure)")
    run.add_argument("names", nargs="*", metavar="NAME", help="scenario names (default: all)")
    run.add_argument("--dir", type=Path, default=SCENARIO_DIR)
    run.add_argument("--api", help="URL of a running API, e.g. http://127.0.0.1:8000 (default: start one)")
    run.add_argument(
        "--user",
        default=os.environ.get("COACH_SCENARIO_USER"),
        help="trainer account for --api (default: the dev account 'trainer')",
    )
    run.add_argument("--password", default=os.environ.get("COACH_SCENARIO_PASSWORD"))
    run.add_argument("--json", type=Path, help="also write the full results to this file")
    run.add_argument("--verbose", "-v", action="store_true", help="show every check, not only failures")
    run.set_defaults(func=cmd_run)


def _known_responses() -> Optional[set]:
    from bot.flow.sources import FlowSources, read_domain

    responses = read_domain(FlowSources.from_repo().domain).responses
    return set(responses) or None


def cmd_list(args) -> int:
    from bot.scenarios.store import ScenarioStore

    stored = ScenarioStore(args.dir, known_responses=_known_responses()).all()
    if not stored:
        print(f"Geen scenario's in {args.dir}")
        return 1
    broken = 0
    for item in stored:
        if item.scenario is not None:
            s = item.scenario
            print(f"{item.name:<34} {len(s.turns):>3} beurten {s.check_count():>4} checks  {s.title}")
        else:
            broken += 1
            print(f"{item.name:<34} ONGELDIG\n{item.error}")
    return 1 if broken else 0


def _select(args) -> Tuple[list, List[str]]:
    """The scenarios to run, and the problems (unknown names, broken files)."""
    from bot.scenarios.store import ScenarioNotFound, ScenarioStore

    store = ScenarioStore(args.dir, known_responses=_known_responses())
    problems: List[str] = []
    if args.names:
        chosen = []
        for name in args.names:
            try:
                chosen.append(store.get(name))
            except ScenarioNotFound:
                problems.append(f"onbekend scenario '{name}' (zie `coach scenarios list`)")
    else:
        chosen = store.all()
    for item in chosen:
        if item.error is not None:
            problems.append(str(item.error))
    return [item.scenario for item in chosen if item.scenario is not None], problems


def print_result(result, verbose: bool = False, out=None) -> None:
    from bot.scenarios.runner import describe_understood

    out = out or sys.stdout  # looked up now: sys.stdout may have been replaced since import
    data = result.to_dict()
    mark = "GESLAAGD" if result.passed else "MISLUKT"
    counts = data["counts"]
    print(
        f"{mark:<9} {result.scenario.name}: {counts['turns']} beurten, {counts['checks']} checks, "
        f"{counts['failed']} fout ({data['duration_s']} s)",
        file=out,
    )
    if result.error:
        print(f"    fout: {result.error}", file=out)
    skipped = 0
    for turn in result.turns:
        if not turn.ran and turn.index > 0:
            skipped += 1  # one line for all of them, below
            continue
        shown = [c for c in turn.checks if verbose or not c.passed]
        if not shown and turn.error is None:
            continue
        where = f"regel {turn.line}" if turn.line else "opening"
        print(f"  beurt {turn.index} ({where}) {turn.description}", file=out)
        if turn.error:
            print(f"    ✗ {turn.error}", file=out)
        if any(not c.passed for c in turn.checks):
            said = describe_understood(
                next((m.get("understood") for m in turn.messages if m.get("sender") == "client"), None)
            )
            if said:
                print(f"    (de coach: {said})", file=out)
        for check in shown:
            print(f"    {'✓' if check.passed else '✗'} {check.reason}", file=out)
    if skipped:
        print(f"  {skipped} beurt(en) daarna niet uitgevoerd: een eerdere beurt mislukte", file=out)


def print_step(scenario_name: str, outcome, done: int, total: int, out=None) -> None:
    """One line as soon as a step has run ("[2/5] ✓ beurt 1 …"), with the reason of each failed check
    under it, so a long replay shows where it is and what broke while it plays."""
    out = out or sys.stdout
    failed = [c for c in outcome.checks if not c.passed]
    ok = outcome.error is None and not failed
    where = f"regel {outcome.line}" if outcome.line else "opening"
    print(
        f"  {scenario_name} [{done}/{total}] {'✓' if ok else '✗'} beurt {outcome.index} ({where}) "
        f"{outcome.description}",
        file=out,
        flush=True,
    )
    if outcome.error:
        print(f"      ✗ {outcome.error}", file=out, flush=True)
    for check in failed:
        print(f"      ✗ {check.reason}", file=out, flush=True)


async def run_all(
    api_url: str, username: str, password: str, scenarios: list, *, stream: bool = True
) -> list:
    """Replay each scenario; with ``stream`` every step is printed as it finishes."""
    import httpx

    from bot.scenarios.runner import ScenarioRunner, sign_in

    results = []
    async with httpx.AsyncClient(base_url=api_url.rstrip("/"), timeout=120) as http:
        await sign_in(http, username, password)
        for scenario in scenarios:
            progress = None
            if stream:
                print(f"{scenario.name}: afspelen ({len(scenario.turns)} beurten) ...", flush=True)
                progress = functools.partial(print_step, scenario.name)
            results.append(await ScenarioRunner(http, progress=progress).run(scenario))
    return results


@contextlib.contextmanager
def local_stack(workdir: Optional[Path] = None) -> Iterator[Tuple[str, str, str]]:
    """A throwaway stack with a trainer account: yields (api_url, username, password)."""
    from bot.db.engine import dispose_engines
    from cli.local_stack import LocalStack
    from cli.training import train

    model = train(quiet=True)
    with contextlib.ExitStack() as cleanup:
        if workdir is None:
            workdir = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="coach-scenarios-")))
        stack = LocalStack(model=model, workdir=workdir)
        # the app database must exist, with a trainer, before the servers touch it
        stack.prepare_database(users=[(STACK_TRAINER[0], "trainer", STACK_TRAINER[1])])
        dispose_engines()
        stack.start(timeout_s=420)
        cleanup.callback(stack.stop)
        yield stack.api_url, STACK_TRAINER[0], STACK_TRAINER[1]


def cmd_run(args) -> int:
    scenarios, problems = _select(args)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not scenarios:
        print("Geen geldige scenario's om af te spelen.", file=sys.stderr)
        return 1
    if args.api:
        user = args.user or DEV_TRAINER[0]
        password = args.password or (DEV_TRAINER[1] if user == DEV_TRAINER[0] else None)
        if password is None:
            print("Geef --password (of COACH_SCENARIO_PASSWORD) voor --user.", file=sys.stderr)
            return 2
        results = asyncio.run(run_all(args.api, user, password, scenarios))
    else:
        print("Een eigen stack starten (Rasa, acties, API); dat duurt even ...", flush=True)
        with local_stack() as (url, user, password):
            results = asyncio.run(run_all(url, user, password, scenarios))
    for result in results:
        print_result(result, verbose=args.verbose)
    passed = sum(r.passed for r in results)
    print(
        f"\n{passed} van {len(results)} scenario's geslaagd"
        + (f"; {len(problems)} niet af te spelen" if problems else "")
    )
    if args.json:
        args.json.write_text(
            json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False, default=str),
            encoding="utf-8",
        )
    return 0 if passed == len(results) and not problems else 1
