"""Issue 17.6: a scenario checks what the client reads — `says`, `not_says`, `matches` per step, and
the built-in check of every reply (bare echo, copied misspelling, a sentence in lower case)."""

from __future__ import annotations


import pytest

from bot.scenarios import ScenarioInvalid, dump_scenario, parse_scenario
from bot.scenarios.checks import Observed, check_turn
from bot.scenarios.schema import Expect


def _said(*texts):
    return Observed(messages=[{"sender": "bot", "text": t} for t in texts], status="bot")


def _failed(results):
    return [r.reason for r in results if not r.passed]


def test_says_not_says_and_matches_read_the_reply():
    expect = Expect(says=["sterke kant"], not_says=["u moet"], matches=[r"^U (zegt|vertelt)", r"\bkok\b"])
    ok = check_turn(expect, _said("U vertelt dat u kok was. Dat is een sterke kant van u."))
    assert [r.check for r in ok] == ["says", "not_says", "matches", "matches"] and not _failed(ok)
    bad = check_turn(expect, _said("Dat is fijn. U moet nu verder."))
    reasons = _failed(bad)
    assert "'sterke kant' staat niet in het antwoord van de coach (Dat is fijn. U moet nu verder.)" in reasons
    assert any(r.startswith("'u moet' staat toch in het antwoord") for r in reasons)
    assert "het antwoord past niet bij /^U (zegt|vertelt)/ (Dat is fijn. U moet nu verder.)" in reasons


@pytest.mark.parametrize(
    "reply, problem",
    [
        ("U zegt: auto. Dat is een sterke kant van u.", "herhaalt alleen een los stukje: 'auto'"),
        ("Om u heen in Nederland: vrouw.", "noemt alleen een los woord voor een persoon"),
        ("Uw familielid woont daar: moedr. Klopt dat?", "neemt een tikfout over: moedr"),
        ("dank u. Wat wilt u nu doen?", "begint met een kleine letter"),
        ("Dank u. wat wilt u nu doen?", "een zin begint met een kleine letter"),
    ],
)
def test_the_built_in_check_flags_what_a_reader_stumbles_over(reply, problem):
    results = check_turn(Expect(), _said("Goed.", reply), text_checks=True)
    [text] = [r for r in results if r.check == "text"]
    assert not text.passed and problem in text.reason and "text_checks: false" in text.reason


def test_the_built_in_check_passes_good_dutch_and_skips_silence():
    [text] = check_turn(
        Expect(), _said("U vertelt dat uw moeder in Conakry woont. Klopt dat?"), text_checks=True
    )
    assert text.passed and text.check == "text"
    assert check_turn(Expect(), _said(), text_checks=True) == []
    assert check_turn(Expect(), _said("U zegt: auto."), text_checks=False) == []


BASE = "title: x\npersona: y\n{top}turns:\n  - client: a\n    expect:\n      matches: {pattern}\n"


def test_matches_and_text_checks_are_read_from_the_file_and_written_back():
    scenario = parse_scenario(
        BASE.format(top="text_checks: false\n", pattern='["U (zegt|vertelt)"]'), name="t"
    )
    assert scenario.text_checks is False and scenario.turns[0].expect.matches == ["U (zegt|vertelt)"]
    again = parse_scenario(dump_scenario(scenario), name="t")
    assert again.text_checks is False and again.turns[0].expect.matches == ["U (zegt|vertelt)"]
    assert parse_scenario(BASE.format(top="", pattern="kok"), name="t").text_checks is True


@pytest.mark.parametrize(
    "pattern, message",
    [
        ('"(a+)+$"', "dit patroon herhaalt een herhaling"),
        ('"([a-z]{2,5})*x"', "dit patroon herhaalt een herhaling"),
        ('"U (zegt"', "dit patroon klopt niet"),
        ('"' + "a" * 201 + '"', "een patroon mag hoogstens 200 tekens hebben"),
    ],
)
def test_a_pattern_that_could_hang_or_does_not_compile_is_refused_with_its_line(pattern, message):
    with pytest.raises(ScenarioInvalid) as caught:
        parse_scenario(BASE.format(top="", pattern=pattern), name="kapot", source="kapot.yml")
    assert any(
        issue.line == 6 and message in issue.message for issue in caught.value.issues
    ), caught.value.issues


def test_a_pattern_reads_a_bounded_part_of_a_long_reply():
    [result] = check_turn(Expect(matches=[r"\bslot\b"]), _said("woord " * 50000 + "slot"))
    assert not result.passed  # the slot after 250,000 characters is not read: the match stays bounded


def test_a_caret_is_the_start_of_any_message_of_the_turn():
    [result] = check_turn(
        Expect(matches=["^Als u aan uw toekomst denkt"]),
        _said("We kijken nu naar de mogelijkheden.", "Als u aan uw toekomst denkt: wat past?"),
    )
    assert result.passed


def test_the_six_persona_scenarios_check_the_text_the_client_reads():
    from pathlib import Path

    from bot.scenarios import load_directory

    scenarios, broken = load_directory(Path(__file__).resolve().parents[2] / "data" / "scenarios")
    personas = [s for s in scenarios if s.name[:2] in {"p1", "p2", "p3", "p4", "p5", "p6"}]
    assert broken == {} and len(personas) == 6
    for scenario in personas:
        assert scenario.text_checks, scenario.name
        expects = [t.expect for t in scenario.turns]
        assert (
            sum(len(e.says) for e in expects) >= 2 and sum(len(e.matches) for e in expects) >= 1
        ), scenario.name
