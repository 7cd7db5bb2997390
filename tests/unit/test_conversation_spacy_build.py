"""The Dutch spaCy pipeline is built offline and lemmatises with the lookup table."""

from __future__ import annotations

import spacy

from rasa_plugins.build_spacy_nl import build


def test_built_pipeline_loads_and_lemmatises(tmp_path):
    target = build(tmp_path / "spacy_nl")
    nlp = spacy.load(target)
    lemmas = {t.text: t.lemma_ for t in nlp("hij woont daar en wij gingen terug")}
    assert nlp.lang == "nl" and nlp.pipe_names == ["lemmatizer"]
    assert lemmas["woont"] == "wonen" and lemmas["gingen"] == "gaan"
