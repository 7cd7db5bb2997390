"""Every custom action in domain.yml is served by the action server, and vice versa."""

from __future__ import annotations

from rasa_sdk.executor import ActionExecutor


def test_domain_actions_and_action_server_match(domain):
    executor = ActionExecutor()
    executor.register_package("actions")
    served = set(executor.actions)
    declared = {a for a in domain["actions"] if not a.startswith("utter_")}
    assert declared - served == set(), "declared in domain.yml but not served"
    assert served - declared == set(), "served but not declared in domain.yml"
