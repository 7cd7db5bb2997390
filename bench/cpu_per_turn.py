"""The stable yardstick: CPU milliseconds per turn for every process of the stack.

Latency on a shared 2-core machine moves with whatever else runs; the CPU time a
process spends on a turn hardly does. This starts the embedded stack (one Rasa
server, actions, API; in-memory tracker store, SQLite), runs the persona
conversations of `bench/load_conversation.py` through the API until at least
``--min-turns`` client turns are answered, then the same conversations straight
to Rasa's `coach` channel (the bare-Rasa baseline) in the same run, and reads
utime+stime of each process from /proc/<pid>/stat before and after each path.

CPU per turn = CPU seconds used by the process / messages it answered (client
turns plus the session starts, which cost a Rasa turn too). Latency (p50/p95)
and turns/s are printed next to it; they are the noisy part.

Each ``--variant NAME[:ENV=VALUE,ENV=VALUE]`` starts a stack of its own with
those environment variables added (e.g. TensorFlow thread settings); the stacks
run side by side and are measured in interleaved rounds (one variant at a time,
the order rotating, the same clients for each), so settings are compared in one
run under the same machine load. On a machine shared with other work the
absolute figures still rise with its load (caches, hyper-threads): compare
variants of one run, not runs of different hours.

    .venv/bin/python -m bench.cpu_per_turn [--min-turns 300] [--kiosks 4]
        [--variant current] [--variant 'intra1:TF_INTRA_OP_PARALLELISM_THREADS=1']

Writes bench/results/load_cpu.json and bench/results/load_cpu.md and prints both.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import numpy

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load_benchmark import (
    INTERNAL_TOKEN_HEADER,
    KIOSK_KEY,
    RESULTS_DIR,
    _rasa_down_text,
    cpu_seconds,  # noqa: E402
    create_app_sessions,
    loadavg,
)
from bench.load_conversation import SimulatedClient  # noqa: E402
from bench.load_driver import (
    RoundRobin,
    SessionRun,
    api_session,
    http_client,
    rasa_session,  # noqa: E402
    run_kiosks,
)
from bench.load_stack import prepare_app_database  # noqa: E402
from cli.local_stack import LocalStack  # noqa: E402
from bench.process_memory import PeakMemory  # noqa: E402

TURNS_PER_SESSION = 6


def parse_variant(text: str) -> Tuple[str, Dict[str, str]]:
    """'name:A=1,B=2' -> ('name', {'A': '1', 'B': '2'}); 'name' -> ('name', {})."""
    name, _, rest = text.partition(":")
    env = {}
    for pair in filter(None, (p.strip() for p in rest.split(","))):
        key, _, value = pair.partition("=")
        env[key.strip()] = value.strip()
    return name.strip() or "current", env


def _summary(runs: List[SessionRun], wall_s: float, used: Dict[str, float], down_text: str) -> Dict[str, Any]:
    turns = [t for r in runs for t in r.client_turns]
    ok = [t.latency_ms for t in turns if t.ok]
    answered = len(turns) + len(runs)  # session starts are Rasa turns too
    out: Dict[str, Any] = {
        "sessions": len(runs),
        "client_turns": len(turns),
        "answered": answered,
        "errors": sum(1 for t in turns if not t.ok)
        + sum(
            1
            for r in runs
            if any(m.get("text") == down_text for t in r.turns for m in (t.body or {}).get("messages") or [])
        ),
        "wall_s": round(wall_s, 1),
        "turns_per_s": round(len(ok) / wall_s, 2) if wall_s else None,
        "cpu_s": {name: round(s, 2) for name, s in used.items()},
        "cpu_ms_per_turn": {name: round(1000 * s / max(1, answered), 1) for name, s in used.items()},
    }
    out["cpu_ms_per_turn_total"] = round(sum(out["cpu_ms_per_turn"].values()), 1)
    if ok:
        p50, p95 = numpy.percentile(ok, [50, 95])
        out.update(p50_ms=round(float(p50), 1), p95_ms=round(float(p95), 1))
    return out


class Yardstick:
    def __init__(self, stack, kiosks: int, min_turns: int) -> None:
        self.stack = stack
        self.kiosks = kiosks
        self.min_turns = min_turns
        self.database_url = stack.settings().database_url
        self.internal_token = stack.settings().internal_token
        self.down_text = _rasa_down_text()

    def _cpu(self) -> Dict[str, float]:
        return {name: cpu_seconds(child.process.pid) for name, child in self.stack.children.items()}

    async def _batch(self, path: str, first_client: int, sessions_each: int) -> List[SessionRun]:
        if path == "api":
            async with http_client(self.stack.api_url, kiosk_key=KIOSK_KEY, concurrency=self.kiosks) as http:
                return await run_kiosks(
                    self.kiosks,
                    lambda n: api_session(http, SimulatedClient(first_client + n), TURNS_PER_SESSION),
                    sessions_each=sessions_each,
                )
        ids = await asyncio.to_thread(create_app_sessions, self.database_url, self.kiosks * sessions_each)
        servers = RoundRobin(self.stack.rasa_urls)
        async with http_client(concurrency=self.kiosks) as http:
            http.headers[INTERNAL_TOKEN_HEADER] = self.internal_token  # the channel answers only this
            return await run_kiosks(
                self.kiosks,
                lambda n: rasa_session(
                    http, servers, ids[n], SimulatedClient(first_client + n), TURNS_PER_SESSION
                ),
                sessions_each=sessions_each,
            )

    async def measure_batch(self, path: str, first_client: int, sessions_each: int) -> Dict[str, Any]:
        before, started = self._cpu(), time.perf_counter()
        runs = await self._batch(path, first_client, sessions_each)
        wall, after = time.perf_counter() - started, self._cpu()
        return {"runs": runs, "wall": wall, "cpu": {n: after[n] - before[n] for n in after}}

    async def warm_up(self) -> None:
        # TensorFlow builds its graphs on the first messages: keep that out of the figures.
        await self._batch("api", 90_000, 1)
        await self._batch("rasa", 90_000, 1)


class Tally:
    """One variant's batches of one path, added up."""

    def __init__(self) -> None:
        self.runs: List[SessionRun] = []
        self.wall = 0.0
        self.cpu: Dict[str, float] = {}

    def add(self, batch: Dict[str, Any]) -> None:
        self.runs += batch["runs"]
        self.wall += batch["wall"]
        for name, seconds in batch["cpu"].items():
            self.cpu[name] = self.cpu.get(name, 0.0) + seconds

    @property
    def client_turns(self) -> int:
        return sum(len(r.client_turns) for r in self.runs)


async def _measure_all(
    sticks: Dict[str, Yardstick], kiosks: int, min_turns: int, rounds: int
) -> Dict[str, Dict[str, Tally]]:
    """Rounds in turn over the variants (the order rotating), so a change in the machine's
    load falls on every variant alike; every variant gets the same clients in a round."""
    for stick in sticks.values():
        await stick.warm_up()
    tallies = {name: {"api": Tally(), "rasa": Tally()} for name in sticks}
    names = list(sticks)
    sessions_each = max(1, -(-min_turns // (rounds * kiosks * TURNS_PER_SESSION)))
    first_client, number = 1, 0
    while any(t[path].client_turns < min_turns for t in tallies.values() for path in ("api", "rasa")):
        order = names[number % len(names) :] + names[: number % len(names)]
        for path in ("api", "rasa"):
            for name in order:
                tallies[name][path].add(await sticks[name].measure_batch(path, first_client, sessions_each))
        first_client += kiosks * sessions_each
        number += 1
        for name, t in tallies.items():
            for path in ("api", "rasa"):
                if t[path].runs and not t[path].client_turns:
                    errors = sorted({turn.error for r in t[path].runs for turn in r.turns if turn.error})
                    raise RuntimeError(f"{name} {path}: no conversation got past its start: {errors[:3]}")
        print(
            f"  round {number}: "
            + ", ".join(f"{n} {t['api'].client_turns}/{t['rasa'].client_turns}" for n, t in tallies.items()),
            flush=True,
        )
    return tallies


def run_variants(
    variants: List[Tuple[str, Dict[str, str]]], model: Path, kiosks: int, min_turns: int, rounds: int
) -> Dict[str, Any]:
    down_text = _rasa_down_text()
    with ExitStack() as cleanup:
        workdirs = {
            name: Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix=f"coach-cpu-{name}-")))
            for name, _ in variants
        }
        print(f"starting {len(variants)} embedded stacks: {dict(variants)} ...", flush=True)

        stacks = {}
        for name, env in variants:
            # Launch every stack first and wait for them together: Rasa takes minutes to load on
            # a busy machine. (LocalStack.start sets os.environ while it reads the settings, so
            # the launches themselves run one after another.)
            workdir = workdirs[name]
            database_url = f"sqlite:///{workdir / 'coach.db'}"
            prepare_app_database(database_url, KIOSK_KEY)
            stack = LocalStack(
                model=model,
                workdir=workdir,
                rasa_servers=1,
                env_overrides={"COACH_DATABASE_URL": database_url, "COACH_KIOSK_KEY": KIOSK_KEY, **env},
            )
            stack.wait_until_up = lambda *args, **kwargs: None  # type: ignore[assignment]
            cleanup.callback(stack.stop)
            stacks[name] = stack.start()
        for stack in stacks.values():
            LocalStack.wait_until_up(stack, list(stack.children), 900.0)
        pids = {name: {n: c.process.pid for n, c in stack.children.items()} for name, stack in stacks.items()}
        memories = {name: cleanup.enter_context(PeakMemory(p)) for name, p in pids.items()}
        load_before = loadavg()
        tallies = asyncio.run(
            _measure_all(
                {name: Yardstick(stack, kiosks, min_turns) for name, stack in stacks.items()},
                kiosks,
                min_turns,
                rounds,
            )
        )
        out = {}
        for name, env in variants:
            paths = {path: _summary(t.runs, t.wall, t.cpu, down_text) for path, t in tallies[name].items()}
            for path, summary in paths.items():
                print(
                    f"  {name:12s} {path:4s} turns={summary['client_turns']} cpu ms/turn="
                    f"{summary['cpu_ms_per_turn']} total={summary['cpu_ms_per_turn_total']} "
                    f"p50={summary.get('p50_ms')} p95={summary.get('p95_ms')} turns/s={summary['turns_per_s']} "
                    f"errors={summary['errors']}",
                    flush=True,
                )
            out[name] = {
                "env": env,
                **paths,
                "peak_rss_mib": memories[name].rounded(),
                "threads": {n: _threads(pid) for n, pid in pids[name].items()},
                "loadavg_before": load_before,
                "loadavg_after": loadavg(),
            }
        return out


def newest_model() -> Path:
    models = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if models:
        return models[-1]
    from cli.training import train

    return train(quiet=True)


def _threads(pid: int) -> Optional[int]:
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return None


def markdown(result: Dict[str, Any]) -> str:
    lines = [
        f"# CPU per turn ({result['measured_at']})",
        "",
        f"`{result['command']}` on {result['machine']['cpus']} cores shared with other work "
        f"(load average {result['machine']['loadavg_start']} at the start, {result['machine']['loadavg_end']} at the "
        f"end). Embedded stack (1 Rasa server, in-memory tracker store, SQLite), {result['settings']['kiosks']} "
        f"kiosks without pause, the persona conversations of bench/load_conversation.py. CPU = utime+stime from "
        f"/proc/<pid>/stat before and after, divided by the messages answered (client turns + session starts). "
        f"*API path*: kiosk → API → Rasa → actions; *Rasa alone*: the same clients straight to Rasa's `coach` "
        f"channel (the API process idles).",
        "",
        "| variant | path | client turns | CPU ms/turn API | Rasa | actions | total | p50 / p95 ms | turns/s | errors |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for name, v in result["variants"].items():
        for path, label in (("api", "API path"), ("rasa", "Rasa alone")):
            s = v[path]
            cpu = s["cpu_ms_per_turn"]
            rasa = sum(ms for n, ms in cpu.items() if n.startswith("rasa"))
            lines.append(
                f"| {name} | {label} | {s['client_turns']} | {cpu.get('api')} | {round(rasa, 1)} "
                f"| {cpu.get('actions')} | **{s['cpu_ms_per_turn_total']}** | {s.get('p50_ms')} / "
                f"{s.get('p95_ms')} | {s['turns_per_s']} | {s['errors']} |"
            )
    lines += [
        "",
        "Environment of each variant (added to what `cli/stack.py` TF_THREADS sets), threads per "
        "process at the end and peak RSS (MiB):",
        "",
    ]
    for name, v in result["variants"].items():
        lines.append(f"- {name}: `{v['env'] or '{}'}`; threads {v['threads']}; peak RSS {v['peak_rss_mib']}")
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> Dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-turns", type=int, default=300)
    parser.add_argument("--kiosks", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over the variants")
    parser.add_argument(
        "--variant",
        action="append",
        default=None,
        help="NAME[:ENV=VALUE,...]; repeat to compare (default: one, 'current')",
    )
    parser.add_argument(
        "--model",
        default=None,
        help="model archive (default: the newest in models/, so the figures of two runs use the "
        "same model while others change the training data; trains only when there is none)",
    )
    parser.add_argument("--out", default=str(RESULTS_DIR / "load_cpu"), help="writes OUT.json and OUT.md")
    args = parser.parse_args(argv)
    from cli.stack import TF_THREADS

    model = Path(args.model) if args.model else newest_model()
    started, load_start = time.time(), loadavg()
    variants = run_variants(
        [parse_variant(text) for text in args.variant or ["current"]],
        model,
        args.kiosks,
        args.min_turns,
        args.rounds,
    )
    result = {
        "what": "CPU ms per answered message for each process, through the API and straight to Rasa",
        "command": " ".join(["python -m bench.cpu_per_turn", *(argv if argv is not None else sys.argv[1:])]),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "duration_s": round(time.time() - started, 1),
        "machine": {"cpus": os.cpu_count(), "loadavg_start": load_start, "loadavg_end": loadavg()},
        "settings": {
            "kiosks": args.kiosks,
            "min_turns": args.min_turns,
            "rounds": args.rounds,
            "turns_per_session": TURNS_PER_SESSION,
            "model": model.name,
            "base_env": TF_THREADS,
        },
        "variants": variants,
    }
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
