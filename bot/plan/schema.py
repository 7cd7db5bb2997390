"""The action-plan JSON Schema: loading, validation and walking it by path."""
from __future__ import annotations

import importlib.util
import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match

SCHEMA_PATH = Path(__file__).with_name("action_plan.schema.json")
DEFS_PREFIX = "#/$defs/"


class PlanInvalid(ValueError):
    """The plan breaks the schema. ``path`` names the first offending field."""

    def __init__(self, path: str, message: str, errors: Sequence[str] = ()):
        self.path = path
        self.message = message
        self.errors = list(errors) or [f"{path}: {message}"]
        super().__init__(f"{path or '(plan)'}: {message}")


class PlanPathError(ValueError):
    """A dotted path that does not name a field the operation can write."""


@lru_cache(maxsize=1)
def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _format_checker() -> FormatChecker:
    checker = FormatChecker()

    # jsonschema only checks date-time with an optional extra package; this
    # stdlib check keeps the dependency list short and still rejects junk.
    @checker.checks("date-time", raises=ValueError)
    def _is_datetime(value: Any) -> bool:
        if not isinstance(value, str):
            return True
        if "T" not in value.upper():
            raise ValueError("date-time needs a 'T' between date and time")
        parsed = datetime.fromisoformat(value[:-1] + "+00:00" if value[-1:] in "Zz" else value)
        if parsed.tzinfo is None:
            raise ValueError("date-time needs a time zone (Z or +hh:mm)")
        return True

    return checker


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    kwargs = {}
    if importlib.util.find_spec("referencing") is None:
        # jsonschema < 4.18 cannot resolve "#/$defs/…" inside a schema whose
        # $id is a URN (urljoin leaves the fragment alone); hand it the schema
        # under the empty base URI it ends up asking for.
        from jsonschema import RefResolver

        kwargs["resolver"] = RefResolver.from_schema(schema, store={"": schema})
    return Draft202012Validator(schema, format_checker=_format_checker(), **kwargs)


def error_path(error: ValidationError) -> str:
    """Dotted path of an error, with the unexpected key for unknown keys."""
    path = format_path(error.absolute_path)
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        if extra:
            path = f"{path}.{extra[0]}" if path else extra[0]
    return path


def format_path(parts: Sequence[Any]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def validate(plan: Any) -> None:
    """Raise PlanInvalid (with the JSON path) unless ``plan`` fits the schema."""
    errors = list(validator().iter_errors(plan))
    if not errors:
        return
    best = best_match(errors)
    messages = sorted(f"{error_path(e) or '(plan)'}: {e.message}" for e in errors)
    raise PlanInvalid(error_path(best), best.message, messages)


# --- walking the schema ---------------------------------------------------------


def _def(name: str) -> dict:
    return load_schema()["$defs"][name]


def resolve(node: dict) -> Tuple[dict, List[str]]:
    """Merge a node with what its ``$ref`` chain points at.

    Returns the merged node and the chain of ``$defs`` names followed (outermost
    first), so callers can tell an ``answer`` wrapper from a plain object.
    """
    chain: List[str] = []
    merged: Dict[str, Any] = {}
    layers = []
    current = node
    while True:
        layers.append(current)
        ref = current.get("$ref")
        if not ref:
            break
        if not ref.startswith(DEFS_PREFIX):
            raise PlanPathError(f"unsupported $ref {ref}")
        target = ref[len(DEFS_PREFIX):]
        # refs into a def's properties, e.g. goal_item/properties/domain
        name, *rest = target.split("/")
        chain.append(name)
        current = _def(name)
        for i in range(0, len(rest), 2):
            current = current[rest[i]][rest[i + 1]]
    # The innermost definition first, outer siblings override (x-label-nl, properties).
    for layer in reversed(layers):
        for key, value in layer.items():
            if key == "$ref":
                continue
            if key == "properties" and "properties" in merged:
                props = dict(merged["properties"])
                for prop, sub in value.items():
                    props[prop] = {**props.get(prop, {}), **sub}
                merged["properties"] = props
            else:
                merged[key] = value
    return merged, chain


def node_at(path: str) -> Tuple[dict, List[str]]:
    """The resolved schema node for a dotted path such as ``sections.children.school``."""
    if not path or not isinstance(path, str):
        raise PlanPathError("empty plan path")
    node, chain = resolve(load_schema())
    for part in path.split("."):
        props = node.get("properties", {})
        if part not in props:
            raise PlanPathError(f"unknown plan path {path!r} (no {part!r})")
        node, chain = resolve(props[part])
    return node, chain


def is_answer(chain: List[str]) -> bool:
    return "answer" in chain


def answer_kind(node: dict, chain: List[str]) -> str:
    """text | yes_no | date | text_list | ruler | choice | multi_choice."""
    for name in chain:
        if name in ("text", "yes_no", "date", "text_list", "ruler"):
            return name
    value = node.get("properties", {}).get("value", {})
    if "enum" in value:
        return "choice"
    if value.get("type") == "array":
        return "multi_choice"
    return "text"


def enum_options(node: dict) -> List[Tuple[str, str]]:
    """(value, Dutch label) pairs of an enum answer, without null."""
    value = node.get("properties", {}).get("value", node)
    if value.get("type") == "array":
        value = {**value.get("items", {}), **{"x-enum-labels-nl": value.get("x-enum-labels-nl", {})}}
    labels = value.get("x-enum-labels-nl", {})
    return [(v, labels.get(v, v)) for v in value.get("enum", []) if v is not None]


def item_schema(node: dict) -> Optional[dict]:
    """The resolved item schema of an array node, or None for non-arrays."""
    if node.get("type") != "array":
        return None
    items, _ = resolve(node.get("items", {}))
    return items
