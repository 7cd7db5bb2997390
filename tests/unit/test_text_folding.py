"""bot/text_folding.py: the two variants and what tells them apart."""

from __future__ import annotations

from bot.conversation import normalise
from bot.safety.normalise import normalise as safety_normalise
from bot.text_folding import fold_case_and_accents, fold_to_words, strip_accents


def test_both_strip_accents_and_case():
    assert strip_accents("Guinée-Bissau") == "Guinee-Bissau"
    assert fold_case_and_accents("Beëindigen") == "beeindigen"
    assert fold_to_words("Beëindigen") == "beeindigen"


def test_the_safety_variant_keeps_punctuation_and_spacing_for_the_rules():
    assert fold_case_and_accents("Ik wil NIET meer, j'ai peur!  ") == "ik wil niet meer, j'ai peur!  "
    assert safety_normalise("Ik wil NIET meer, j'ai peur!") == "ik wil niet meer , jai peur ."


def test_the_conversation_variant_gives_plain_words():
    assert fold_to_words("  Guinée!  (Conakry) ") == "guinee conakry"
    assert fold_to_words("Guinee-Bissau") == "guinee-bissau"
    assert fold_to_words(None) == ""
    assert normalise.fold is fold_to_words


def test_case_folding_differs_only_where_casefold_and_lower_differ():
    assert fold_case_and_accents("Straße") == "strasse"
    assert fold_to_words("Straße") == "straße"
