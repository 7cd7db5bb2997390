"""The CPU yardstick's arithmetic (bench/cpu_per_turn.py), without starting a stack."""

from __future__ import annotations

from bench.cpu_per_turn import Tally, _summary, parse_variant
from bench.load_conversation import SimulatedClient
from bench.load_driver import SessionRun, Turn


def _run(session: str, client_turns: int, ok: bool = True) -> SessionRun:
    run = SessionRun(session_id=session, client=SimulatedClient(1))
    for index in range(client_turns + 1):
        run.turns.append(
            Turn(
                session,
                index,
                "x",
                0.0,
                100.0 + index,
                200 if ok else 500,
                {"messages": []},
                None if ok else "HTTP 500",
            )
        )
    return run


def test_a_variant_names_its_environment():
    assert parse_variant("current") == ("current", {})
    assert parse_variant("lean:TF_INTRA_OP_PARALLELISM_THREADS=1, OMP_NUM_THREADS=1") == (
        "lean",
        {"TF_INTRA_OP_PARALLELISM_THREADS": "1", "OMP_NUM_THREADS": "1"},
    )


def test_cpu_per_turn_counts_session_starts_as_answered_messages():
    runs = [_run("a", 6), _run("b", 3)]  # 9 client turns + 2 starts = 11 messages
    summary = _summary(runs, wall_s=3.0, used={"rasa1": 1.1, "api": 0.22}, down_text="storing")
    assert summary["client_turns"] == 9 and summary["answered"] == 11
    assert summary["cpu_ms_per_turn"] == {"rasa1": 100.0, "api": 20.0}
    assert summary["cpu_ms_per_turn_total"] == 120.0
    assert summary["turns_per_s"] == 3.0 and summary["errors"] == 0


def test_batches_add_up_per_process():
    tally = Tally()
    tally.add({"runs": [_run("a", 2)], "wall": 1.0, "cpu": {"rasa1": 0.5}})
    tally.add({"runs": [_run("b", 4)], "wall": 2.0, "cpu": {"rasa1": 0.25, "api": 0.1}})
    assert tally.client_turns == 6 and tally.wall == 3.0
    assert tally.cpu == {"rasa1": 0.75, "api": 0.1}
