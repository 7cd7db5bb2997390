"""Adaptive simulated clients for the MI report (issue 13, part 7).

Each persona answers what the bot actually asked, from its own facts; see
``client.py`` for the policy, ``personas.py`` for the six clients, ``topics.py`` for
how a question's words are read and ``run.py`` for a talk through the kiosk API.
"""

from bench.simulated_clients.client import (  # noqa: F401
    MAX_TURNS,
    Correction,
    Fact,
    Persona,
    Reply,
    SimulatedClient,
    Style,
)
from bench.simulated_clients.personas import by_name, personas  # noqa: F401
