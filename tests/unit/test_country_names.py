"""Country names: one table for the NLU lookup/synonyms and for normalise.country."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from bot.conversation import normalise
from bot.conversation.country_names import COUNTRIES

ROOT = Path(__file__).resolve().parents[2]


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_country_lookup", ROOT / "scripts" / "build_country_lookup.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_un_member_state_is_there():
    assert len(COUNTRIES) >= 193 + 2  # 193 members, Kosovo and Palestina
    for dutch in (
        "Eritrea",
        "Syrië",
        "Jemen",
        "Colombia",
        "Venezuela",
        "Bangladesh",
        "Oekraïne",
        "Georgië",
        "Congo",
        "Kameroen",
        "Ivoorkust",
        "Tuvalu",
        "Verenigde Staten",
        "Nederland",
    ):
        assert dutch in COUNTRIES


def test_no_spelling_names_two_countries():
    seen = {}
    for dutch in COUNTRIES:
        for spelling in normalise.country_aliases()[dutch]:
            assert seen.setdefault(spelling, dutch) == dutch, spelling


def test_the_nlu_file_is_generated_from_the_table():
    assert (ROOT / "data" / "nlu" / "countries.yml").read_text(encoding="utf-8") == _builder().render()


def test_the_nlu_synonyms_map_every_spelling_to_the_dutch_name():
    data = yaml.safe_load((ROOT / "data" / "nlu" / "countries.yml").read_text(encoding="utf-8"))
    synonyms = {item["synonym"]: item["examples"] for item in data["nlu"] if "synonym" in item}
    assert "- syria\n" in synonyms["Syrië"] and "- syrie\n" in synonyms["Syrië"]
    assert "- côte d'ivoire\n" in synonyms["Ivoorkust"]
    lookup = next(item["examples"] for item in data["nlu"] if item.get("lookup") == "country")
    assert "- Érythrée\n".lower() in lookup.lower() and "- eritrea\n".lower() in lookup.lower()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ik kom uit Eritrea", "Eritrea"),
        ("je viens de l'Érythrée", "Eritrea"),
        ("ik ben eritreeër", "Eritrea"),
        ("from yemen", "Jemen"),
        ("Venezuela", "Venezuela"),
        ("ik kom uit guinee bissau", "Guinee-Bissau"),
        ("Guinée", "Guinee"),
        ("south sudan", "Zuid-Soedan"),
        ("ik kom uit RD Congo", "Congo"),
        ("cote d'ivoire", "Ivoorkust"),
        ("ik kom uit Syrië, nu woon ik in Nederland", "Syrië"),
        ("ik woon in Nederland, ik kom uit Irak", "Irak"),
        ("Nederland", "Nederland"),
        ("mijn broer Maurice woont hier", None),
        ("ik ben alleen met us", None),
    ],
    ids=lambda v: str(v),
)
def test_country_finds_the_origin(text, expected):
    assert normalise.country(text) == expected
