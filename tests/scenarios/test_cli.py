"""`coach scenarios run --api URL`: exit code 0 only when every scenario passed, and
the reason of a red step printed with its line, so CI shows what broke."""

from __future__ import annotations

import pytest

from api_live_server import LiveServer
from cli.main import build_parser

PASSES = """\
title: Goed
persona: Test.
opening:
  says: [Welkom]
turns:
  - button: Goed
    expect: {phase: verkennen, status: bot, says: ["Waar denkt u aan"]}
"""

FAILS = """\
title: Fout
persona: Test.
turns:
  - button: Goed
    expect:
      phase: kiezen
  - client: nog iets
  - client: en nog iets
    expect: {status: bot}
"""


@pytest.fixture
def server(app):
    with LiveServer(app) as live:
        yield live


def _run(server, scenario_dir, *names):
    args = build_parser().parse_args(
        [
            "scenarios",
            "run",
            *names,
            "--api",
            server.url,
            "--user",
            "tom",
            "--password",
            "tom-password",
            "--dir",
            str(scenario_dir),
        ]
    )
    return args.func(args)


def test_exit_code_is_zero_only_when_every_scenario_passed(server, write_scenario, scenario_dir, capsys):
    write_scenario("goed", PASSES)
    write_scenario("fout", FAILS)
    assert _run(server, scenario_dir, "goed") == 0
    assert "1 van 1 scenario's geslaagd" in capsys.readouterr().out

    assert _run(server, scenario_dir) == 1
    out = capsys.readouterr().out
    assert "GESLAAGD  goed" in out and "MISLUKT   fout" in out
    assert "beurt 1 (regel 4) cliënt kiest knop: Goed" in out
    assert "✗ fase is 'verkennen', verwacht 'kiezen'" in out
    assert "(de coach: begrepen als inform (87%))" in out
    assert "1 van 2 scenario's geslaagd" in out


def test_unknown_or_broken_scenarios_fail_the_run(server, write_scenario, scenario_dir, capsys):
    write_scenario("goed", PASSES)
    write_scenario("kapot", "title: x\npersona: y\nturns:\n  - client: a\n    expect: {stauts: bot}\n")
    assert _run(server, scenario_dir, "goed", "bestaat_niet") == 1
    assert "onbekend scenario 'bestaat_niet'" in capsys.readouterr().err
    assert _run(server, scenario_dir, "goed", "kapot") == 1
    assert "kapot.yml:5: onbekend veld 'stauts'" in capsys.readouterr().err


def test_each_step_is_printed_as_soon_as_it_has_run(
    server, write_scenario, scenario_dir, capsys, monkeypatch
):
    """Issue 17.5: a step's line is on the screen before the next step is played, not only at the end."""
    from bot.scenarios.runner import ScenarioRunner

    write_scenario("fout", FAILS)
    printed_before_play = []
    play = ScenarioRunner._play

    async def watching_play(self, session_id, turn, buttons):
        printed_before_play.append(capsys.readouterr().out)
        return await play(self, session_id, turn, buttons)

    monkeypatch.setattr(ScenarioRunner, "_play", watching_play)
    assert _run(server, scenario_dir, "fout") == 1
    rest = capsys.readouterr().out
    # before turn 1 is played: the opening's line; before turn 2: turn 1's line with its red reason
    assert "fout [1/4] ✓ beurt 0 (opening) sessie starten" in printed_before_play[0]
    assert "beurt 1" not in printed_before_play[0]
    assert "fout [2/4] ✗ beurt 1 (regel 4) cliënt kiest knop: Goed" in printed_before_play[1]
    assert "✗ fase is 'verkennen', verwacht 'kiezen'" in printed_before_play[1]
    assert "fout [3/4] ✓ beurt 2" in printed_before_play[2]
    assert "fout [4/4] ✓ beurt 3" in rest and "MISLUKT   fout" in rest
