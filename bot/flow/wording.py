"""Every bot response with its MI code and all its variations, for the trainer's
wording review, and which steps of the conversation can say it."""

from __future__ import annotations

from collections import Counter
from typing import Any, Dict, List, Optional

from bot.flow.action_code import scan_actions
from bot.flow.sources import FlowSources, read_domain


def _variation(variation: Dict[str, Any]) -> Dict[str, Any]:
    metadata = variation.get("metadata") or {}
    conditions = [
        f"{c.get('name')} = {c.get('value')}" for c in variation.get("condition") or [] if isinstance(c, dict)
    ]
    return {
        "text": str(variation.get("text") or ""),
        "buttons": [str(b.get("title")) for b in variation.get("buttons") or [] if isinstance(b, dict)],
        "condition": conditions,
        "mi_code": metadata.get("mi_code") if isinstance(metadata, dict) else None,
    }


def response_catalog(sources: Optional[FlowSources] = None) -> Dict[str, Any]:
    sources = sources or FlowSources.from_repo()
    domain = read_domain(sources.domain)
    code = scan_actions(sources.actions)
    items: List[Dict[str, Any]] = []
    codes: Counter = Counter()
    for name, variations in domain.responses.items():
        shown = [_variation(v) for v in variations]
        mi_codes = sorted({v["mi_code"] for v in shown if v["mi_code"]})
        codes.update(v["mi_code"] or "(geen)" for v in shown)
        used_by = [a.name for a in code.values() if a.may_say(name, exact_only=True)] or [
            a.name for a in code.values() if a.may_say(name)
        ]
        items.append(
            {
                "name": name,
                "mi_codes": mi_codes,
                "variations": shown,
                "missing_mi_code": any(v["mi_code"] is None for v in shown),
                "used_by": used_by,
            }
        )
    return {
        "responses": items,
        "mi_code_counts": dict(sorted(codes.items())),
        "files": [p.name for p in sources.domain],
    }
