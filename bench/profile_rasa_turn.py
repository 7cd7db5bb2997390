"""Where the CPU of one Rasa turn goes: cProfile over N persona conversations, in-process.

Loads the model into a Rasa Agent in this process (in-memory tracker and lock
stores, the endpoints `coach run` writes), starts the action server beside it
(SQLite app database in a temporary directory), and sends the persona
conversations of `bench/load_conversation.py` through the same steps as the
`coach` channel: ``Agent.handle_message`` with the channel's metadata, then
the second tracker read the channel does for the reply. cProfile counts CPU
time (``time.process_time``: every thread of this process, so TensorFlow's own
threads count towards the call that waits for them); the action server's CPU
is read from /proc separately.

    .venv/bin/python -m bench.profile_rasa_turn [--conversations 40] [--top 40]

Prints a table by component (NLU components, policies, action calls, tracker
store, lock store) and the top cumulative entries; writes them to
bench/results/profile_rasa_turn.md (and .json); docs/performance.md explains them.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.cpu_per_turn import newest_model  # noqa: E402
from bench.load_benchmark import KIOSK_KEY, RESULTS_DIR, cpu_seconds, create_app_sessions  # noqa: E402
from bench.load_conversation import START_MESSAGE, SimulatedClient, new_message_id  # noqa: E402
from bench.load_stack import prepare_app_database  # noqa: E402

TURNS_PER_SESSION = 6

# (label, path suffix of the file, function name): summed cumulative CPU of every match.
COMPONENTS: List[Tuple[str, str, str]] = [
    ("whole turn: Agent.handle_message (lock + processor)", "rasa/core/agent.py", "handle_message"),
    ("  lock store: lock() (in-memory)", "rasa/core/lock_store.py", "lock"),
    ("  tracker store: retrieve (fetch + deserialise)", "rasa/core/tracker_store.py", "retrieve"),
    ("  tracker store: save (serialise)", "rasa/core/tracker_store.py", "save"),
    ("  NLU: parse_message (whole NLU graph)", "rasa/core/processor.py", "parse_message"),
    ("    SpacyNLP.process", "rasa/nlu/utils/spacy_utils.py", "process"),
    ("    SpacyTokenizer.process", "rasa/nlu/tokenizers/tokenizer.py", "process"),
    ("    RegexFeaturizer.process", "sparse_featurizer/regex_featurizer.py", "process"),
    (
        "    LexicalSyntacticFeaturizer.process",
        "sparse_featurizer/lexical_syntactic_featurizer.py",
        "process",
    ),
    (
        "    CountVectorsFeaturizer.process (words + char 1-4)",
        "sparse_featurizer/count_vectors_featurizer.py",
        "process",
    ),
    ("    DIETClassifier.process", "rasa/nlu/classifiers/diet_classifier.py", "process"),
    ("    EntitySynonymMapper.process", "rasa/nlu/extractors/entity_synonyms.py", "process"),
    ("    FallbackClassifier.process", "rasa/nlu/classifiers/fallback_classifier.py", "process"),
    ("    SafetyClassifier.process (rasa_plugins)", "rasa_plugins/safety_classifier.py", "process"),
    (
        "  policies: predict_next_with_tracker_if_should (all)",
        "rasa/core/processor.py",
        "predict_next_with_tracker_if_should",
    ),
    (
        "    RulePolicy.predict_action_probabilities",
        "rasa/core/policies/rule_policy.py",
        "predict_action_probabilities",
    ),
    (
        "    MemoizationPolicy.predict_action_probabilities",
        "rasa/core/policies/memoization.py",
        "predict_action_probabilities",
    ),
    (
        "    TEDPolicy.predict_action_probabilities",
        "rasa/core/policies/ted_policy.py",
        "predict_action_probabilities",
    ),
    ("  actions: RemoteAction.run (payload + HTTP, this side)", "rasa/core/actions/action.py", "run"),
    (
        "    RemoteAction._action_call_format (tracker → JSON)",
        "rasa/core/actions/action.py",
        "_action_call_format",
    ),
    ("  channel: second get_tracker after the turn", "rasa/core/processor.py", "get_tracker"),
]


def _component_rows(stats: pstats.Stats, turns: int) -> List[Dict[str, Any]]:
    rows = []
    for label, suffix, func in COMPONENTS:
        calls, cumulative = 0, 0.0
        for (filename, _line, name), (_cc, nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            if name == func and filename.replace(os.sep, "/").endswith(suffix):
                calls += nc
                cumulative += ct
        rows.append(
            {
                "component": label,
                "calls_per_turn": round(calls / turns, 2),
                "cpu_ms_per_turn": round(1000 * cumulative / turns, 2),
            }
        )
    return rows


def _top(stats: pstats.Stats, turns: int, top: int) -> List[Dict[str, Any]]:
    entries = []
    for (filename, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = filename.replace(os.sep, "/")
        for marker in ("site-packages/", str(ROOT) + "/"):
            if marker in where:
                where = where.split(marker, 1)[1]
        entries.append(
            {
                "function": f"{where}:{line}({name})",
                "calls_per_turn": round(nc / turns, 2),
                "own_ms_per_turn": round(1000 * tt / turns, 2),
                "cum_ms_per_turn": round(1000 * ct / turns, 2),
            }
        )
    entries.sort(key=lambda e: e["cum_ms_per_turn"], reverse=True)
    return entries[:top]


def _start_actions(workdir: Path, env: Dict[str, str]) -> Tuple[subprocess.Popen, str]:
    import httpx

    from cli.local_stack import free_port
    from cli.stack import actions_command

    port = free_port()
    log = open(workdir / "actions.log", "wb")
    process = subprocess.Popen(actions_command(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return process, f"http://127.0.0.1:{port}/webhook"
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.25)
    process.terminate()
    raise RuntimeError(f"action server did not start; see {workdir / 'actions.log'}")


async def _conversations(agent, ids: List[str], first_client: int) -> int:
    """The persona conversations one after another, as the channel runs them; client turns + starts."""
    from rasa.core.channels.channel import UserMessage

    from rasa_plugins.coach_channel import CoachOutputChannel, build_response, parse_data_of

    answered = 0
    for n, session_id in enumerate(ids):
        client = SimulatedClient(first_client + n)
        bot: List[Dict[str, Any]] = []
        for index in range(TURNS_PER_SESSION + 1):
            text = client.reply(bot) if index else START_MESSAGE
            message_id = new_message_id()
            metadata: Dict[str, Any] = {"session_id": session_id, "message_id": message_id, "language": "nl"}
            if not index:
                metadata["system"] = True
            collector = CoachOutputChannel()
            await agent.handle_message(
                UserMessage(
                    text,
                    collector,
                    session_id,
                    input_channel="coach",
                    message_id=message_id,
                    metadata=metadata,
                )
            )
            tracker = await agent.processor.get_tracker(session_id)
            body = build_response(
                collector.messages,
                {
                    "slots": tracker.current_slot_values(),
                    "paused": tracker.is_paused(),
                    "latest_message": parse_data_of(tracker.events, message_id),
                },
            )
            answered += 1
            if body.get("paused") or body.get("handoff_reason") or body.get("phase") == "afgerond":
                break
            bot = list(body.get("messages") or [])
    return answered


def main(argv: Optional[List[str]] = None) -> Dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--model", default=None)
    parser.add_argument("--out", default=str(RESULTS_DIR / "profile_rasa_turn"))
    args = parser.parse_args(argv)
    model = Path(args.model) if args.model else newest_model()

    from cli.local_stack import guarded_env
    from cli.stack import TF_THREADS, endpoints_file

    with tempfile.TemporaryDirectory(prefix="coach-profile-") as tmp:
        workdir = Path(tmp)
        database_url = f"sqlite:///{workdir / 'coach.db'}"
        settings_env = {"COACH_ENV": "test", "COACH_DATABASE_URL": database_url, "COACH_KIOSK_KEY": KIOSK_KEY}
        os.environ.update({**TF_THREADS, **settings_env})
        prepare_app_database(database_url, KIOSK_KEY)
        actions, action_url = _start_actions(workdir, guarded_env({**os.environ}))
        try:
            os.environ["COACH_ACTION_SERVER_URL"] = action_url
            from bot.settings import Settings

            settings = Settings()
            endpoints_path = endpoints_file(settings, workdir / "endpoints.yml")
            ids = create_app_sessions(database_url, args.conversations + 2)

            from rasa.core.agent import load_agent
            from rasa.core.utils import AvailableEndpoints
            from rasa.utils.tensorflow.environment import setup_tf_environment

            from rasa.utils.common import configure_logging_and_warnings
            from rasa.utils.log_utils import configure_structlog

            # What `rasa run` does first: log at INFO (LOG_LEVEL), not DEBUG, and the TF threads.
            configure_logging_and_warnings(None, warn_only_once=True, filter_repeated_logs=True)
            configure_structlog(None)
            setup_tf_environment()

            async def run() -> Tuple[pstats.Stats, int, float, float]:
                agent = await load_agent(
                    model_path=str(model), endpoints=AvailableEndpoints.read_endpoints(str(endpoints_path))
                )
                await _conversations(agent, ids[:2], 9000)  # TensorFlow builds its graphs: not counted
                profiler = cProfile.Profile(time.process_time)
                actions_before, wall = cpu_seconds(actions.pid), time.perf_counter()
                profiler.enable()
                answered = await _conversations(agent, ids[2:], 1)
                profiler.disable()
                wall = time.perf_counter() - wall
                return pstats.Stats(profiler), answered, cpu_seconds(actions.pid) - actions_before, wall

            stats, answered, actions_cpu, wall = asyncio.run(run())
        finally:
            actions.terminate()
            actions.wait(timeout=20)

    total_ms = 1000 * stats.total_tt / answered  # type: ignore[attr-defined]
    result = {
        "command": " ".join(
            ["python -m bench.profile_rasa_turn", *(argv if argv is not None else sys.argv[1:])]
        ),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "model": model.name,
        "conversations": args.conversations,
        "answered_messages": answered,
        "env": TF_THREADS,
        "rasa_cpu_ms_per_turn_profiled": round(total_ms, 1),
        "actions_cpu_ms_per_turn": round(1000 * actions_cpu / answered, 1),
        "wall_ms_per_turn": round(1000 * wall / answered, 1),
        "components": _component_rows(stats, answered),
        "top_cumulative": _top(stats, answered, args.top),
    }
    out = Path(args.out)
    out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))
    return result


def markdown(result: Dict[str, Any]) -> str:
    lines = [
        f"# Profile of one Rasa turn ({result['measured_at']})",
        "",
        f"`{result['command']}`: {result['answered_messages']} messages (client turns + session starts) of "
        f"{result['conversations']} persona conversations, model {result['model']}, env {result['env']}. "
        f"CPU under cProfile (process_time, all threads; cProfile itself adds overhead): "
        f"{result['rasa_cpu_ms_per_turn_profiled']} ms per message in the Rasa process; action server "
        f"{result['actions_cpu_ms_per_turn']} ms per message (/proc, not profiled); wall "
        f"{result['wall_ms_per_turn']} ms per message.",
        "",
        "| component | calls per message | CPU ms per message (cumulative) |",
        "|---|---:|---:|",
    ]
    for row in result["components"]:
        lines.append(
            f"| {row['component'].replace(' ', '&nbsp;', len(row['component']) - len(row['component'].lstrip()))} "
            f"| {row['calls_per_turn']} | {row['cpu_ms_per_turn']} |"
        )
    lines += [
        "",
        f"Top {len(result['top_cumulative'])} cumulative entries:",
        "",
        "| function | calls/msg | own ms/msg | cum ms/msg |",
        "|---|---:|---:|---:|",
    ]
    for e in result["top_cumulative"]:
        lines.append(
            f"| `{e['function']}` | {e['calls_per_turn']} | {e['own_ms_per_turn']} | {e['cum_ms_per_turn']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
