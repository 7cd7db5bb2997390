"""Check the action server's replies against a schema validator built once (issue 16).

Rasa 3.6 checks every reply of the action server (``RemoteAction._validate_action_result``,
each custom action and each form validation) with ``jsonschema.validate(result, schema)``.
That call first checks the *schema itself* against the draft 2020-12 metaschema, every
time: ~20 ms of CPU per action call with jsonschema 4.17, a quarter of a whole turn's CPU
in Rasa (docs/performance.md, `bench/profile_rasa_turn.py`). The schema is a constant,
so it is checked once here and the same validator checks every reply: the same
validation, the same error (``best_match``, as ``jsonschema.validate`` raises) and the
same message Rasa adds to it.

Installed by the `coach` channel module, which every Rasa server of this project loads
(credentials.yml). ``COACH_RASA_CACHED_ACTION_SCHEMA=0`` keeps Rasa's own method (for
measuring the difference with `bench/cpu_per_turn.py`).
"""

from __future__ import annotations

import functools
import os
import sys
from typing import Any, Dict, Text

ENV_SWITCH = "COACH_RASA_CACHED_ACTION_SCHEMA"


@functools.lru_cache(maxsize=1)
def _validator():
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, not per reply
    return cls(schema)


def validate_action_result(self, result: Dict[Text, Any]) -> bool:
    """Drop-in for ``RemoteAction._validate_action_result``."""
    from jsonschema import exceptions
    from rasa.shared.constants import DOCS_BASE_URL

    error = exceptions.best_match(_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> bool:
    """Put the cached check in place (unless switched off); True when it is.

    Only where Rasa's actions are already loaded (a Rasa server: `rasa run` imports them
    before it loads the channels): the action server imports the channel module too, for
    the token check, and must not load Rasa's core (~400 MiB) for nothing."""
    if os.environ.get(ENV_SWITCH, "1").strip() == "0":
        return False
    module = sys.modules.get("rasa.core.actions.action")
    if module is None:
        return False
    RemoteAction = module.RemoteAction

    RemoteAction._validate_action_result = validate_action_result
    return True
