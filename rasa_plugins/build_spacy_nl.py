"""Build the Dutch spaCy pipeline the NLU uses, with nothing from the internet.

spaCy's trained Dutch models are not on PyPI and this machine cannot download
them, so we save `spacy.blank("nl")` plus a lookup lemmatizer whose tables come
from the pip package `spacy-lookups-data`. Rasa's `SpacyNLP` then loads it from
`build/spacy_nl` (see config.yml). Run before training:

    python -m rasa_plugins.build_spacy_nl
"""

from __future__ import annotations

import argparse
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TARGET = REPO_ROOT / "build" / "spacy_nl"


def build_pipeline():
    """Return a blank Dutch pipeline with an initialised lookup lemmatizer."""
    import spacy

    nlp = spacy.blank("nl")
    # Lookup mode needs no POS tagger (a blank pipeline has none); the table
    # maps inflected forms to lemmas ("gaat" -> "gaan", "kinderen" -> "kind").
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the tables from spacy-lookups-data, offline
    nlp.meta["name"] = "coach_nl_blank"
    nlp.meta["description"] = "spacy.blank('nl') + lookup lemmatizer (spacy-lookups-data)"
    return nlp


def build(target: Path = DEFAULT_TARGET) -> Path:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline().to_disk(target)
    return target


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "target", nargs="?", type=Path, default=None, help=f"output folder (default {DEFAULT_TARGET})"
    )
    parser.add_argument("--target", dest="target_option", type=Path, default=None)
    args = parser.parse_args(argv)
    target = args.target or args.target_option or DEFAULT_TARGET
    print(f"spaCy Dutch pipeline written to {build(target)}")


if __name__ == "__main__":
    main()
