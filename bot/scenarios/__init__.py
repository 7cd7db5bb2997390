"""Trainer scenarios: persona conversations with expectations per turn.

`schema` (the data), `loader` (files with line-numbered errors), `checks`
(expectations against one turn), `runner` (replay through the public API),
`training_sessions` (wiping sandbox data).
"""

from bot.scenarios.loader import (
    ScenarioInvalid,
    dump_scenario,
    load_directory,
    load_scenario,
    parse_scenario,
)
from bot.scenarios.schema import Expect, Scenario, Turn

__all__ = [
    "Expect",
    "Scenario",
    "ScenarioInvalid",
    "Turn",
    "dump_scenario",
    "load_directory",
    "load_scenario",
    "parse_scenario",
]
