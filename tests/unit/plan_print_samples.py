"""Plans that fill every field of the printed form, for the print tests (tests/unit/test_plan_print.py)."""

from __future__ import annotations

import copy
from typing import Any, Dict, List

from bot.plan import model as plan_model
from bot.plan_review import form_layout

# A client's words with markup and both kinds of quotes: must print as text, never as markup.
HOSTILE = "<script>alert('x')</script> \"koken\" & <b>vet</b>"
CONTEXT = {"session_count": 2, "printed_at": "2026-03-04T09:05:00Z"}


def _put(plan: Dict[str, Any], path: str, value: Any) -> None:
    node = plan
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _item_value(field: Dict[str, Any], n: int, text: str) -> Any:
    kind = field["kind"]
    options = field.get("options") or [["x", "x"]]
    if kind == "choice":
        return options[n % len(options)][0]
    if kind == "multi_choice":
        return [o[0] for o in options[:2]]
    if kind == "bool":
        return n % 2 == 0
    if kind == "integer":
        return (n % 7) - 3 if field.get("minimum") == -3 else n + 1
    if kind == "date":
        return "2026-05-0%d" % (n + 1)
    if kind == "datetime":
        return "2026-05-0%dT14:30:00Z" % (n + 1)
    if kind == "yes_no_answer":
        return {"value": [True, False, None][n % 3]}
    if kind == "text_answer":
        return {"value": f"{text} {n}"}
    if kind == "id":
        return f"id-{n}"
    return f"{text} {field['key']} {n}"


def _answer(field: Dict[str, Any], n: int, text: str) -> Any:
    kind = field["kind"]
    if kind in ("plain_text", "plain_int"):
        return n if kind == "plain_int" else f"{text} {n}"
    status = ["answered", "answered", "declined", "not_asked", "unknown", "answered"][n % 6]
    note = f"notitie {text}" if n % 4 == 1 else None
    if kind == "yes_no":
        value: Any = [True, False, None][n % 3]
    elif kind == "date":
        value = "2026-02-%02d" % (n % 27 + 1)
    elif kind == "ruler":
        value = n % 11
    elif kind == "choice":
        value = field["options"][n % len(field["options"])][0] if field.get("options") else "x"
    elif kind == "multi_choice":
        value = [o[0] for o in (field.get("options") or [["x", "x"]])[:2]]
    elif kind == "text_list":
        value = [f"{text} een", "twee\nregels"]
    else:
        value = f"{text} {n}"
    if status in ("declined", "not_asked", "unknown") and n % 2:
        value = None
    wrapper = {"value": value, "status": status}
    if note:
        wrapper["note"] = note
    return wrapper


def full_plan(text: str = HOSTILE, *, approved: bool = True) -> Dict[str, Any]:
    """Every field of every block filled, lists with two items, actions in several sections."""
    plan = plan_model.new_plan("s-print", client_ref=f"ref {text}")
    n = 0
    for block in form_layout():
        if block.get("status_path"):
            _put(plan, block["status_path"], ["in_progress", "completed", "skipped", "not_started"][n % 4])
        for field in block["fields"]:
            n += 1
            if field["kind"] != "list":
                _put(plan, field["path"], _answer(field, n, text))
                continue
            if field["path"] == "actions":
                continue
            items: List[Dict[str, Any]] = []
            for i in range(2):
                items.append({f["key"]: _item_value(f, i + n, text) for f in field["item_fields"]})
            if field["path"] == "factors.overview_1":
                for i, item in enumerate(items):
                    item["status"] = "answered"
                    item["procedure_status"] = (
                        None if i else (field["item_fields"][4].get("options") or [[None]])[0][0]
                    )
            if field["path"] == "sections.goals.items":
                items[0]["id"] = "goal-1"
            if field["path"] == "sections.goal_needs.items":
                items[0]["goal_id"] = "goal-1"
            _put(plan, field["path"], items)
    sections = [b["key"] for b in form_layout() if b.get("section")]
    plan["actions"] = [
        {
            "id": "a1",
            "section": sections[3],
            "kind": "todo",
            "description": f"bellen {text}",
            "why": f"omdat {text}",
            "owner": "client",
            "owner_name": f"naam {text}",
            "helpers": f"hulp {text}",
            "due_date": "2026-06-01",
            "due_text": f"voor de zomer {text}",
            "appointment_no": 2,
            "status": "open",
            "agreed_by_client": True,
        },
        {
            "id": "a2",
            "section": sections[0],
            "description": "tweede",
            "owner": "counsellor",
            "status": "done",
        },
        {"id": "a3", "section": "nowhere", "description": "derde"},
        "not a dict",
    ]
    plan["phase_reached"] = plan_model.PHASES[-1]
    plan["session_ids"] = ["s-print", "s-two"]
    if approved:
        plan["review"] = {
            "status": "counsellor_approved",
            "approved_by": f"anna {text}",
            "approved_at": "2026-03-03T16:45:00Z",
        }
        plan["organisation_info"]["counsellor_name"] = {"value": None, "status": "answered"}
    return plan


def sample_plans() -> Dict[str, Dict[str, Any]]:
    empty = plan_model.new_plan("s-empty")
    return {
        "full-approved": full_plan(),
        "full-draft": full_plan("gewone tekst", approved=False),
        "empty": empty,
        "empty-approved": dict(
            copy.deepcopy(empty), review={"status": "counsellor_approved", "approved_by": "bob"}
        ),
    }
