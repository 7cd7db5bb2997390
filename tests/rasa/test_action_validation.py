"""The cached check of action server replies (rasa_plugins/action_validation.py) accepts and
refuses exactly what Rasa's own per-call jsonschema.validate does."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from rasa_plugins import action_validation

GOOD = [
    {
        "events": [{"event": "slot", "name": "phase", "value": "verkennen", "timestamp": None}],
        "responses": [{"response": "utter_ask_work", "buttons": []}],
    },
    {"events": [], "responses": []},
    {"events": [{"event": "active_loop", "name": None}, {"event": "followup", "name": "action_x"}]},
]
BAD = [
    {"events": [{"event": "slot", "value": "x"}]},  # a slot event without a name
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": ["not an object"]},
]


def _rasa_says(result) -> str:
    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    except jsonschema.ValidationError as error:
        return error.message
    return "ok"


@pytest.mark.parametrize("result", GOOD)
def test_valid_replies_pass_as_with_rasa(result):
    assert _rasa_says(result) == "ok"
    assert action_validation.validate_action_result(None, result) is True


@pytest.mark.parametrize("result", BAD)
def test_invalid_replies_fail_with_the_same_error_and_rasa_s_hint(result):
    with pytest.raises(jsonschema.ValidationError) as error:
        action_validation.validate_action_result(None, result)
    assert error.value.message.startswith(_rasa_says(result))
    assert "Failed to validate Action server response" in error.value.message


def test_install_replaces_rasa_s_method_unless_switched_off(monkeypatch):
    original = RemoteAction._validate_action_result
    try:
        monkeypatch.setenv(action_validation.ENV_SWITCH, "0")
        RemoteAction._validate_action_result = original
        assert action_validation.install() is False
        assert RemoteAction._validate_action_result is original
        monkeypatch.delenv(action_validation.ENV_SWITCH)
        assert action_validation.install() is True
        assert RemoteAction._validate_action_result is action_validation.validate_action_result
    finally:
        RemoteAction._validate_action_result = original


def test_install_loads_no_rasa_core_where_it_is_not_loaded(monkeypatch):
    """The action server imports the channel module for the token check: no Rasa core there."""
    import sys

    monkeypatch.delitem(sys.modules, "rasa.core.actions.action")
    assert action_validation.install() is False
    assert "rasa.core.actions.action" not in sys.modules
