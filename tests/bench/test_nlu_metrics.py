"""bench/nlu_report.py computes what it claims: F1 by hand on small inputs."""

from __future__ import annotations

import pytest


def test_intent_f1_matches_a_hand_computation(nlu):
    gold = ["a", "a", "a", "b", "b", "c"]
    pred = ["a", "a", "b", "b", "nlu_fallback", "a"]
    scores = nlu.intent_scores(gold, pred)
    # a: tp 2, fp 1 (the c), fn 1 → p 2/3, r 2/3, f1 2/3
    assert scores["per_intent"]["a"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert scores["per_intent"]["a"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    # b: tp 1, fp 1, fn 1 → 0.5; c: never predicted → 0
    assert scores["per_intent"]["b"]["f1"] == pytest.approx(0.5)
    assert scores["per_intent"]["c"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    # Macro over the gold intents only; the fallback is an error, not a class of its own.
    assert set(scores["per_intent"]) == {"a", "b", "c"}
    assert scores["macro_f1"] == pytest.approx((2 / 3 + 0.5 + 0) / 3, abs=1e-4)
    assert scores["accuracy"] == pytest.approx(3 / 6)


def test_perfect_predictions_score_one_and_lengths_must_match(nlu):
    assert nlu.intent_scores(["x", "y"], ["x", "y"])["macro_f1"] == 1.0
    with pytest.raises(ValueError):
        nlu.intent_scores(["x"], ["x", "y"])


def test_confusion_pairs_count_only_errors_most_frequent_first(nlu):
    pairs = nlu.confusion_pairs(["a", "a", "a", "b", "b"], ["b", "b", "a", "a", None])
    assert pairs[0] == {"gold": "a", "predicted": "b", "count": 2}
    assert {(p["gold"], p["predicted"], p["count"]) for p in pairs} == {
        ("a", "b", 2),
        ("b", "a", 1),
        ("b", None, 1),
    }


def test_entity_scores_exact_and_overlap(nlu):
    S = nlu.Span
    gold = [
        (S(0, 6, "country"), S(8, 14, "city")),  # one exact hit, one boundary miss
        (S(5, 11, "family_relation"),),  # missed
        (),  # a false alarm below
    ]
    pred = [
        (S(0, 6, "country"), S(8, 12, "city")),
        (),
        (S(0, 4, "city"),),
    ]
    exact = nlu.entity_scores(gold, pred, "exact")
    assert exact["per_entity"]["country"]["f1"] == 1.0
    # city: 0 tp exact, 2 predicted, 1 gold → 0
    assert exact["per_entity"]["city"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "support": 1,
        "predicted": 2,
    }
    assert exact["per_entity"]["family_relation"]["recall"] == 0.0
    # micro: tp 1, fp 2, fn 2 → p 1/3, r 1/3
    assert exact["micro"]["f1"] == pytest.approx(1 / 3, abs=1e-4)
    overlap = nlu.entity_scores(gold, pred, "overlap")
    # the shortened city now counts: tp 2, fp 1, fn 1 → 2/3
    assert overlap["micro"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert overlap["per_entity"]["city"]["precision"] == 0.5


def test_overlap_needs_the_same_type_and_matches_one_to_one(nlu):
    S = nlu.Span
    gold = [(S(0, 5, "city"),)]
    assert nlu.entity_scores(gold, [(S(0, 5, "country"),)], "overlap")["micro"]["f1"] == 0.0
    two_predictions = nlu.entity_scores(gold, [(S(0, 3, "city"), S(2, 5, "city"))], "overlap")
    assert two_predictions["per_entity"]["city"]["precision"] == 0.5
    assert two_predictions["per_entity"]["city"]["recall"] == 1.0


def test_safety_override_effect_counts_fixes_and_breaks(nlu):
    gold = ["crisis", "inform", "inform", "deny"]
    final = ["crisis", "emotion", "inform", "crisis"]
    before = ["inform", "inform", None, "affirm"]
    assert nlu.safety_override_effect(gold, final, before) == {
        "changed": 3,
        "fixed": 1,
        "broke": 1,
        "wrong_either_way": 1,
    }


def test_prediction_reads_rasa_parse_data_with_fallback_and_safety(nlu):
    fallback = nlu.prediction_from_parse(
        {
            "intent": {"name": "nlu_fallback", "confidence": 0.5},
            "intent_ranking": [
                {"name": "nlu_fallback", "confidence": 0.5},
                {"name": "inform", "confidence": 0.41},
            ],
            "entities": [{"entity": "city", "start": 3, "end": 8, "value": "Kabul"}],
            "safety": {"category": "none", "flag": None},
        }
    )
    assert fallback.intent == "nlu_fallback" and fallback.best_guess == "inform"
    assert fallback.intent_before_safety is None
    assert fallback.entities == (nlu.Span(3, 8, "city"),)
    overridden = nlu.prediction_from_parse(
        {
            "intent": {"name": "safety_crisis", "confidence": 1.0},
            "safety": {"category": "crisis", "flag": "suicide", "nlu_intent": "inform"},
        }
    )
    assert overridden.intent_before_safety == "inform" and overridden.safety_flag == "suicide"
    assert overridden.best_guess is None


def test_report_flags_coverage_gaps_and_verbatim_overlap(nlu):
    E, P = nlu.Example, nlu.Prediction
    examples = [
        E("ja", "affirm", (), "basics.yml"),
        E("jaaa hoor", "affirm", (), "basics.yml"),
        E("hallo", "greet", (), "basics.yml"),
    ]
    predictions = [P("affirm", 0.9), P("greet", 0.6), P("greet", 0.99)]
    report = nlu.build_report(
        examples,
        predictions,
        trained_intents={"affirm", "greet", "deny", "correct_answer"},
        training_texts={"ja"},
        model_name="m.tar.gz",
        other_files=["x.yml"],
    )
    ts = report["test_set"]
    assert ts["trained_intents_without_test_examples"] == ["deny"]  # correct_answer is button-only
    assert ts["also_in_training_verbatim"] == 1
    assert ts["intents_under_15_examples"] == ["affirm", "greet"]
    assert ts["other_files_not_scored"] == ["x.yml"]
    assert report["intent_unseen_only"]["examples"] == 2
    assert report["intent_errors"] == [
        {
            "text": "jaaa hoor",
            "gold": "affirm",
            "predicted": "greet",
            "confidence": 0.6,
            "before_safety": None,
            "safety_flag": None,
            "best_guess": None,
        }
    ]
    assert report["meets_target"] is False
    assert "| affirm | 2 |" in nlu.markdown(report)


def test_another_held_out_folder_scores_all_its_files_and_reports_apart(nlu, tmp_path):
    """data/nlu_test scores its named files only; a later set such as data/nlu_heldout_seen_once
    (one file, any name) is scored whole and gets a results folder of its own."""
    folder = tmp_path / "nlu_heldout_seen_once"
    folder.mkdir()
    (folder / "client_messages.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hoi\n', encoding="utf-8"
    )
    (folder / "notes.md").write_text("not a data file", encoding="utf-8")
    assert nlu.held_out_paths(folder) == ([folder / "client_messages.yml"], [])
    assert nlu.results_dir(folder) == nlu.RESULTS / "nlu_heldout_seen_once"
    assert nlu.results_dir(nlu.TEST_DIR) == nlu.RESULTS
    with pytest.raises(SystemExit):
        nlu.held_out_paths(tmp_path / "empty")
