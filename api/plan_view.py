"""The action plan as a printable form (HTML, and PDF of the same via WeasyPrint).

It follows the paper form of Bijlage 4: an organisation header, the client's
details, the sections with their questions (labels from the schema, through
the same layout the console edits), one action table, and signatures. Empty
answers print as write-in lines, yes/no as tick boxes, scores as the − / +
marks of the method. The markup is in Jinja2 templates (api/templates/plan/,
autoescaping on: every value prints as text); this module prepares what they show.
Provenance stays out of the print (the console shows it).
"""

from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import ChatSession
from bot.plan_review import form_layout, review_options

try:  # Dutch local time on paper; UTC if the zone database is missing
    from zoneinfo import ZoneInfo

    LOCAL_ZONE: tzinfo = ZoneInfo("Europe/Amsterdam")
except Exception:  # pragma: no cover - depends on the system's tzdata
    LOCAL_ZONE = timezone.utc

TICK, BOX = "☒", "☐"
HEADER_BLOCKS = ("organisation_info", "client_info")
# Details printed in the header grid, in this order (the rest of those blocks follows).
HEADER_FIELDS = (
    "client_info.name",
    "client_info.date_of_birth",
    "client_info.country_of_origin",
    "client_info.phone",
    "client_info.email",
    "client_info.address",
    "organisation_info.file_number",
    "organisation_info.counsellor_name",
    "organisation_info.organisation",
    "organisation_info.date",
    "organisation_info.present",
)
ANSWER_STATUS_LABELS = {
    "declined": "wil ik niet zeggen",
    "not_applicable": "n.v.t.",
    "unknown": "weet ik niet",
    "not_asked": "nog niet gevraagd",
}
ACTION_COLUMNS = ("description", "owner", "due", "status", "agreed_by_client")
# Totals of the factor scores are for the counsellor's eyes only, never on paper
# (docs/specs/action-plan.md §4.1).
NOT_PRINTED = {"factors.total_negative", "factors.total_positive"}
FACTOR_LIST = "factors.overview_1"
# Columns of the factor overview, as on the method's form: − − − … + + + (0 = neutral or unknown).
SCORE_COLUMNS = ((-3, "− − −"), (-2, "− −"), (-1, "−"), (None, "0"), (1, "+"), (2, "+ +"), (3, "+ + +"))

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def _date(value: Any) -> str:
    try:
        return date.fromisoformat(str(value)[:10]).strftime("%d-%m-%Y")
    except ValueError:
        return str(value)


def _datetime(value: Any) -> str:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(LOCAL_ZONE).strftime("%d-%m-%Y %H:%M")


def _option_label(options: Optional[List[List[str]]], value: Any) -> str:
    for key, label in options or []:
        if key == value:
            return label
    return str(value)


def _option_labels(options: Optional[List[List[str]]], values: Iterable[Any]) -> str:
    return ", ".join(_option_label(options, v) for v in values)


def _is_nonzero_score(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value != 0


def _get(plan: Dict[str, Any], path: str) -> Any:
    node: Any = plan
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _goal_names(plan: Dict[str, Any]) -> Dict[str, str]:
    goals = _get(plan, "sections.goals.items") or []
    return {g["id"]: g.get("description") or g["id"] for g in goals if isinstance(g, dict) and g.get("id")}


def _list_rows(field: Dict[str, Any], items: Any, plan: Dict[str, Any]) -> Dict[str, Any]:
    """A list field as columns, rows of (column, value) and the numbers of the empty lines to write on."""
    columns = [f for f in field.get("item_fields", []) if f["kind"] != "id" and f["key"] != "action_id"]
    goals = _goal_names(plan)
    rows = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            cells = []
            for column in columns:
                value = item.get(column["key"])
                if column["key"] == "goal_id" and value in goals:
                    value = goals[value]  # the goal in words, not its internal id
                cells.append((column, value))
            rows.append(cells)
    filled = len(rows)
    # The paper form has numbered lines (five ideas, six appointments): print them all, empty ones to write on.
    blank_rows = max((field.get("max_items") or 0) - filled, 0 if filled else 1)
    return {"columns": columns, "rows": rows, "blank_numbers": range(filled + 1, filled + blank_rows + 1)}


def _factor_rows(field: Dict[str, Any], items: Any) -> Dict[str, Any]:
    """Overzicht 1: every factor of the method, scored or not."""
    item_fields = {f["key"]: f for f in field.get("item_fields", [])}
    scored = {i.get("factor_key"): i for i in items if isinstance(i, dict)} if isinstance(items, list) else {}
    rows = []
    for key, label in item_fields["factor_key"]["options"]:
        item = scored.get(key) or {}
        procedure = item.get("procedure_status")
        rows.append(
            {
                "label": label,
                "answered": bool(item) and item.get("status") == "answered",
                "score": item.get("score"),
                "explanation": item.get("explanation") or None,
                "procedure": _option_label(item_fields["procedure_status"].get("options"), procedure)
                if procedure
                else None,
            }
        )
    return {"explanation_label": item_fields["explanation"]["label"], "rows": rows}


def _chunks(fields: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Fields in print order as group headings, lists (each under its own heading) and runs of rows."""
    chunks: List[Dict[str, Any]] = []
    rows: List[Dict[str, Any]] = []
    group = None

    def chunk(**kw: Any) -> Dict[str, Any]:
        return {"group": None, "list": None, "rows": None, **kw}

    def flush() -> None:
        if rows:
            chunks.append(chunk(rows=list(rows)))
            rows.clear()

    for field in fields:
        if field["path"] in NOT_PRINTED:
            continue
        if field.get("group") != group:
            flush()
            group = field.get("group")
            if group:
                chunks.append(chunk(group=group))
        if field["kind"] == "list":
            flush()
            chunks.append(chunk(list=field))
            continue
        rows.append(field)
    flush()
    return chunks


_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
)
_env.globals.update(
    TICK=TICK,
    BOX=BOX,
    STATUS_LABELS=ANSWER_STATUS_LABELS,
    SCORE_COLUMNS=SCORE_COLUMNS,
    FACTOR_LIST=FACTOR_LIST,
)
_env.filters.update(
    nl_date=_date,
    nl_datetime=_datetime,
    option_label=_option_label,
    option_labels=_option_labels,
    at=_get,
    list_rows=_list_rows,
    factor_rows=_factor_rows,
    chunks=_chunks,
)
_env.tests["nonzero_score"] = _is_nonzero_score


def _header_rows(
    plan: Dict[str, Any], layout: List[Dict[str, Any]], context: Dict[str, Any]
) -> List[Tuple[Dict[str, Any], Dict[str, Any]]]:
    """The details grid: the header fields in order, then reference, talks and phase; two to a row."""
    fields = {f["path"]: f for block in layout if block["key"] in HEADER_BLOCKS for f in block["fields"]}
    cells = [
        {"kind": "field", "label": fields[path]["label"], "field": fields[path]}
        for path in HEADER_FIELDS
        if path in fields
    ]
    cells += [
        {"kind": "text", "label": "Cliëntreferentie", "value": plan.get("client_ref")},
        {
            "kind": "plain",
            "label": "Gesprekken",
            "value": context.get("session_count") or len(plan.get("session_ids") or [1]),
        },
        {"kind": "plain", "label": "Bereikte fase", "value": plan.get("phase_reached", "")},
    ]
    if len(cells) % 2:
        cells.append({"kind": "empty", "label": ""})
    return list(zip(cells[::2], cells[1::2]))


def _blocks(plan: Dict[str, Any], layout: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Every block after the header: the header blocks' other fields, then the sections with their state."""
    blocks: List[Dict[str, Any]] = []
    for block in layout:
        key = block["key"]
        if key in HEADER_BLOCKS:
            rest = [f for f in block["fields"] if f["path"] not in HEADER_FIELDS]
            if rest:
                blocks.append({"heading": None, "status": None, "fields": rest})
            continue
        if key == "actions":
            continue
        status = None
        if block.get("section"):
            status = _option_label(block["status_options"], _get(plan, block["status_path"]) or "not_started")
        blocks.append({"heading": block["label"], "status": status, "fields": block["fields"]})
    return blocks


def _actions(
    plan: Dict[str, Any], layout: List[Dict[str, Any]]
) -> Tuple[List[Dict[str, Any]], Dict[str, Any]]:
    block = next(b for b in layout if b["key"] == "actions")
    item_fields = {f["key"]: f for f in block["fields"][0]["item_fields"]}
    section_order = [b["key"] for b in layout if b.get("section")]
    actions = [a for a in plan.get("actions") or [] if isinstance(a, dict)]
    actions.sort(
        key=lambda a: (section_order.index(a["section"]) if a.get("section") in section_order else 99)
    )
    return actions, item_fields


def _with_approver_as_counsellor(plan: Dict[str, Any]) -> Dict[str, Any]:
    """An approved plan names the counsellor who approved it under "Naam begeleider" when nobody typed a name."""
    review = plan.get("review") or {}
    if review.get("status") != "counsellor_approved" or not review.get("approved_by"):
        return plan
    current = _get(plan, "organisation_info.counsellor_name")
    if isinstance(current, dict) and current.get("value") not in (None, ""):
        return plan
    printed = dict(plan)
    info = dict(printed.get("organisation_info") or {})
    info["counsellor_name"] = {"value": review["approved_by"], "status": "answered"}
    printed["organisation_info"] = info
    return printed


def render_plan_html(
    plan: Dict[str, Any], *, organisation: str, context: Optional[Dict[str, Any]] = None
) -> str:
    layout = form_layout()
    context = context or {}
    plan = _with_approver_as_counsellor(plan)
    review = plan.get("review") or {}
    actions, action_fields = _actions(plan, layout)
    counsellor = _get(plan, "organisation_info.counsellor_name") or {}
    return _env.get_template("plan/print.html").render(
        plan=plan,
        organisation=organisation,
        printed_at=context.get("printed_at") or datetime.now(timezone.utc).isoformat(),
        review={
            "label": _option_label(review_options(), review.get("status", "draft")),
            "approved": review.get("status") == "counsellor_approved",
            "by": review.get("approved_by"),
            "at": review.get("approved_at"),
        },
        header_rows=_header_rows(plan, layout, context),
        blocks=_blocks(plan, layout),
        actions=actions,
        action_fields=action_fields,
        counsellor_name=counsellor.get("value") if isinstance(counsellor, dict) else None,
    )


def print_context(db: Session, chat_session: ChatSession) -> Dict[str, Any]:
    """What the print shows besides the plan: how many talks fed it, when it was printed."""
    count = db.execute(
        select(func.count()).select_from(ChatSession).where(ChatSession.plan_id == chat_session.plan_id)
    ).scalar_one()
    return {"session_count": count, "printed_at": datetime.now(timezone.utc).isoformat()}


def render_plan_pdf(plan_html: str) -> bytes:
    from weasyprint import HTML  # imported here: slow to load, only the PDF needs it

    return HTML(string=plan_html).write_pdf()
