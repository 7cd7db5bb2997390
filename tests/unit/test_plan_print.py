"""The printable plan (api/plan_view.py + api/templates/plan/): Jinja2 with autoescaping,
so a client's words print as text wherever they appear on the form."""

from __future__ import annotations

from html.parser import HTMLParser

from api import plan_view
from api.plan_view import render_plan_html

from plan_print_samples import CONTEXT, HOSTILE, full_plan, sample_plans

ORGANISATION = 'T-room <i>"Ter Apel"</i> & \'s-Hertogenbosch'
# Every element the form itself writes; a client's markup would add others (script, b, i, img).
FORM_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "div",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h1",
    "h2",
    "h3",
    "span",
    "small",
    "ul",
    "li",
    "p",
    "br",
}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set = set()
        self.attribute_values: list = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attribute_values += [v for _, v in attrs]

    def handle_data(self, data):
        self.text += data


def _parse(page: str) -> _Page:
    parsed = _Page()
    parsed.feed(page)
    return parsed


def test_a_clients_script_and_quotes_print_as_text_everywhere_on_the_form():
    page = render_plan_html(full_plan(HOSTILE), organisation=ORGANISATION, context=CONTEXT)
    assert "<script" not in page and "<b>" not in page and "<i>" not in page and "alert('x')" not in page
    parsed = _parse(page)
    assert parsed.tags <= FORM_TAGS, parsed.tags - FORM_TAGS
    assert not any("koken" in (v or "") for v in parsed.attribute_values)
    # People read the client's words as typed: in answers, notes, list cells, factor explanations,
    # the client reference, the action table, the approver in the header and on the signature line.
    assert parsed.text.count(HOSTILE) >= 60
    escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &#34;koken&#34; &amp; &lt;b&gt;vet&lt;/b&gt;"
    assert page.count(escaped) == parsed.text.count(HOSTILE)
    for printed in (
        f"ref {HOSTILE}",
        f"bellen {HOSTILE}",
        f"Waarom: omdat {HOSTILE}",
        f"Hulp: hulp {HOSTILE}",
        f"notitie {HOSTILE}",
        f"anna {HOSTILE}",
    ):
        assert printed in parsed.text, printed
    assert (
        ORGANISATION in parsed.text
        and "&lt;i&gt;&#34;Ter Apel&#34;&lt;/i&gt; &amp; &#39;s-Hertogenbosch" in page
    )


def test_the_approvers_name_fills_the_counsellors_signature_line_escaped():
    page = render_plan_html(full_plan(HOSTILE), organisation="T-room", context=CONTEXT)
    line = page.split("<h3>Begeleider</h3>", 1)[1].split("</div>", 1)[0]
    assert line == (
        '<div class="line"><span class="filled">anna &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; '
        "&#34;koken&#34; &amp; &lt;b&gt;vet&lt;/b&gt;</span>"
    )


def test_the_form_is_whole_for_empty_and_filled_plans():
    for name, plan in sample_plans().items():
        page = render_plan_html(plan, organisation="T-room", context=CONTEXT)
        parsed = _parse(page)
        assert page.startswith('<!doctype html><html lang="nl">') and page.endswith(
            "</div></body></html>"
        ), name
        assert parsed.tags <= FORM_TAGS, name
        for heading in ("Gegevens", "4 Kinderen", "13 Afspraken", "Acties: wat gaat u doen", "Ondertekening"):
            assert heading in parsed.text, (name, heading)
        assert "afgedrukt 04-03-2026 10:05" in parsed.text  # Amsterdam time of CONTEXT's UTC moment
        assert "@page" in page and "counter(pages)" in page  # the print style sheet is in the page
        assert "Totaal" not in parsed.text  # factor totals are for the counsellor only


def test_marks_dates_and_statuses_print_in_the_methods_words():
    plan = full_plan("tekst")
    plan["factors"]["overview_2"][0]["score"], plan["factors"]["overview_2"][1]["score"] = -2, 3
    page = render_plan_html(plan, organisation="T-room", context=CONTEXT)
    assert '<td><span class="marks neg">− −</span></td>' in page
    assert '<td><span class="marks pos">+ + +</span></td>' in page
    assert "(wil ik niet zeggen)" in page and "(nog niet gevraagd)" in page
    assert "01-06-2026" in page  # an action's due date, Dutch order
    assert '<tr class="blank-row"><td>4</td>' in page  # three actions, then two lines to write on
    assert '<tr class="blank-row"><td>6</td>' not in page


def test_templates_escape_by_default():
    assert plan_view._env.autoescape("plan/print.html") and plan_view._env.autoescape("plan/form.html")
