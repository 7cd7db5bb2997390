"""The action-plan JSON Schema: loading, validation and walking it by path."""

from __future__ import annotations

import importlib.metadata
import json
import threading
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError, ValidationError, best_match

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


# --- offline validation -----------------------------------------------------------
#
# A T-room has no internet. jsonschema 4.17 fills a resolver's store from a
# module-level list it loads lazily and unguarded, so a thread that checks a
# schema while another is still loading sees a partial list and fetches the
# missing metaschema (…/2020-12/meta/core) from json-schema.org. Here every
# metaschema comes from the files the installed jsonschema ships, any other
# remote $ref raises instead of being fetched, and the validator is built once
# under a lock.


class RemoteSchemaRefused(RuntimeError):
    """A $ref that only the network could resolve."""


def _jsonschema_at_least(major: int, minor: int) -> bool:
    try:
        version = importlib.metadata.version("jsonschema")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - vendored copy
        version = getattr(jsonschema, "__version__", "0")
    parts = []
    for part in version.split(".")[:2]:
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts) >= (major, minor)


# 4.18 resolves through `referencing`: its offline registry is jsonschema_specifications.
USES_REFERENCING = _jsonschema_at_least(4, 18)


def _refuse_remote(uri: str):
    raise RemoteSchemaRefused(
        f"schema reference {uri!r} is not bundled and will not be " "fetched from the network"
    )


@lru_cache(maxsize=1)
def bundled_schemas() -> Dict[str, dict]:
    """Every metaschema and vocabulary shipped with jsonschema (jsonschema/schemas/), by URI."""
    store: Dict[str, dict] = {}
    root = Path(jsonschema.__file__).with_name("schemas")
    # The vocabularies (…/meta/core and the like) are files without a suffix.
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if isinstance(document, dict):
            uri = document.get("$id") or document.get("id")
            if uri:
                store[uri.rstrip("#")] = document
    for cls in (Draft202012Validator,):
        store.setdefault(cls.META_SCHEMA["$id"].rstrip("#"), cls.META_SCHEMA)
    return store


def offline_resolver(schema: dict):
    """A RefResolver (jsonschema < 4.18) whose store holds the schema and every bundled
    metaschema, and which raises instead of fetching anything else."""
    from jsonschema import RefResolver

    class OfflineRefResolver(RefResolver):
        # RefResolver keeps the scope of the $ref being followed in one list on the
        # instance; one per thread lets threads share a validator.
        def __init__(self, *args, **kwargs):
            self._scopes = threading.local()
            super().__init__(*args, **kwargs)

        @property
        def _scopes_stack(self) -> List[str]:
            stack = getattr(self._scopes, "stack", None)
            if stack is None:
                stack = self._scopes.stack = [self._base_scope]
            return stack

        @_scopes_stack.setter
        def _scopes_stack(self, value: List[str]) -> None:
            self._base_scope = value[0]
            self._scopes = threading.local()

        def resolve_remote(self, uri):
            _refuse_remote(uri)

    store = dict(bundled_schemas())
    # jsonschema < 4.18 cannot resolve "#/$defs/…" inside a schema whose $id is a
    # URN (urljoin leaves the fragment alone); it asks for the empty base URI.
    store[""] = schema
    return OfflineRefResolver.from_schema(schema, store=store, cache_remote=False)


def _offline_kwargs(schema: dict) -> Dict[str, Any]:
    if USES_REFERENCING:  # pragma: no cover - the pinned jsonschema is 4.17
        from jsonschema_specifications import REGISTRY
        from referencing.jsonschema import DRAFT202012

        # A Registry without `retrieve` raises on anything it does not hold.
        return {
            "registry": REGISTRY.with_resource(schema.get("$id", ""), DRAFT202012.create_resource(schema))
        }
    return {"resolver": offline_resolver(schema)}


def check_schema(schema: dict) -> None:
    """Draft202012Validator.check_schema without ever touching the network."""
    meta = Draft202012Validator.META_SCHEMA
    checker = getattr(Draft202012Validator, "FORMAT_CHECKER", None) or FormatChecker()
    meta_validator = Draft202012Validator(meta, format_checker=checker, **_offline_kwargs(meta))
    error = best_match(meta_validator.iter_errors(schema))
    if error is not None:
        raise SchemaError.create_from(error)


_BUILD_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _build_validator() -> Draft202012Validator:
    schema = load_schema()
    check_schema(schema)
    return Draft202012Validator(schema, format_checker=_format_checker(), **_offline_kwargs(schema))


def validator() -> Draft202012Validator:
    """The plan validator, built (and the schema checked) once, offline, thread-safe."""
    with _BUILD_LOCK:
        return _build_validator()


validator.cache_clear = _build_validator.cache_clear  # type: ignore[attr-defined]


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
        target = ref[len(DEFS_PREFIX) :]
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
