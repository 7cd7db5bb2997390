"""The load benchmark's bookkeeping: what counts as an error, percentiles, verdicts, memory."""

from __future__ import annotations

import os

import pytest

from bench.load_benchmark import cpu_seconds, latency_summary, markdown, peak_by_role, verdicts
from bench.load_conversation import SimulatedClient
from bench.load_driver import SessionRun, Turn
from bench.process_memory import PeakMemory, _status_kib, high_water_mib, rss_mib

DOWN = "Er is even een storing in de computer."


def _run(latencies, *, error_at=None, handoff_text=None):
    run = SessionRun(session_id="s", client=SimulatedClient(0))
    run.turns.append(Turn("s", 0, "/greet", 0.0, 50.0, 201, {"messages": []}))
    for index, ms in enumerate(latencies, start=1):
        if index == error_at:
            run.turns.append(Turn("s", index, "x", 0.0, ms, None, None, "ReadTimeout: boom"))
            run.stopped = "error"
            return run
        body = {"messages": [{"sender": "bot", "text": "ok"}], "status": "bot"}
        run.turns.append(Turn("s", index, "x", 0.0, ms, 200, body))
    if handoff_text:
        run.turns[-1].body = {
            "messages": [{"sender": "system", "text": handoff_text}],
            "status": "waiting_for_human",
        }
        run.stopped = "handoff"
    return run


def test_percentiles_leave_out_session_starts_and_failed_turns():
    runs = [_run([10.0 * i for i in range(1, 101)]), _run([5.0, 9999.0], error_at=2)]
    summary = latency_summary(runs, wall_s=10.0, rasa_down_text=DOWN)
    assert summary["turns"] == 102 and summary["errors"] == 1
    assert summary["p50_ms"] == pytest.approx(500.0, abs=10)
    assert summary["p99_ms"] <= 1000.0
    assert summary["error_examples"] == ["ReadTimeout: boom"]
    assert summary["turns_per_s"] == pytest.approx(10.1)


def test_a_hand_off_because_rasa_did_not_answer_counts_as_an_error():
    crisis = _run([10.0], handoff_text="Ik bel een begeleider.")
    down = _run([10.0], handoff_text=DOWN)
    down_at_start = _run([10.0], handoff_text="handoff:uncertain")
    down_at_start.turns[0].body = {
        "messages": [{"sender": "system", "text": DOWN}],
        "status": "waiting_for_human",
    }
    summary = latency_summary([crisis, down, down_at_start], wall_s=1.0, rasa_down_text=DOWN)
    assert summary["handoffs"] == 3
    assert summary["rasa_unavailable_handoffs"] == 2
    assert summary["errors"] == 2


def _topology(api_p95_at_20, overhead, errors=0, paced_p95=90):
    def path(p50, p95):
        return {
            "p50_ms": p50,
            "p95_ms": p95,
            "p99_ms": p95,
            "errors": errors,
            "turns": 10,
            "cpu_ms_per_turn": {"api": 1.0},
            "loadavg_after": [1.0, 1.0, 1.0],
        }

    return {
        "rasa_servers": 1,
        "peak_rss_mib": {"rasa1": 900.0, "api": 90.0, "actions": 70.0},
        "levels": [
            {
                "concurrency": 20,
                "think_s": 0.0,
                "api": path(110, api_p95_at_20),
                "rasa": path(100, 120),
                "api_overhead_p50_pct": overhead,
            },
            {
                "concurrency": 20,
                "think_s": 4.0,
                "api": path(60, paced_p95),
                "rasa": path(55, 80),
                "api_overhead_p50_pct": 9.1,
            },
        ],
    }


def test_verdicts_compare_with_the_targets():
    good = verdicts({"embedded": _topology(140, 8.0)})["embedded"]
    assert good["p95_at_20_met"] and good["p95_at_20_paced_met"]
    assert good["api_overhead_met_at_every_level"] and good["no_errors_met"]
    bad = verdicts({"production": _topology(151, 10.5, errors=1, paced_p95=150)})["production"]
    assert not bad["p95_at_20_met"] and not bad["p95_at_20_paced_met"]
    assert not bad["api_overhead_met_at_every_level"]
    assert bad["errors_by_level"] == {20: 2, "20 paced": 2} and not bad["no_errors_met"]


def test_peak_memory_by_role_takes_the_largest_server():
    topologies = {"embedded": _topology(140, 8.0), "production": _topology(140, 8.0)}
    topologies["production"]["peak_rss_mib"] = {"rasa1": 950.0, "rasa2": 1010.0, "api": 80.0}
    assert peak_by_role(topologies) == {"rasa": 1010.0, "api": 90.0, "actions": 70.0}


def test_the_markdown_table_has_a_row_per_level():
    result = {
        "measured_at": "now",
        "command": "python -m bench.load_benchmark",
        "machine": {"cpus": 2, "loadavg_start": [1, 1, 1], "loadavg_end": [2, 2, 2]},
        "topologies": {"embedded": _topology(140, 8.0)},
        "training": None,
    }
    result["verdicts"] = verdicts(result["topologies"])
    text = markdown(result)
    assert "| embedded (1 Rasa) | 20 | none | 10 | 110 / 140 / 140 | 100 / 120 / 120 | 8.0 % |" in text
    assert "| – / – | 0 / 0 | 1.0 |" in text  # turns/s unknown in this fixture, no errors
    assert "| embedded (1 Rasa) | 20 | ~4 s | 10 | 60 / 90 / 90 | 55 / 80 / 80 | 9.1 % |" in text
    assert "without pauses 140 ms (met), paced 90 ms (met), target < 150 ms" in text


def test_process_memory_and_cpu_come_from_proc():
    pid = os.getpid()
    own_rss_mib = _status_kib(pid, "VmRSS") / 1024  # this process alone (rss_mib adds children,
    # e.g. the servers a session-scoped fixture of this test run started)
    assert rss_mib(pid) >= own_rss_mib > 10
    assert high_water_mib(pid) >= own_rss_mib * 0.99  # the peak is never below the current size
    assert cpu_seconds(pid) > 0
    with PeakMemory({"me": pid}, interval_s=0.01) as memory:
        ballast = bytearray(64 * 2**20)  # 64 MiB touched: the peak must show it
        ballast[::4096] = b"x" * len(ballast[::4096])
    assert memory.peaks["me"] >= 64
    assert rss_mib(2**22 + 12345) is None  # no such process
