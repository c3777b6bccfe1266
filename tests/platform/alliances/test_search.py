"""Search semantics, identical on SQLite FTS5 and PostgreSQL."""

from __future__ import annotations

import pytest

from observatoire.errors import InputError
from observatoire.platform.alliances.search.faceted import SearchParams, run


def titles(**kwargs):  # type: ignore[no-untyped-def]
    return [a.import_id for a in run(SearchParams(**kwargs)).alliances]


def test_decrochage_finds_vitawin_with_or_without_accents(base) -> None:
    assert titles(q="décrochage") == ["vitawin-q2er"]
    assert titles(q="DECROCHAGE scolaire") == ["vitawin-q2er"]


def test_stemming_energie_finds_energetique(base) -> None:
    assert titles(q="énergie") == ["montargis-energie"]
    assert titles(q="energetiques") == ["montargis-energie"]


def test_every_word_must_match_and_stop_words_are_ignored(base) -> None:
    assert titles(q="le décrochage de la rénovation") == []
    assert titles(q="la le de") == titles()


def test_partner_names_are_searched(base) -> None:
    assert titles(q="persee3c") == ["montargis-energie"]


def test_region_and_objective_keep_vitawin(base) -> None:
    found = titles(
        q="décrochage", filters={"region": ["11"], "objective": ["co-construction-territoriale"]}
    )
    assert found == ["vitawin-q2er"]
    assert titles(q="décrochage", filters={"region": ["24"]}) == []


def test_or_within_a_facet_and_across_facets(base) -> None:
    both = titles(filters={"objective": ["performance-engagement", "innovation-societale"]})
    assert sorted(both) == ["montargis-energie", "vitawin-q2er"]
    assert titles(
        filters={
            "objective": ["performance-engagement", "innovation-societale"],
            "impact": ["confiance"],
        }
    ) == ["vitawin-q2er"]


def test_commune_finds_fiches_of_its_ept_and_national_ones(base) -> None:
    assert sorted(titles(territory="94018")) == ["fonds-odd17", "vitawin-q2er"]
    assert sorted(titles(territory="45208")) == ["fonds-odd17", "montargis-energie"]


def test_region_finds_fiches_located_inside_it(base) -> None:
    assert sorted(titles(territory="REG-11")) == ["fonds-odd17", "vitawin-q2er"]
    assert sorted(titles(territory="FR")) == ["fonds-odd17", "montargis-energie", "vitawin-q2er"]


def test_facet_counts_ignore_their_own_selection(base) -> None:
    result = run(SearchParams(filters={"region": ["11"]}))
    regions = {fc.code: (fc.count, fc.selected) for fc in result.facets["region"]}
    assert regions == {"11": (1, True), "24": (1, False)}
    objectives = {fc.code: fc.count for fc in result.facets["objective"]}
    assert objectives == {"co-construction-territoriale": 1, "innovation-societale": 1}
    assert [fc.label for fc in result.facets["objective"]] == [
        "Innover (innovation sociétale)",
        "Co-construire localement (projets de territoire)",
    ]


def test_drafts_and_synthetic_fiches_are_not_public(base, make_fiche) -> None:
    make_fiche({**base["vitawin"].raw_record, "import_id": "brouillon"}, state="draft")
    synthetic = make_fiche({**base["vitawin"].raw_record, "import_id": "synthetique"})
    synthetic.is_synthetic = True
    synthetic.save()
    assert titles(q="décrochage") == ["vitawin-q2er"]
    assert len(titles(q="décrochage", include_synthetic=True)) == 2


def test_title_ranks_before_description(base, make_fiche) -> None:
    make_fiche(
        {
            **base["energie"].raw_record,
            "import_id": "autre",
            "title": "Un atelier de quartier",
            "description": "On y parle de montargis.",
        }
    )
    assert titles(q="montargis")[0] == "montargis-energie"


def test_large_result_sets_are_ranked_by_bm25_the_same_way(base, make_fiche, monkeypatch) -> None:
    from observatoire.platform.alliances.search import sqlite_fts5

    make_fiche(
        {
            **base["energie"].raw_record,
            "import_id": "autre",
            "title": "Un atelier de quartier",
            "description": "On y parle de montargis.",
        }
    )
    monkeypatch.setattr(sqlite_fts5, "_SCORE_HERE", 0)
    assert titles(q="montargis") == ["montargis-energie", "autre"]


def test_bad_parameters_are_input_errors(base) -> None:
    with pytest.raises(InputError, match="unknown facet"):
        SearchParams(filters={"couleur": ["bleu"]})
    with pytest.raises(InputError):
        run(SearchParams(territory="99999"))
    with pytest.raises(InputError, match="say which one"):
        run(SearchParams(territory="11"))


def test_each_facet_count_is_the_result_count_of_choosing_that_code(base) -> None:
    """With two facets selected, a code's count is what the visitor gets by choosing it instead
    (its own facet's selection replaced, the other kept), and unselected facets count matches."""
    chosen = {"objective": ["performance-engagement", "innovation-societale"], "region": ["11"]}
    result = run(SearchParams(filters=chosen))
    for name, items in result.facets.items():
        for fc in items:
            filters = {**chosen, name: [fc.code]} if name in chosen else chosen
            extra = {} if name in chosen else {name: [fc.code]}
            assert fc.count == run(SearchParams(filters={**filters, **extra})).count, (name, fc)
    assert sum(fc.count for fc in result.facets["region"]) > result.count


def test_deleted_fiches_leave_no_text_index_rows(base) -> None:
    from django.db import connection

    vitawin = base["vitawin"]
    pk = vitawin.pk
    vitawin.delete()
    assert titles(q="décrochage") == []
    if connection.vendor == "sqlite":  # PostgreSQL keeps the vector in the deleted row itself
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM alliances_fts WHERE rowid = %s", [pk])
            assert cursor.fetchone()[0] == 0
