"""bench/mi_report.py counts MI codes, ratios and phase-change summaries correctly."""

from __future__ import annotations

import httpx


def bot(mi, *codes):
    """Bot messages from codes; "phase:<name>" stands for the utter_phase_<name> announcement."""
    out = []
    for code in codes:
        if code.startswith("phase:"):
            out.append(mi.BotMessage(f"utter_phase_{code[6:]}", "structure"))
        else:
            out.append(mi.BotMessage(f"utter_x_{code}", code))
    return out


def test_ratio_and_complex_share_by_hand(mi):
    turns = [
        mi.Turn(None, bot(mi, "structure", "open_question"), "verkennen", "verkennen"),
        mi.Turn(
            "a", bot(mi, "simple_reflection", "complex_reflection", "open_question"), "verkennen", "verkennen"
        ),
        mi.Turn(
            "b",
            bot(mi, "complex_reflection", "summary", "summary", "closed_question"),
            "verkennen",
            "verkennen",
        ),
        mi.Turn("c", bot(mi, "affirmation", "simple_reflection", "summary"), "verkennen", "verkennen"),
    ]
    figures = mi.mi_figures(turns)
    assert figures["questions"] == 3 and figures["reflections"] == 4
    assert figures["summaries"] == 2  # two consecutive summary messages are one summary
    assert figures["strict"] == {"reflection_to_question": round(4 / 3, 3), "complex_share": 0.5}
    assert figures["summary_as_reflection"] == {
        "reflection_to_question": 2.0,
        "complex_share": round(4 / 6, 3),
    }
    assert figures["codes"]["summary"] == 3


def test_reflections_after_open_questions_count_only_typed_answers_to_open_questions(mi):
    turns = [
        mi.Turn(None, bot(mi, "structure", "open_question"), "verkennen", "verkennen"),
        mi.Turn(
            "mijn broer",
            bot(mi, "simple_reflection", "complex_reflection", "closed_question"),
            "verkennen",
            "verkennen",
        ),
        mi.Turn(
            "ja", bot(mi, "simple_reflection", "open_question"), "verkennen", "verkennen"
        ),  # after closed
        mi.Turn("/decline_answer", bot(mi, "affirmation", "open_question"), "verkennen", "verkennen"),
        mi.Turn("werk", bot(mi, "simple_reflection", "summary"), "verkennen", "verkennen"),
    ]
    assert mi.open_answer_figures(turns) == {"answers": 2, "reflections": 3, "reflections_per_answer": 1.5}
    assert mi.mi_figures(turns)["after_open_question"]["answers"] == 2


def test_no_questions_gives_no_ratio_instead_of_a_division_error(mi):
    figures = mi.mi_figures([mi.Turn(None, bot(mi, "structure"), "verkennen", "verkennen")])
    assert figures["strict"]["reflection_to_question"] is None
    assert figures["strict"]["complex_share"] is None
    assert mi.meets({**figures, "phase_changes_summarised": None}, "strict") == {
        "reflection_to_question": None,
        "complex_share": None,
        "phase_changes_summarised": None,
    }


def test_uncoded_messages_are_counted_not_dropped(mi):
    turns = [mi.Turn(None, [mi.BotMessage("utter_new", None)], "verkennen", "verkennen")]
    assert mi.code_counts(turns)["uncoded"] == 1


def test_summary_then_only_closed_questions_counts_as_summarised(mi):
    turns = [
        mi.Turn(None, bot(mi, "open_question"), "verkennen", "verkennen"),
        mi.Turn("a", bot(mi, "simple_reflection", "summary", "closed_question"), "verkennen", "verkennen"),
        mi.Turn("ja", bot(mi, "closed_question"), "verkennen", "verkennen"),
        mi.Turn("ja", bot(mi, "phase:kiezen", "open_question"), "verkennen", "kiezen"),
    ]
    [change] = mi.phase_changes(turns)
    assert change == {"turn": 3, "from": "verkennen", "to": "kiezen", "summarised": True, "why_not": None}


def test_an_open_question_after_the_summary_or_no_summary_is_not_summarised(mi):
    reopened = [
        mi.Turn(None, bot(mi, "summary", "open_question"), "verkennen", "verkennen"),
        mi.Turn("a", bot(mi, "phase:kiezen", "open_question"), "verkennen", "kiezen"),
    ]
    assert mi.phase_changes(reopened)[0]["summarised"] is False
    assert "open question" in mi.phase_changes(reopened)[0]["why_not"]
    none = [
        mi.Turn(None, bot(mi, "open_question"), "verkennen", "verkennen"),
        mi.Turn("a", bot(mi, "open_question"), "verkennen", "kiezen"),
    ]
    assert mi.phase_changes(none)[0]["why_not"] == "no summary since the previous phase change"


def test_a_summary_from_an_earlier_phase_does_not_count_for_the_next_change(mi):
    turns = [
        mi.Turn(None, bot(mi, "summary", "closed_question"), "verkennen", "verkennen"),
        mi.Turn("ja", bot(mi, "phase:kiezen", "open_question"), "verkennen", "kiezen"),
        mi.Turn("a", bot(mi, "simple_reflection", "closed_question"), "kiezen", "kiezen"),
        mi.Turn("ja", bot(mi, "phase:verkrijgen", "open_question"), "kiezen", "verkrijgen"),
    ]
    first, second = mi.phase_changes(turns)
    assert first["summarised"] is True
    assert second["summarised"] is False


def test_summary_in_the_same_turn_before_the_announcement_counts(mi):
    # Without an announcement the change point is the first question of the turn.
    turns = [
        mi.Turn(None, bot(mi, "open_question"), "verkrijgen", "verkrijgen"),
        mi.Turn("a", bot(mi, "summary", "summary", "structure"), "verkrijgen", "afgerond"),
    ]
    assert mi.phase_changes(turns)[0]["summarised"] is True
    late = [
        mi.Turn(None, bot(mi, "open_question"), "kiezen", "kiezen"),
        mi.Turn("a", bot(mi, "phase:verkrijgen", "summary"), "kiezen", "verkrijgen"),
    ]
    assert mi.phase_changes(late)[0]["summarised"] is False  # the summary came after the change


def test_turns_from_transcript_use_stored_codes_then_domain_codes(mi):
    messages = [
        {"id": "m1", "sender": "bot", "utter_action": "utter_greet", "mi_code": None, "text": "Hoi"},
        {"id": "m2", "sender": "bot", "utter_action": "utter_ask_x", "mi_code": "open_question", "text": "?"},
        {"id": "m3", "sender": "client", "text": "ja"},
        {"id": "m4", "sender": "system", "text": "handoff_requested"},
        {"id": "m5", "sender": "bot", "utter_action": "utter_summary_x", "mi_code": "summary", "text": "..."},
    ]
    turns = mi.turns_from_transcript(messages, {"m3": "kiezen"}, {"utter_greet": "structure"})
    assert [m.mi_code for m in turns[0].bot] == ["structure", "open_question"]
    assert (turns[1].client_text, turns[1].phase_before, turns[1].phase_after) == (
        "ja",
        "verkennen",
        "kiezen",
    )
    assert [m.mi_code for m in turns[1].bot] == ["summary"]


def test_domain_codes_only_when_all_variations_agree(mi, tmp_path):
    domain = tmp_path / "domain.yml"
    domain.write_text(
        "responses:\n"
        "  utter_a:\n    - text: x\n      metadata: {mi_code: open_question}\n"
        "    - text: y\n      metadata: {mi_code: open_question}\n"
        "  utter_b:\n    - text: x\n      metadata: {mi_code: simple_reflection}\n"
        "    - text: y\n      metadata: {mi_code: complex_reflection}\n",
        encoding="utf-8",
    )
    assert mi.domain_codes(domain) == {"utter_a": "open_question", "utter_b": None}


def test_every_domain_response_carries_an_mi_code(mi):
    codes = mi.domain_codes()
    import yaml

    responses = yaml.safe_load(mi.DOMAIN.read_text(encoding="utf-8"))["responses"]
    missing = [
        name
        for name, variations in responses.items()
        if any(not ((v.get("metadata") or {}).get("mi_code")) for v in variations)
    ]
    assert not missing, f"responses without metadata.mi_code: {missing}"
    assert codes  # the report can fall back on these


def test_persona_answers_by_question_with_buttons_and_lists(mi):
    persona = mi.Persona(
        "p", "test", {"importance": "7", "step_kind": ["Reisdocument", "Iets anders"]}, default="weet niet"
    )
    buttons = [{"title": "Reisdocument", "payload": "Reisdocument"}, {"title": "Ja", "payload": "/affirm"}]
    assert persona.reply("importance", []) == ("7", None)
    assert persona.reply("step_kind", buttons) == ("Reisdocument", "Reisdocument")
    assert persona.reply("step_kind", []) == ("Iets anders", None)
    assert persona.reply("step_kind", []) == ("Iets anders", None)  # the last answer repeats
    # Defaults shared by all personas, matched to a button title → its payload.
    yes = [{"title": "Ja, dat klopt", "payload": "/affirm"}, {"title": "Nee", "payload": "/deny"}]
    assert persona.reply("summary_correct", yes) == ("/affirm", "Ja, dat klopt")
    # Unknown question with buttons: the first ordinary button, never a control one.
    controls = [{"title": "Mens", "payload": "/request_human"}, {"title": "Goed", "payload": "goed"}]
    assert persona.reply("unknown", controls) == ("goed", "Goed")
    assert persona.reply(None, []) == ("weet niet", None)


def test_six_personas_of_issue_4(mi):
    names = [p.name for p in mi.personas()]
    assert len(names) == 6 and len(set(names)) == 6


class FakeStack:
    """Kiosk + staff API as in api-contract.md: two questions, a summary, a phase change."""

    SCRIPT = [
        [("utter_ask_life_here", "open_question", "Hoe is uw leven?", [])],
        [
            ("utter_reflect_life_here", "simple_reflection", "U zegt: ...", []),
            ("utter_summary_verkennen_intro", "summary", "Ik vat samen", []),
            (
                "utter_ask_summary_correct",
                "closed_question",
                "Klopt dat?",
                [{"title": "Ja, dat klopt", "payload": "/affirm"}],
            ),
        ],
        [("utter_phase_afgerond", "structure", "We ronden af", [])],
    ]

    def __init__(self):
        self.messages, self.step, self.received = [], 0, []

    def _bot(self):
        for action, code, text, buttons in self.SCRIPT[self.step]:
            self.messages.append(
                {
                    "id": f"m{len(self.messages)}",
                    "sender": "bot",
                    "text": text,
                    "buttons": buttons,
                    "utter_action": action,
                    "mi_code": code,
                }
            )
        self.step += 1

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/auth/token"):
            return httpx.Response(200, json={"access_token": "t", "token_type": "bearer"})
        if request.method == "POST" and path.endswith("/sessions"):
            assert request.headers["X-Kiosk-Key"] == "k"
            self._bot()
            return httpx.Response(
                201,
                json={"session_id": "s1", "phase": "verkennen", "status": "bot", "messages": self.messages},
            )
        if request.method == "POST" and path.endswith("/messages"):
            import json

            body = json.loads(request.content)
            self.received.append(body)
            client = {"id": f"m{len(self.messages)}", "sender": "client", "text": body["text"], "buttons": []}
            self.messages.append(client)
            start = len(self.messages) - 1
            self._bot()
            phase = "afgerond" if self.step == len(self.SCRIPT) else "verkennen"
            return httpx.Response(
                200,
                json={"messages": self.messages[start:], "phase": phase, "status": "bot", "handoff": None},
            )
        if path.endswith("/plan"):
            assert request.headers["Authorization"] == "Bearer t"
            return httpx.Response(200, json={"provisional_decision": {"option": {"value": None}}})
        if path.endswith("/staff/sessions/s1"):
            return httpx.Response(200, json={"id": "s1", "messages": self.messages})
        return httpx.Response(404, json={"detail": path})


def test_run_persona_through_a_fake_api(mi):
    fake = FakeStack()
    api = mi.Api("http://fake", "k", "u", "p", transport=httpx.MockTransport(fake))
    persona = mi.Persona("p", "test", {"life_here": "ik woon in Ter Apel"}, default="weet niet")
    run = mi.run_persona(api, persona, {}, max_turns=10)
    assert run["end"] == "afgerond" and run["client_turns"] == 2
    assert fake.received == [{"text": "ik woon in Ter Apel"}, {"text": "/affirm", "title": "Ja, dat klopt"}]
    assert run["phases"] == ["verkennen", "afgerond"]
    figures = run["figures"]
    assert figures["phase_changes"][0]["summarised"] is True
    assert figures["strict"]["reflection_to_question"] == 0.5
    report = mi.build_report([run], "m", "http://fake")
    assert report["overall"]["phase_changes_summarised"] == 1.0
    assert report["meets_targets"]["strict"]["reflection_to_question"] is False
    assert "| p | afgerond | 2 |" in mi.markdown(report)


def test_handoff_details_name_the_message_and_both_detectors(mi):
    transcript = {
        "messages": [
            {"id": "m1", "sender": "client", "text": "eerst"},
            {
                "id": "m2",
                "sender": "client",
                "text": "ik wil verder met mijn leven",
                "intent": "safety_crisis",
                "confidence": 1.0,
                "safety": {
                    "category": "none",
                    "flag": None,
                    "matched": None,
                    "rasa": {"category": "crisis", "flag": "suicide", "matched": "leven"},
                },
            },
            {"id": "m3", "sender": "bot", "text": "113"},
        ],
        "handoffs": [{"reason": "crisis"}],
    }
    details = mi.handoff_details(transcript)
    assert details["reason"] == "crisis" and details["client_text"] == "ik wil verder met mijn leven"
    assert details["safety"]["category"] == "none"
    assert details["rasa_safety"] == {"category": "crisis", "flag": "suicide", "matched": "leven"}
