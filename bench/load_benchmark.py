"""Load benchmark: client-turn latency through the API and straight to Rasa, side by side.

For each topology (embedded: one Rasa server, in-memory tracker and lock
stores, SQLite; production: two Rasa servers, PostgreSQL tracker store and app
data, Redis lock store) and each concurrency level (1, 20, 50, 100 kiosks):

1. the kiosks hold conversations through the API (`POST /api/v1/sessions/{id}/messages`);
2. the same simulated clients hold the same conversations straight through
   Rasa's `coach` channel (the channel the API itself calls, round robin over
   the servers like the API), on sessions that exist in the app database, so
   the action server does exactly the same plan writes.

The kiosks of these levels never pause (closed loop): N kiosks keep N turns
in flight, the worst case, which measures capacity and queueing. The paced
levels (default 20 and 50 kiosks) then let each kiosk wait a random "think
time" (mean --think-s) before each message, as a person reading and typing
does, which measures the latency a client meets at that many open sessions.

The API's overhead is the ratio of the two, measured in the same run, in
latency (p50) and in CPU time per turn (read from /proc, so it does not depend
on what else runs on the machine). Peak RSS per process, the load average
around every step and the training time go in the results too.

    .venv/bin/python -m bench.load_benchmark [--levels 1,20,50,100] [--turns 6]
        [--paced-levels 20,50] [--think-s 4] [--topologies embedded,production] [--min-turns 120]

Writes bench/results/load.json and bench/results/load.md and prints both.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import numpy

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load_conversation import SimulatedClient  # noqa: E402
from bench.load_driver import RoundRobin, SessionRun, api_session, http_client, rasa_session, run_kiosks  # noqa: E402
from bench.load_stack import (
    fresh_database,
    fresh_redis_prefix,
    postgres_problem,
    production_env,  # noqa: E402
    redis_problem,
    start_stack,
)
from bench.process_memory import PeakMemory  # noqa: E402

RESULTS_DIR = ROOT / "bench" / "results"
INTERNAL_TOKEN_HEADER = "X-Coach-Internal-Token"  # rasa_plugins/coach_channel.py
KIOSK_KEY = "load-benchmark-kiosk-key-0123456789"
LEVELS = (1, 20, 50, 100)
PACED_LEVELS = (20, 50)
TARGETS = {"p95_ms_at_20": 150.0, "api_overhead_p50_pct": 10.0, "errors_up_to": 100}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- measuring ---------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


def loadavg() -> List[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _rasa_down_text() -> str:
    from api.domain_texts import RASA_DOWN_RESPONSE, DomainTexts

    return DomainTexts.load().get(RASA_DOWN_RESPONSE, "nl").text


def latency_summary(runs: List[SessionRun], wall_s: float, rasa_down_text: str) -> Dict[str, Any]:
    """p50/p95/p99 over client turns (session starts excluded), errors and hand-offs."""
    turns = [t for r in runs for t in r.client_turns]
    ok = [t.latency_ms for t in turns if t.ok]
    failed = [t for t in turns if not t.ok]
    # A hand-off because Rasa did not answer in time (at the start or at any turn) is an
    # error the kiosk saw, not a conversation turn.
    rasa_down = [
        r
        for r in runs
        if any(m.get("text") == rasa_down_text for t in r.turns for m in (t.body or {}).get("messages") or [])
    ]
    summary: Dict[str, Any] = {
        "sessions": len(runs),
        "turns": len(turns),
        "errors": len(failed) + len(rasa_down),
        "error_examples": sorted({t.error for t in failed if t.error})[:3],
        "rasa_unavailable_handoffs": len(rasa_down),
        "handoffs": sum(1 for r in runs if r.stopped == "handoff"),
        "session_start_errors": sum(1 for r in runs if r.turns and not r.turns[0].ok),
        "wall_s": round(wall_s, 1),
        "turns_per_s": round(len(ok) / wall_s, 2) if wall_s else None,
    }
    if ok:
        p50, p95, p99 = numpy.percentile(ok, [50, 95, 99])
        summary.update(
            p50_ms=round(float(p50), 1),
            p95_ms=round(float(p95), 1),
            p99_ms=round(float(p99), 1),
            mean_ms=round(float(numpy.mean(ok)), 1),
            max_ms=round(max(ok), 1),
        )
    return summary


def create_app_sessions(database_url: str, count: int) -> List[str]:
    """Sessions in the app database for the straight-to-Rasa runs (the actions write their plans)."""
    from bot import sessions
    from bot.db.engine import session_scope

    with session_scope(database_url) as db:
        return [sessions.create_session(db, language="nl").id for _ in range(count)]


# --- one topology ------------------------------------------------------------


class TopologyRun:
    def __init__(self, stack, name: str, turns: int, min_turns: int) -> None:
        self.stack = stack
        self.name = name
        self.turns = turns
        self.min_turns = min_turns
        self.database_url = stack.settings().database_url
        self.internal_token = stack.settings().internal_token
        self.rasa_down_text = _rasa_down_text()

    def _cpu(self) -> Dict[str, float]:
        return {name: cpu_seconds(child.process.pid) for name, child in self.stack.children.items()}

    async def _timed(
        self,
        path: str,
        kiosks: int,
        sessions_each: int,
        one_session: Callable[[Any, int], Any],
        http,
        think_s: float,
    ) -> Dict[str, Any]:
        before_load, before_cpu = loadavg(), self._cpu()
        started = time.perf_counter()
        runs = await run_kiosks(kiosks, lambda n: one_session(http, n), sessions_each=sessions_each)
        wall = time.perf_counter() - started
        after_cpu = self._cpu()
        summary = latency_summary(runs, wall, self.rasa_down_text)
        used = {name: after_cpu[name] - before_cpu[name] for name in after_cpu}
        answered = max(1, summary["turns"] + summary["sessions"])  # session starts cost CPU too
        summary["cpu_ms_per_turn"] = {name: round(1000 * s / answered, 1) for name, s in used.items()}
        summary["loadavg_before"], summary["loadavg_after"] = before_load, loadavg()
        paced = f"think~{think_s:g}s" if think_s else "no pause"
        print(
            f"  {self.name:10s} c={kiosks:<3d} {paced:10s} {path:4s} p50={summary.get('p50_ms')} p95={summary.get('p95_ms')}"
            f" p99={summary.get('p99_ms')} errors={summary['errors']} load={summary['loadavg_after'][0]}",
            flush=True,
        )
        return summary

    @staticmethod
    def _pause(think_s: float) -> float:
        """The drivers wait uniform(0, jitter) before each message: twice the mean think time."""
        return 2 * think_s if think_s else 0.02

    async def api_level(
        self, kiosks: int, sessions_each: int, first_client: int, think_s: float = 0.0
    ) -> Dict[str, Any]:
        async with http_client(self.stack.api_url, kiosk_key=KIOSK_KEY, concurrency=kiosks) as http:
            return await self._timed(
                "api",
                kiosks,
                sessions_each,
                lambda h, n: api_session(
                    h, SimulatedClient(first_client + n), self.turns, jitter_s=self._pause(think_s)
                ),
                http,
                think_s,
            )

    async def rasa_level(
        self, kiosks: int, sessions_each: int, first_client: int, think_s: float = 0.0
    ) -> Dict[str, Any]:
        ids = await asyncio.to_thread(create_app_sessions, self.database_url, kiosks * sessions_each)
        servers = RoundRobin(self.stack.rasa_urls)
        async with http_client(concurrency=kiosks) as http:
            # The channel answers only the API's shared secret (rasa_plugins/coach_channel.py); without
            # it every straight-to-Rasa turn was a 401.
            http.headers[INTERNAL_TOKEN_HEADER] = self.internal_token
            return await self._timed(
                "rasa",
                kiosks,
                sessions_each,
                lambda h, n: rasa_session(
                    h,
                    servers,
                    ids[n],
                    SimulatedClient(first_client + n),
                    self.turns,
                    jitter_s=self._pause(think_s),
                ),
                http,
                think_s,
            )

    async def warm_up(self) -> None:
        """TensorFlow builds its graphs on the first messages: keep that out of the figures."""
        await self.api_level(2, 1, first_client=9000)
        await self.rasa_level(2, 1, first_client=9000)

    async def run(self, levels: List[int], paced_levels: List[int], think_s: float) -> List[Dict[str, Any]]:
        await self.warm_up()
        results = []
        plan = [(kiosks, 0.0) for kiosks in levels] + [(kiosks, think_s) for kiosks in paced_levels]
        for number, (kiosks, think) in enumerate(plan):
            # Paced kiosks run one conversation each: pauses make more take too long.
            sessions_each = 1 if think else max(1, math.ceil(self.min_turns / (kiosks * self.turns)))
            # Same clients on both paths: the same conversations. Alternate which goes first,
            # so a change in the machine's load does not always favour one path.
            first = 100_000 * (number + 1)
            order = ("api", "rasa") if number % 2 == 0 else ("rasa", "api")
            level: Dict[str, Any] = {
                "concurrency": kiosks,
                "think_s": think,
                "sessions_per_kiosk": sessions_each,
                "order": order,
            }
            for path in order:
                runner = self.api_level if path == "api" else self.rasa_level
                level[path] = await runner(kiosks, sessions_each, first, think)
            api_p50, rasa_p50 = level["api"].get("p50_ms"), level["rasa"].get("p50_ms")
            if api_p50 and rasa_p50:
                level["api_overhead_p50_pct"] = round(100 * (api_p50 - rasa_p50) / rasa_p50, 1)
            api_cpu = level["api"]["cpu_ms_per_turn"].get("api", 0.0)
            rasa_cpu = sum(v for k, v in level["rasa"]["cpu_ms_per_turn"].items() if k != "api")
            if rasa_cpu:
                level["api_cpu_overhead_pct"] = round(100 * api_cpu / rasa_cpu, 1)
            results.append(level)
        return results


def _start(kind: str, model: Path, workdir: Path, resources: ExitStack):
    if kind == "embedded":
        database_url = f"sqlite:///{workdir / 'coach.db'}"
        return start_stack(model, workdir, rasa_servers=1, database_url=database_url, kiosk_key=KIOSK_KEY)
    for problem in (postgres_problem(), redis_problem()):
        if problem:
            raise RuntimeError(problem)
    database_url = resources.enter_context(fresh_database(prefix="coach_bench"))
    lock_url = resources.enter_context(fresh_redis_prefix(prefix="coachbench"))
    return start_stack(
        model,
        workdir,
        rasa_servers=2,
        database_url=database_url,
        kiosk_key=KIOSK_KEY,
        extra_env=production_env(database_url, lock_url),
    )


def run_topology(
    kind: str,
    model: Path,
    levels: List[int],
    turns: int,
    min_turns: int,
    paced_levels: List[int],
    think_s: float,
) -> Dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"coach-bench-{kind}-") as tmp, ExitStack() as resources:
        began = time.perf_counter()
        stack = _start(kind, model, Path(tmp), resources)
        try:
            start_s = time.perf_counter() - began
            pids = {name: child.process.pid for name, child in stack.children.items()}
            with PeakMemory(pids) as memory:
                level_results = asyncio.run(
                    TopologyRun(stack, kind, turns, min_turns).run(levels, paced_levels, think_s)
                )
            return {
                "rasa_servers": len(stack.rasa_urls),
                "stores": (
                    "in-memory tracker and lock store, SQLite app data"
                    if kind == "embedded"
                    else "PostgreSQL tracker store and app data, Redis lock store"
                ),
                "start_s": round(start_s, 1),
                "levels": level_results,
                "peak_rss_mib": memory.rounded(),
            }
        finally:
            stack.stop()


# --- results -----------------------------------------------------------------


def peak_by_role(topologies: Dict[str, Any]) -> Dict[str, float]:
    """The largest peak per kind of process (rasa1/rasa2 → rasa) over all topologies."""
    peaks: Dict[str, float] = {}
    for result in topologies.values():
        for name, mib in result["peak_rss_mib"].items():
            role = name.rstrip("0123456789")
            peaks[role] = max(peaks.get(role, 0.0), mib)
    return peaks


def verdicts(topologies: Dict[str, Any]) -> Dict[str, Any]:
    """Each target, per topology; the p95 target both without pauses and paced like people."""
    out: Dict[str, Any] = {}
    for kind, result in topologies.items():
        closed = {lvl["concurrency"]: lvl for lvl in result["levels"] if not lvl.get("think_s")}
        paced = {lvl["concurrency"]: lvl for lvl in result["levels"] if lvl.get("think_s")}
        at20 = closed.get(20, {}).get("api", {}).get("p95_ms")
        at20_paced = paced.get(20, {}).get("api", {}).get("p95_ms")
        overheads = {
            lvl["concurrency"] if not lvl.get("think_s") else f"{lvl['concurrency']} paced": lvl.get(
                "api_overhead_p50_pct"
            )
            for lvl in result["levels"]
        }
        known = [o for o in overheads.values() if o is not None]
        errors = {
            c if not lvl.get("think_s") else f"{c} paced": lvl["api"]["errors"] + lvl["rasa"]["errors"]
            for lvl in result["levels"]
            for c in [lvl["concurrency"]]
            if c <= TARGETS["errors_up_to"]
        }
        out[kind] = {
            "p95_ms_at_20": at20,
            "p95_at_20_met": at20 is not None and at20 < TARGETS["p95_ms_at_20"],
            "p95_ms_at_20_paced": at20_paced,
            "p95_at_20_paced_met": at20_paced is not None and at20_paced < TARGETS["p95_ms_at_20"],
            "api_overhead_p50_pct_by_level": overheads,
            "api_overhead_met_at_every_level": bool(known) and max(known) <= TARGETS["api_overhead_p50_pct"],
            "errors_by_level": errors,
            "no_errors_met": bool(errors) and sum(errors.values()) == 0,
        }
    return out


def training_figure() -> Optional[Dict[str, Any]]:
    path = RESULTS_DIR / "training.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _cell(value: Any, unit: str = "") -> str:
    return "–" if value is None else f"{value}{unit}"


def _total_cpu(path: Dict[str, Any]) -> str:
    """CPU ms per answered message of every process together (bench/cpu_per_turn.py is the steadier yardstick)."""
    per_process = path.get("cpu_ms_per_turn") or {}
    return _cell(round(sum(per_process.values()), 1) if per_process else None)


def markdown(result: Dict[str, Any]) -> str:
    lines = [
        f"# Load benchmark ({result['measured_at']})",
        "",
        f"`{result['command']}` on {result['machine']['cpus']} cores shared with other work "
        f"(load average {result['machine']['loadavg_start']} at the start, {result['machine']['loadavg_end']} "
        f"at the end). Latency of one client turn in ms, session starts excluded; "
        f"*Rasa alone* = the same conversations sent straight to Rasa's `coach` channel in the same run.",
        "",
        "| topology | kiosks | pause | turns | API p50 / p95 / p99 | Rasa alone p50 / p95 / p99 | API overhead p50 "
        "| API CPU per turn (vs Rasa+actions) | CPU ms/turn all processes: API path / Rasa alone "
        "| turns/s API / Rasa | errors API / Rasa | load avg |",
        "|---|---:|---|---:|---|---|---:|---:|---:|---|---|---:|",
    ]
    for kind, topo in result["topologies"].items():
        for lvl in topo["levels"]:
            api, rasa = lvl["api"], lvl["rasa"]
            lines.append(
                f"| {kind} ({topo['rasa_servers']} Rasa) | {lvl['concurrency']} "
                f"| {'~' + format(lvl['think_s'], 'g') + ' s' if lvl.get('think_s') else 'none'} | {api['turns']} "
                f"| {_cell(api.get('p50_ms'))} / {_cell(api.get('p95_ms'))} / {_cell(api.get('p99_ms'))} "
                f"| {_cell(rasa.get('p50_ms'))} / {_cell(rasa.get('p95_ms'))} / {_cell(rasa.get('p99_ms'))} "
                f"| {_cell(lvl.get('api_overhead_p50_pct'), ' %')} "
                f"| {_cell(api['cpu_ms_per_turn'].get('api'), ' ms')} ({_cell(lvl.get('api_cpu_overhead_pct'), ' %')}) "
                f"| {_total_cpu(api)} / {_total_cpu(rasa)} "
                f"| {_cell(api.get('turns_per_s'))} / {_cell(rasa.get('turns_per_s'))} "
                f"| {api['errors']} / {rasa['errors']} | {api['loadavg_after'][0]} |"
            )
    lines += [
        "",
        "How to read it: with no pause, N kiosks keep N turns in flight all the time, so latency "
        "there is queueing behind the machine's capacity (turns/s); with a pause, each kiosk waits "
        "like a person reading and typing. Errors are failed requests plus hand-offs because Rasa did "
        "not answer within COACH_RASA_TIMEOUT_S (the kiosk is told, the message is kept). API CPU per "
        "turn is read from /proc and does not depend on other work on the machine.",
        "",
        "Peak RSS (MiB, kernel high-water mark, sampled during the whole run):",
        "",
        "| topology | "
        + " | ".join(sorted({n for t in result["topologies"].values() for n in t["peak_rss_mib"]}))
        + " |",
    ]
    names = sorted({n for t in result["topologies"].values() for n in t["peak_rss_mib"]})
    lines.append("|---|" + "---:|" * len(names))
    for kind, topo in result["topologies"].items():
        lines.append(f"| {kind} | " + " | ".join(_cell(topo["peak_rss_mib"].get(n)) for n in names) + " |")
    training = result.get("training")
    lines += [""]
    if training:
        lines.append(
            f"Training the full assistant: {training['trained_s']} s wall "
            f"({training['source']}; peak RSS {training.get('peak_rss_mib')} MiB)."
        )
    lines += ["", "Targets (2-core machine):", ""]
    for kind, v in result["verdicts"].items():
        overhead = ", ".join(f"{c}: {_cell(p, ' %')}" for c, p in v["api_overhead_p50_pct_by_level"].items())
        lines.append(
            f"- {kind}: p95 at 20 kiosks without pauses {_cell(v['p95_ms_at_20'], ' ms')} "
            f"({'met' if v['p95_at_20_met'] else 'missed'}), paced "
            f"{_cell(v.get('p95_ms_at_20_paced'), ' ms')} "
            f"({'met' if v.get('p95_at_20_paced_met') else 'missed'}), target < {TARGETS['p95_ms_at_20']:.0f} ms; "
            f"API overhead p50 {overhead} ({'met' if v['api_overhead_met_at_every_level'] else 'missed'}, "
            f"target ≤ {TARGETS['api_overhead_p50_pct']:.0f} %); errors "
            f"{', '.join(f'{c}: {n}' for c, n in v['errors_by_level'].items())} "
            f"({'met' if v['no_errors_met'] else 'missed'})."
        )
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None, command: Optional[str] = None) -> Dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)))
    parser.add_argument("--turns", type=int, default=6, help="client turns per conversation")
    parser.add_argument(
        "--paced-levels",
        default=",".join(map(str, PACED_LEVELS)),
        help="kiosk counts that pause like people between messages ('' for none)",
    )
    parser.add_argument("--think-s", type=float, default=4.0, help="mean pause of the paced kiosks")
    parser.add_argument(
        "--min-turns",
        type=int,
        default=120,
        help="at least this many turns per level and path (1 kiosk runs several sessions)",
    )
    parser.add_argument("--topologies", default="embedded,production")
    parser.add_argument("--out", default=str(RESULTS_DIR / "load"), help="writes OUT.json and OUT.md")
    parser.add_argument(
        "--model", default=None, help="model archive to serve (default: train if no model matches the data)"
    )
    args = parser.parse_args(argv)
    from cli.training import train

    model = Path(args.model) if args.model else train(quiet=True)
    levels = [int(x) for x in args.levels.split(",") if x.strip()]
    paced_levels = [int(x) for x in args.paced_levels.split(",") if x.strip()]
    started, load_start = time.time(), loadavg()
    topologies = {}
    for kind in [k.strip() for k in args.topologies.split(",") if k.strip()]:
        print(f"{kind}: starting the stack ...", flush=True)
        topologies[kind] = run_topology(
            kind, model, levels, args.turns, args.min_turns, paced_levels, args.think_s
        )
    result = {
        "what": "round-trip latency of POST /api/v1/sessions/{id}/messages vs the same turns straight to Rasa",
        "command": command
        or " ".join(["python -m bench.load_benchmark", *(argv if argv is not None else sys.argv[1:])]),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "duration_s": round(time.time() - started, 1),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "loadavg_start": load_start,
            "loadavg_end": loadavg(),
            "note": "load average counts every engineer's work on this machine, not only this run",
        },
        "settings": {
            "levels": levels,
            "paced_levels": paced_levels,
            "think_s": args.think_s,
            "turns_per_session": args.turns,
            "min_turns_per_level": args.min_turns,
            "model": model.name,
            "targets": TARGETS,
        },
        "topologies": topologies,
        "peak_rss_mib_by_role": peak_by_role(topologies),
        "training": training_figure(),
    }
    result["verdicts"] = verdicts(topologies)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    out.with_suffix(".md").write_text(markdown(result), encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(markdown(result))
    return result


if __name__ == "__main__":
    main()
