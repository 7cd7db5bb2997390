"""The adaptive simulated clients answer what the bot asks, from their facts, the same way every run."""

from __future__ import annotations

import pytest

from bench.simulated_clients import SimulatedClient, by_name, personas
from bench.simulated_clients.run import facts_in_plan, mentions, run_talk
from bench.simulated_clients.topics import question_topic

YES_NO = [
    {"title": "Ja", "payload": "/affirm"},
    {"title": "Nee", "payload": "/deny"},
    {"title": "Ik wil met een mens praten", "payload": "/request_human"},
]


def bot(text, buttons=(), action=None):
    return [{"sender": "bot", "text": text, "buttons": list(buttons), "utter_action": action}]


QUESTIONS = [
    bot("Zullen we beginnen?", [{"title": "Ja, we beginnen", "payload": "/affirm"}]),
    bot("Hoe is uw leven nu, hier in Nederland? Vertel het in uw eigen woorden."),
    bot("Wie zijn er hier in Nederland voor u? Denk aan familie, vrienden of andere mensen."),
    bot("Heeft u kinderen die bij u zijn?", YES_NO),
    bot("In welk land bent u geboren of opgegroeid?"),
    bot("Wie van uw familie of vrienden woont nog daar?"),
    bot("Heeft u last van uw lichaam, bijvoorbeeld pijn?", YES_NO),
    bot("Waar bent u goed in?"),
    bot("Wat maakt u zorgen?"),
    bot("Hoe belangrijk is het voor u, van 0 tot 10?"),
]


def play(name, seed=0, questions=QUESTIONS):
    client = SimulatedClient(by_name()[name], seed)
    out = []
    for number, question in enumerate(questions):
        reply = client.reply(question)
        client.record(f"m{number}")
        out.append((reply.text, reply.title, reply.topic, reply.kind))
    return client, out


def test_six_personas_with_different_countries_and_the_required_moods():
    all_ = personas()
    assert len(all_) >= 6 and len({p.name for p in all_}) == len(all_)
    countries = {p.fact("country").plan[0] for p in all_}
    assert len(countries) == len(all_)
    styles = {p.name: p.style for p in all_}
    assert any(s.pushback_lines for s in styles.values())  # one pushes back
    assert any(p.correction for p in all_)  # one corrects a summary
    assert any(s.long_messages for s in styles.values())  # one tells everything at once
    assert any(s.cry_says for s in styles.values())  # one cries
    assert any(s.typo_rate >= 0.2 and s.lower_case for s in styles.values())  # terse, typos


@pytest.mark.parametrize("name", sorted(by_name()))
def test_same_seed_same_talk(name):
    assert play(name, 0)[1] == play(name, 0)[1]
    assert play(name, 3)[1] == play(name, 3)[1]


def test_another_seed_gives_other_talks():
    differ = [name for name in by_name() if play(name, 0)[1] != play(name, 1)[1]]
    assert len(differ) >= 3, differ


def test_questions_are_read_from_their_words_not_the_action_name():
    assert question_topic("Uit welk land komt u?") == "country"
    assert question_topic("Wie van uw familie woont nog in Guinee?") == "family_origin"
    assert question_topic("Wie zijn er hier in Nederland voor u? Denk aan familie.") == "family_here"
    assert question_topic("Heeft u kinderen die mee zouden gaan?") == "children"
    assert question_topic("Maakt uw familie daar het voor u moeilijker of makkelijker?") == "direction"
    assert question_topic("U zei dat u uit Guinee komt. Klopt dat?") == "summary_check"
    # A misleading action name does not change what the client answers.
    client = SimulatedClient(by_name()["mamadou"], 0)
    reply = client.reply(bot("Uit welk land komt u?", action="utter_ask_talents"))
    assert "guinee" in reply.text.lower() and reply.topic == "country"


def test_mamadou_answers_what_is_asked_from_his_facts():
    client, out = play("mamadou")
    by_topic = {topic: (text, title) for text, title, topic, _ in out}
    assert by_topic["start"][1] in ("Ja, we beginnen", None)
    assert "guinee" in by_topic["country"][0].lower()  # asked, or said before and said again
    assert "conakry" in by_topic["family_origin"][0].lower() or "family_origin" in client.told
    assert mentions(by_topic["life_here"][0], "azc")
    assert by_topic["children"][0] in ("/deny", "nee") or by_topic["children"][1] == "Nee"
    assert "hoofdpijn" in by_topic["physical"][0].lower()  # a yes/no question answered in a sentence
    assert by_topic["ruler_importance"] == ("7", None) or by_topic["ruler_importance"][0] == "7"
    assert all(ids for ids in client.told.values())  # every told fact has the message it was told in


def test_a_control_button_is_never_chosen_for_an_answer():
    for persona in personas():
        client = SimulatedClient(persona, 0)
        for _ in range(3):
            reply = client.reply(bot("Heeft u kinderen?", YES_NO))
            assert reply.text != "/request_human"


def test_ibrahim_pushes_back_on_return_questions_then_skips():
    client = SimulatedClient(by_name()["ibrahim"], 0)
    question = bot(
        "Als u aan teruggaan denkt: maakt dit het moeilijker of makkelijker?",
        [
            {"title": "Moeilijker", "payload": "Moeilijker"},
            {"title": "Makkelijker", "payload": "Makkelijker"},
            {"title": "Sla over", "payload": "/decline_answer"},
        ],
    )
    said = [client.reply(question) for _ in range(4)]
    assert [r.kind for r in said] == ["pushback"] * 4
    assert said[0].text.startswith("ik ga niet terug")
    assert "waarom vraagt iedereen dat" in said[1].text
    assert said[3].title == "Sla over"  # out of words: he skips
    assert "no_return" in client.stated_topics()


def test_rosa_corrects_one_summary_item_by_typing():
    client = SimulatedClient(by_name()["rosa"], 0)
    first = client.reply(bot("Wie van uw familie woont nog in Angola?"))
    client.record("m1")
    assert "zus" in first.text.lower()
    check = client.reply(
        bot(
            "U zei: uw zus woont in Luanda, u bent lerares. Klopt dat?",
            [{"title": "Ja, dat klopt", "payload": "/affirm"}, {"title": "Nee", "payload": "/deny"}],
        )
    )
    client.record("m2")
    assert check.kind == "correction" and check.title is None
    assert "nicht" in check.text and "zus" in check.text
    assert client.told["family_origin"] == ["m1", "m2"]
    again = client.reply(
        bot("U zei: uw nicht woont in Luanda. Klopt dat?", [{"title": "Ja, dat klopt", "payload": "/affirm"}])
    )
    assert again.kind != "correction"  # one correction, then the summary is fine


def test_leila_cries_once_at_the_family_question():
    client = SimulatedClient(by_name()["leila"], 0)
    first = client.reply(bot("Met wie van uw familie in Afghanistan heeft u nog contact?"))
    assert first.kind == "cry" and "huilen" in first.text
    second = client.reply(bot("Met wie van uw familie in Afghanistan heeft u nog contact?"))
    assert second.kind != "cry"


def test_samir_tells_everything_in_one_long_message():
    client = SimulatedClient(by_name()["samir"], 0)
    reply = client.reply(bot("Hoe is uw leven nu, hier in Nederland?"))
    assert len(reply.facts) >= 5 and len(reply.text.split()) > 40


def test_bilal_is_terse_and_lower_case():
    _, out = play("bilal")
    typed = [text for text, title, _, _ in out if title is None]
    assert typed and all(len(t.split()) <= 8 for t in typed)
    assert all(t == t.lower() for t in typed)


class FakeKiosk:
    """Asks three questions, then ends the talk."""

    def __init__(self):
        self.script = [
            bot("Uit welk land komt u?"),
            bot("Heeft u kinderen?", YES_NO),
            bot("Wat maakt u zorgen?"),
        ]
        self.received = []

    def start(self):
        return {
            "session_id": "s",
            "phase": "verkennen",
            "status": "bot",
            "messages": [{"id": "b0", **self.script[0][0]}],
        }

    def say(self, session_id, text, title):
        self.received.append((text, title))
        n = len(self.received)
        client = {"id": f"c{n}", "sender": "client", "text": title or text}
        if n < len(self.script):
            return {
                "messages": [client, {"id": f"b{n}", **self.script[n][0]}],
                "phase": "verkennen",
                "status": "bot",
                "handoff": None,
            }
        return {"messages": [client], "phase": "afgerond", "status": "bot", "handoff": None}


def test_run_talk_stops_at_afgerond_and_checks_facts_against_the_plan():
    persona = by_name()["mamadou"]
    talk = run_talk(FakeKiosk(), persona)
    assert talk["end"] == "afgerond" and talk["client_turns"] == 3
    assert talk["told"]["country"] == ["c1"]
    plan = {
        "client_info": {
            "country_of_origin": {
                "value": "Guinee",
                "status": "answered",
                "provenance": {"source": "client_message", "message_ids": ["c1"]},
            }
        },
        "sections": {
            "practical_matters": {
                "note": {
                    "value": "Zorg: wat de familie zegt",
                    "status": "answered",
                    "provenance": {"message_ids": ["c9"]},
                }
            }
        },
    }
    checks = {c["fact"]: c for c in facts_in_plan(plan, persona, talk["told"])}
    assert checks["country"]["ok"] and checks["country"]["paths"] == ["client_info.country_of_origin"]
    assert checks["worries"]["status"] == "in plan, not with its message id"
    missing = [c for c in checks.values() if c["status"] == "missing"]
    assert all(not c["ok"] for c in missing)


def test_a_corrected_fact_needs_the_corrected_value_and_not_the_wrong_one():
    persona = by_name()["rosa"]
    told = {"family_origin": ["m1", "m2"]}
    wrong_left = {
        "a": {"value": "zus in Luanda", "provenance": {"message_ids": ["m1"]}},
        "b": {"value": "nicht in Luanda", "provenance": {"message_ids": ["m2"]}},
    }
    assert facts_in_plan(wrong_left, persona, told)[0]["status"] == "corrected value not taken"
    right = {"b": {"value": "nicht in Luanda", "provenance": {"message_ids": ["m2"]}}}
    assert facts_in_plan(right, persona, told)[0]["ok"]
