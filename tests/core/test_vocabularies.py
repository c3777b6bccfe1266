"""The controlled vocabularies: complete, ordered as DOMAIN.md, stable codes, JSON export."""

from __future__ import annotations

import json

import pytest

from observatoire import vocabularies as v


def test_sizes_of_the_lists_match_the_domain() -> None:
    assert len(v.IMPACTS) == 3
    assert len(v.OBJECTIVES) == 4
    assert len(v.PARTNERSHIP_CATEGORIES) == 4
    assert len(v.LEVERS) == 3
    assert len(v.PILLARS) == 3
    assert len(v.SUPPORT_FORMS) == 7
    assert len(v.FRAGILITIES) == 16
    assert len(v.TERRITORY_HEALTH) == 3
    assert len(v.COMMUNE_SIZES) == 4


def test_order_follows_the_domain() -> None:
    assert v.OBJECTIVES.codes[0] == "performance-engagement"
    assert v.OBJECTIVES.codes[-1] == "co-construction-territoriale"
    assert v.FRAGILITIES.codes[:3] == ("sante", "pouvoir-achat", "securite")
    assert v.FRAGILITIES.codes[-1] == "culture-loisirs"
    assert v.TERRITORY_HEALTH.codes == ("dynamique", "en-difficulte", "sinistre")


def test_codes_are_ascii_slugs_and_labels_bilingual() -> None:
    for vocab in v.ALL:
        for term in vocab:
            assert term.code.isascii() and term.code == term.code.lower() and " " not in term.code
            assert term.fr and term.en


def test_unknown_code_names_the_vocabulary_and_the_allowed_codes() -> None:
    with pytest.raises(KeyError, match=r"unknown code 'nope' in vocabulary 'impacts'.*confiance"):
        v.IMPACTS["nope"]


def test_json_export_round_trips() -> None:
    data = json.loads(v.to_json())
    assert list(data) == [vocab.name for vocab in v.ALL]
    assert data["fragilities"]["terms"][0] == {"code": "sante", "fr": "Santé", "en": "Health"}
