"""Search by name: accents, case, abbreviations, former names, ranking and filters."""

from __future__ import annotations

import pytest

from observatoire import territory
from observatoire.errors import InputError
from observatoire.territory.names import fold


def names(text: str, **kwargs: object) -> list[str]:
    return [t.name for t in territory.search(text, **kwargs)]  # type: ignore[arg-type]


def test_fold() -> None:
    assert fold("Saint-Maur-des-Fossés") == "saint maur des fosses"
    assert fold("  ST  MAUR des FOSSÉS ") == "saint maur des fosses"
    assert fold("Paris Est Marne&Bois") == "paris est marne et bois"
    assert fold("Œuilly") == "oeuilly"


@pytest.mark.parametrize("text", ["charenton", "CHARENTON", "Charentón", "charenton le"])
def test_charenton_first_whatever_the_spelling(text: str) -> None:
    assert names(text)[0] == "Charenton-le-Pont"


def test_exact_name_before_prefixes_then_by_population() -> None:
    found = territory.search("paris", limit=5)
    assert [t.name for t in found[:2]] == ["Paris", "Paris"]
    assert {t.kind for t in found[:2]} == {"department", "commune"}
    assert "Paris Ouest La Défense" in [t.name for t in found]


def test_words_in_any_position() -> None:
    assert names("st maur des fosses")[0] == "Saint-Maur-des-Fossés"
    assert names("marne & bois")[0] == "Paris Est Marne et Bois"


def test_former_names_find_the_current_commune() -> None:
    assert names("Bellegarde-sur-Valserine") == ["Valserhône"]


def test_kinds_and_limit() -> None:
    found = territory.search("ile de france", kinds={"region"})
    assert [(t.kind, t.code) for t in found] == [("region", "11")]
    assert len(territory.search("saint", limit=3)) == 3
    assert all(t.kind == "epci" for t in territory.search("grand", kinds=["epci"]))


def test_a_code_matches_too() -> None:
    assert territory.search("94018")[0].name == "Charenton-le-Pont"


def test_no_match_is_an_empty_list() -> None:
    assert territory.search("zzzqqq") == []


def test_bad_search_input() -> None:
    with pytest.raises(InputError, match="empty"):
        territory.search(" - ")
    with pytest.raises(InputError, match="unknown territory kind"):
        territory.search("paris", kinds={"town"})
    with pytest.raises(InputError, match="limit"):
        territory.search("paris", limit=0)
