"""The action plan as a printable form (HTML, and PDF of the same via WeasyPrint).

It follows the paper form of Bijlage 4: an organisation header, the client's
details, the sections with their questions (labels from the schema, through
the same layout the console edits), one action table, and signatures. Empty
answers print as write-in lines, yes/no as tick boxes, scores as the − / +
marks of the method. Every value is escaped; provenance stays out of the
print (the console shows it).
"""
from __future__ import annotations

import html
from datetime import date, datetime, timezone
from typing import Any, Dict, List, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import ChatSession
from bot.plan_review import form_layout, review_options

try:  # Dutch local time on paper; UTC if the zone database is missing
    from zoneinfo import ZoneInfo

    LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")
except Exception:  # pragma: no cover - depends on the system's tzdata
    LOCAL_ZONE = timezone.utc

TICK, BOX = "☒", "☐"
HEADER_BLOCKS = ("organisation_info", "client_info")
# Details printed in the header grid, in this order (the rest of those blocks follows).
HEADER_FIELDS = (
    "client_info.name", "client_info.date_of_birth", "client_info.country_of_origin", "client_info.phone",
    "client_info.email", "client_info.address", "organisation_info.file_number", "organisation_info.counsellor_name",
    "organisation_info.organisation", "organisation_info.date", "organisation_info.present",
)
ANSWER_STATUS_LABELS = {
    "declined": "wil ik niet zeggen", "not_applicable": "n.v.t.", "unknown": "weet ik niet",
    "not_asked": "nog niet gevraagd",
}
ACTION_COLUMNS = ("description", "owner", "due", "status", "agreed_by_client")
# Totals of the factor scores are for the counsellor's eyes only, never on paper
# (docs/specs/action-plan.md §4.1).
NOT_PRINTED = {"factors.total_negative", "factors.total_positive"}
FACTOR_LIST = "factors.overview_1"
# Columns of the factor overview, as on the method's form: − − − … + + + (0 = neutral or unknown).
SCORE_COLUMNS = ((-3, "− − −"), (-2, "− −"), (-1, "−"), (None, "0"), (1, "+"), (2, "+ +"), (3, "+ + +"))

STYLE = """
@page {
  size: A4; margin: 16mm 15mm 18mm 15mm;
  @bottom-left { content: "Persoonlijk actieplan · vertrouwelijk"; font-family: "DejaVu Sans", Arial, sans-serif;
    font-size: 7.5pt; color: #6b767c; }
  @bottom-right { content: "pagina " counter(page) " van " counter(pages); font-family: "DejaVu Sans", Arial, sans-serif;
    font-size: 7.5pt; color: #6b767c; }
}
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9.5pt; color: #1f2a30; margin: 0; line-height: 1.35; }
.screen-pad { padding: 0; }
@media screen { .screen-pad { max-width: 210mm; margin: 0 auto; padding: 12mm; background: #fff; } body { background: #eef0ef; } }
.masthead { width: 100%; border-collapse: collapse; border-bottom: 2.5pt solid #2f6f73; margin-bottom: 8pt; }
.masthead td { vertical-align: bottom; padding: 0 0 6pt 0; }
.org { font-size: 11pt; font-weight: bold; color: #2f6f73; }
.org small { display: block; font-weight: normal; color: #56636b; font-size: 8.5pt; }
.title { text-align: right; }
.title h1 { font-size: 17pt; margin: 0; letter-spacing: .3pt; }
.title .state { display: inline-block; margin-top: 3pt; padding: 1pt 6pt; border: 1pt solid #8a5a00; color: #8a5a00;
  border-radius: 3pt; font-size: 8.5pt; }
.title .state.approved { border-color: #2e7d32; color: #2e7d32; }
h2 { font-size: 11pt; margin: 12pt 0 4pt; padding: 3pt 6pt; background: #e3efee; color: #1f3d40;
  border-left: 3pt solid #2f6f73; page-break-after: avoid; }
h2 .sstatus { float: right; font-weight: normal; font-size: 8.5pt; color: #56636b; }
h3 { font-size: 9.5pt; margin: 8pt 0 2pt; color: #1f3d40; page-break-after: avoid; }
table.details, table.qa, table.list, table.actions, table.sign { width: 100%; border-collapse: collapse; }
table.details td { border: .6pt solid #b9c2c5; padding: 3pt 5pt; vertical-align: top; width: 25%; }
table.details td.k { background: #f4f6f5; color: #3d4a50; font-size: 8.5pt; width: 17%; }
table.qa td { border-bottom: .6pt solid #d5dbdc; padding: 3.5pt 5pt; vertical-align: top; }
table.qa td.q { width: 44%; color: #3d4a50; }
table.qa tr { page-break-inside: avoid; }
table.list { margin: 2pt 0 4pt; }
table.list th, table.actions th { background: #f4f6f5; font-weight: bold; font-size: 8pt; text-align: left;
  border: .6pt solid #b9c2c5; padding: 2.5pt 4pt; vertical-align: bottom; }
table.list td, table.actions td { border: .6pt solid #b9c2c5; padding: 3pt 4pt; vertical-align: top; }
table.list tr, table.actions tr { page-break-inside: avoid; }
.blank { display: block; min-height: 11pt; border-bottom: .6pt dotted #8c979c; }
td .blank { margin-top: 2pt; }
.note { color: #56636b; font-style: italic; font-size: 8.5pt; }
.status { color: #56636b; font-style: italic; }
.box { font-size: 10.5pt; }
.yn span { margin-right: 10pt; white-space: nowrap; }
.text { white-space: pre-wrap; }
ul { margin: 0; padding-left: 11pt; }
.marks { font-weight: bold; letter-spacing: 1pt; white-space: nowrap; }
.marks.neg { color: #8a3b12; } .marks.pos { color: #1f5e2f; }
.muted { color: #6b767c; }
.sign { margin-top: 6pt; page-break-inside: avoid; }
.sign td { width: 50%; vertical-align: top; padding: 0 10pt 0 0; }
.sign .line { border-bottom: .6pt solid #1f2a30; height: 22pt; margin-bottom: 2pt; position: relative; }
.sign .line .filled { position: absolute; left: 2pt; bottom: 2pt; font-size: 10pt; }
table.actions tr.blank-row td { height: 22pt; }
table.factors td, table.factors th { padding: 2pt 4pt; }
table.factors .mark { width: 6.5%; text-align: center; white-space: nowrap; }
table.factors td.mark { font-size: 10.5pt; }
.sign .sigline { border-bottom: .6pt solid #1f2a30; height: 40pt; margin-bottom: 2pt; }
.sign .cap { font-size: 8pt; color: #56636b; margin-bottom: 6pt; }
.signature-block { page-break-inside: avoid; }
.consent-note { font-size: 8.5pt; color: #3d4a50; margin: 4pt 0 0; }
"""


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _blank() -> str:
    return '<span class="blank"></span>'


def _date(value: Any) -> str:
    try:
        return date.fromisoformat(str(value)[:10]).strftime("%d-%m-%Y")
    except ValueError:
        return _esc(value)


def _datetime(value: Any) -> str:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return _esc(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(LOCAL_ZONE).strftime("%d-%m-%Y %H:%M")


def _option_label(options: List[List[str]], value: Any) -> str:
    for key, label in options or []:
        if key == value:
            return label
    return str(value)


def _yes_no(value: Optional[bool]) -> str:
    yes = TICK if value is True else BOX
    no = TICK if value is False else BOX
    return (f'<span class="yn"><span><span class="box">{yes}</span> ja</span>'
            f'<span><span class="box">{no}</span> nee</span></span>')


def _marks(score: Any) -> str:
    """−3…+3 as the method's marks (− − − … + + +)."""
    if not isinstance(score, int) or isinstance(score, bool) or score == 0:
        return _esc(score)
    sign, css = ("−", "neg") if score < 0 else ("+", "pos")
    return f'<span class="marks {css}">{" ".join(sign for _ in range(abs(score)))}</span>'


def _text(value: Any) -> str:
    return f'<span class="text">{_esc(value)}</span>'


def _answer(field: Dict[str, Any], wrapper: Any) -> str:
    """One answer wrapper {value, status, note} as print."""
    kind = field["kind"]
    if not isinstance(wrapper, dict):
        return _yes_no(None) if kind == "yes_no" else _blank()
    value = wrapper.get("value")
    status = wrapper.get("status")
    if kind == "yes_no":
        shown = _yes_no(value if isinstance(value, bool) else None)
    elif value in (None, "", []):
        shown = "" if status in ANSWER_STATUS_LABELS else _blank()
    elif kind == "date":
        shown = _date(value)
    elif kind == "ruler":
        shown = f"{_esc(value)} / 10"
    elif kind == "choice":
        shown = _esc(_option_label(field.get("options"), value))
    elif kind == "multi_choice":
        shown = _esc(", ".join(_option_label(field.get("options"), v) for v in value))
    elif kind == "text_list":
        shown = "<ul>" + "".join(f"<li>{_text(v)}</li>" for v in value) + "</ul>"
    else:
        shown = _text(value)
    if status in ANSWER_STATUS_LABELS:
        shown += f' <span class="status">({_esc(ANSWER_STATUS_LABELS[status])})</span>'
    if wrapper.get("note"):
        shown += f'<div class="note">{_text(wrapper["note"])}</div>'
    return shown


def _item_cell(item_field: Dict[str, Any], value: Any) -> str:
    kind = item_field["kind"]
    if kind in ("yes_no_answer", "text_answer"):
        inner = value.get("value") if isinstance(value, dict) else None
        if kind == "yes_no_answer":
            return "ja" if inner is True else "nee" if inner is False else ""
        return _text(inner) if inner else ""
    if value is None or value == "" or value == []:
        return ""
    if kind == "choice":
        return _esc(_option_label(item_field.get("options"), value))
    if kind == "multi_choice":
        return _esc(", ".join(_option_label(item_field.get("options"), v) for v in value))
    if kind == "bool":
        return "ja" if value else "nee"
    if kind == "integer" and item_field.get("minimum") == -3 and item_field.get("maximum") == 3:
        return _marks(value)
    if kind == "date":
        return _date(value)
    if kind == "datetime":
        return _datetime(value)
    return _text(value)


def _goal_names(plan: Dict[str, Any]) -> Dict[str, str]:
    goals = _get(plan, "sections.goals.items") or []
    return {g["id"]: g.get("description") or g["id"] for g in goals if isinstance(g, dict) and g.get("id")}


def _list(field: Dict[str, Any], items: Any, plan: Dict[str, Any]) -> str:
    columns = [f for f in field.get("item_fields", []) if f["kind"] != "id" and f["key"] != "action_id"]
    goals = _goal_names(plan)
    head = "".join(f"<th>{_esc(c['label'])}</th>" for c in columns)
    rows = ""
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            cells = []
            for column in columns:
                value = item.get(column["key"])
                if column["key"] == "goal_id" and value in goals:
                    value = goals[value]  # the goal in words, not its internal id
                cells.append(f"<td>{_item_cell(column, value)}</td>")
            rows += "<tr>" + "".join(cells) + "</tr>"
    filled = len([i for i in items if isinstance(i, dict)]) if isinstance(items, list) else 0
    # The paper form has numbered lines (five ideas, six appointments): print them all, empty ones to write on.
    blank_rows = max((field.get("max_items") or 0) - filled, 0 if filled else 1)
    for number in range(filled + 1, filled + blank_rows + 1):
        cells = [f"<td>{number}</td>" if c["key"] == "number" else "<td>&nbsp;</td>" for c in columns]
        rows += "<tr>" + "".join(cells) + "</tr>"
    return f'<table class="list"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _factor_overview(field: Dict[str, Any], items: Any) -> str:
    """Overzicht 1 as on paper: all 19 factors, one tick box per mark, the client's explanation."""
    item_fields = {f["key"]: f for f in field.get("item_fields", [])}
    scored = {i.get("factor_key"): i for i in items if isinstance(i, dict)} if isinstance(items, list) else {}
    head = ('<th style="width:31%">Factor</th>'
            + "".join(f'<th class="mark">{_esc(label)}</th>' for _, label in SCORE_COLUMNS)
            + f'<th>{_esc(item_fields["explanation"]["label"])}</th>')
    rows = []
    for key, label in item_fields["factor_key"]["options"]:
        item = scored.get(key) or {}
        answered = bool(item) and item.get("status") == "answered"
        cells = "".join(
            f'<td class="mark">{TICK if answered and item.get("score") == score else BOX}</td>'
            for score, _ in SCORE_COLUMNS
        )
        note = _text(item["explanation"]) if item.get("explanation") else ""
        if item.get("procedure_status"):
            note = _esc(_option_label(item_fields["procedure_status"].get("options"), item["procedure_status"])) + (
                f"<br>{note}" if note else "")
        rows.append(f"<tr><td>{_esc(label)}</td>{cells}<td>{note}</td></tr>")
    return (f'<table class="list factors"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            '<p class="note">− werkt tegen terugkeer, + werkt mee aan terugkeer, 0 neutraal of onbekend. '
            'Het teken is geen oordeel over terugkeer.</p>')


def _get(plan: Dict[str, Any], path: str) -> Any:
    node: Any = plan
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _value(field: Dict[str, Any], plan: Dict[str, Any]) -> str:
    raw = _get(plan, field["path"])
    kind = field["kind"]
    if kind == "list":
        if field["path"] == FACTOR_LIST:
            return _factor_overview(field, raw)
        return _list(field, raw, plan)
    if kind in ("plain_text", "plain_int"):
        return _text(raw) if raw not in (None, "") else _blank()
    return _answer(field, raw)


def _fields_table(fields: List[Dict[str, Any]], plan: Dict[str, Any]) -> str:
    parts: List[str] = []
    rows: List[str] = []
    group = None

    def flush() -> None:
        if rows:
            parts.append('<table class="qa">' + "".join(rows) + "</table>")
            rows.clear()

    for field in fields:
        if field["path"] in NOT_PRINTED:
            continue
        if field.get("group") != group:
            flush()
            group = field.get("group")
            if group:
                parts.append(f"<h3>{_esc(group)}</h3>")
        if field["kind"] == "list":
            flush()
            parts.append(f'<h3>{_esc(field["label"])}</h3>{_value(field, plan)}')
            continue
        rows.append(f'<tr><td class="q">{_esc(field["label"])}</td><td>{_value(field, plan)}</td></tr>')
    flush()
    return "".join(parts)


def _header(plan: Dict[str, Any], layout: List[Dict[str, Any]], organisation: str,
            context: Dict[str, Any]) -> str:
    fields = {f["path"]: f for block in layout if block["key"] in HEADER_BLOCKS for f in block["fields"]}
    review = plan.get("review") or {}
    state_label = _option_label(review_options(), review.get("status", "draft"))
    approved = review.get("status") == "counsellor_approved"
    state = f'<span class="state{" approved" if approved else ""}">{_esc(state_label)}'
    if approved and review.get("approved_by"):
        state += f' · {_esc(review["approved_by"])}'
        if review.get("approved_at"):
            state += f' · {_datetime(review["approved_at"])}'
    state += "</span>"
    cells = []
    extra = [("Cliëntreferentie", _text(plan["client_ref"]) if plan.get("client_ref") else _blank()),
             ("Gesprekken", _esc(context.get("session_count") or len(plan.get("session_ids") or [1]))),
             ("Bereikte fase", _esc(plan.get("phase_reached", "")))]
    for path in HEADER_FIELDS:
        field = fields.get(path)
        if field is not None:
            cells.append((field["label"], _value(field, plan)))
    cells.extend(extra)
    if len(cells) % 2:
        cells.append(("", ""))
    rows = "".join(
        f'<tr><td class="k">{_esc(a[0])}</td><td>{a[1]}</td><td class="k">{_esc(b[0])}</td><td>{b[1]}</td></tr>'
        for a, b in zip(cells[::2], cells[1::2])
    )
    printed = _datetime(context.get("printed_at") or datetime.now(timezone.utc).isoformat())
    return (
        '<table class="masthead"><tr>'
        f'<td class="org">{_esc(organisation)}<small>Toekomstgesprek · methode Bewogen terugkeer (bijlage 4)</small></td>'
        f'<td class="title"><h1>Persoonlijk actieplan</h1>{state}</td></tr></table>'
        f'<h2>Gegevens <span class="sstatus">afgedrukt {printed}</span></h2>'
        f'<table class="details">{rows}</table>'
    )


def _actions(plan: Dict[str, Any], layout: List[Dict[str, Any]]) -> str:
    block = next(b for b in layout if b["key"] == "actions")
    item_fields = {f["key"]: f for f in block["fields"][0]["item_fields"]}
    section_order = [b["key"] for b in layout if b.get("section")]
    actions = [a for a in plan.get("actions") or [] if isinstance(a, dict)]
    actions.sort(key=lambda a: (section_order.index(a["section"]) if a.get("section") in section_order else 99))
    rows = []
    for number, action in enumerate(actions, 1):
        what = _text(action.get("description", ""))
        if action.get("why"):
            what += f'<div class="note">Waarom: {_text(action["why"])}</div>'
        kind = _item_cell(item_fields["kind"], action.get("kind"))
        section = _item_cell(item_fields["section"], action.get("section"))
        who = _item_cell(item_fields["owner"], action.get("owner"))
        if action.get("owner_name"):
            who += f"<br>{_text(action['owner_name'])}"
        if action.get("helpers"):
            who += f'<div class="note">Hulp: {_text(action["helpers"])}</div>'
        when = " ".join(x for x in (_date(action["due_date"]) if action.get("due_date") else "",
                                    _text(action["due_text"]) if action.get("due_text") else "") if x)
        if action.get("appointment_no"):
            when += f'<div class="note">tot afspraak {_esc(action["appointment_no"])}</div>'
        rows.append(
            f"<tr><td>{number}</td><td>{section}<div class=\"note\">{kind}</div></td><td>{what}</td>"
            f"<td>{who}</td><td>{when}</td><td>{_item_cell(item_fields['status'], action.get('status'))}</td>"
            f"<td>{'ja' if action.get('agreed_by_client') else 'nee'}</td></tr>"
        )
    # Room to write: three lines on an empty plan, two under the agreed actions.
    for number in range(len(rows) + 1, len(rows) + (2 if rows else 3) + 1):
        rows.append(f'<tr class="blank-row"><td>{number}</td><td></td><td></td><td></td><td></td><td></td><td></td></tr>')
    return (
        '<h2>Acties: wat gaat u doen, wie doet het, wanneer?</h2>'
        '<table class="actions"><thead><tr><th style="width:4%">Nr</th><th style="width:17%">Onderdeel</th>'
        '<th>Wat moet er gebeuren?</th><th style="width:16%">Wie?</th><th style="width:13%">Wanneer?</th>'
        '<th style="width:9%">Stand</th><th style="width:8%">Afgespr.</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table>'
    )


def _signatures(plan: Dict[str, Any]) -> str:
    def box(who: str, name: Any = None) -> str:
        written = f'<span class="filled">{_esc(name)}</span>' if name else ""
        return (f'<td><h3>{who}</h3><div class="line">{written}</div><div class="cap">Naam</div>'
                f'<div class="line"></div><div class="cap">Datum</div>'
                f'<div class="sigline"></div><div class="cap">Handtekening</div></td>')

    counsellor = (_get(plan, "organisation_info.counsellor_name") or {})
    counsellor_name = counsellor.get("value") if isinstance(counsellor, dict) else None

    return ('<div class="signature-block"><h2>Ondertekening</h2>'
            '<p class="consent-note">Dit plan is samen met de cliënt gemaakt, in de eigen woorden van de cliënt. '
            'De cliënt kan het plan altijd laten aanpassen.</p>'
            f'<table class="sign"><tr>{box("Cliënt")}{box("Begeleider", counsellor_name)}</tr></table></div>')


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


def render_plan_html(plan: Dict[str, Any], *, organisation: str, context: Optional[Dict[str, Any]] = None) -> str:
    layout = form_layout()
    context = context or {}
    plan = _with_approver_as_counsellor(plan)
    parts = [_header(plan, layout, organisation, context)]
    for block in layout:
        key = block["key"]
        if key in HEADER_BLOCKS:
            rest = [f for f in block["fields"] if f["path"] not in HEADER_FIELDS]
            if rest:
                parts.append(_fields_table(rest, plan))
            continue
        if key == "actions":
            continue
        heading = _esc(block["label"])
        if block.get("section"):
            status = _get(plan, block["status_path"]) or "not_started"
            heading += f' <span class="sstatus">{_esc(_option_label(block["status_options"], status))}</span>'
        parts.append(f"<h2>{heading}</h2>{_fields_table(block['fields'], plan)}")
    parts.append(_actions(plan, layout))
    parts.append(_signatures(plan))
    return ('<!doctype html><html lang="nl"><head><meta charset="utf-8">'
            '<title>Persoonlijk actieplan</title>'
            f'<style>{STYLE}</style></head><body><div class="screen-pad">' + "".join(parts) + "</div></body></html>")


def print_context(db: Session, chat_session: ChatSession) -> Dict[str, Any]:
    """What the print shows besides the plan: how many talks fed it, when it was printed."""
    count = db.execute(
        select(func.count()).select_from(ChatSession).where(ChatSession.plan_id == chat_session.plan_id)
    ).scalar_one()
    return {"session_count": count, "printed_at": datetime.now(timezone.utc).isoformat()}


def render_plan_pdf(plan_html: str) -> bytes:
    from weasyprint import HTML  # imported here: slow to load, only the PDF needs it

    return HTML(string=plan_html).write_pdf()
