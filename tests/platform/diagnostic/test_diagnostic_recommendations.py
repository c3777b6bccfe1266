"""Recommended fiches: from the alliances search, ranked by what they share with the respondent,
each saying why."""

from __future__ import annotations

import pytest

from observatoire import territory, vocabularies
from observatoire.platform.diagnostic import recommendations
from observatoire.platform.diagnostic.recommendations import Profile

pytestmark = pytest.mark.usefixtures("seed")


def _profile(door: str, commune: str = "94018", **extra: object) -> Profile:
    return Profile(
        actor_type=str(extra.get("actor_type", "associations")),
        commune=territory.get(commune, "commune"),
        door=door,
        fragilities=tuple(extra.get("fragilities", ("education",))),  # type: ignore[arg-type]
        stage=extra.get("stage"),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("door", vocabularies.OBJECTIVES.codes)
def test_three_to_six_fiches_for_every_door(door: str) -> None:
    found = recommendations.alliances(_profile(door))
    assert 3 <= len(found) <= 6
    assert all(r.why for r in found)


def test_charenton_gets_the_fiches_of_its_ept_with_why() -> None:
    found = recommendations.alliances(_profile("co-construction-territoriale"))
    titles = [r.title for r in found]
    assert any("Q2ER et VitaWin" in t for t in titles)
    vitawin = next(r for r in found if "Q2ER" in r.title)
    assert "Sur votre territoire : Paris Est Marne et Bois." in vitawin.why
    assert any("porte d'entrée" in w for w in vitawin.why)
    assert any("éducation" in w for w in vitawin.why)
    local = [
        r for r in found if any(w.startswith(("Dans votre commune", "Sur votre")) for w in r.why)
    ]
    assert titles[: len(local)] == [r.title for r in local]  # the local ones first


def test_far_away_fiches_say_where_they_are() -> None:
    found = recommendations.alliances(_profile("innovation-societale", commune="18052"))
    whys = [w for r in found for w in r.why]
    assert not any(w.startswith("Sur votre territoire") for w in whys)
    assert any(w == "Une alliance d'ampleur nationale." for w in whys)


def test_readings_point_to_the_region_and_the_door(published: object) -> None:
    found = recommendations.readings(_profile("performance-engagement"))
    assert found[0].url == "/resultats/impact-citoyens/regions/11/"
    assert (
        "objective=performance-engagement" in found[-1].url and "territory=94018" in found[-1].url
    )


def test_readings_skip_a_study_of_several_populations(
    published: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """IMPACT-Acteurs sorts before IMPACT-Citoyens but has no regional pages of one population:
    the region's reading stays the citizens' study."""
    from types import SimpleNamespace

    from observatoire.platform.results import published as results

    citizens = results.studies()
    actors = SimpleNamespace(
        code="impact-acteurs",
        title="IMPACT-Acteurs",
        results=SimpleNamespace(populations=("citoyens", "entreprises"), territories=lambda: []),
    )
    monkeypatch.setattr(results, "studies", lambda: [actors, *citizens])
    found = recommendations.readings(_profile("performance-engagement"))
    assert found[0].url == "/resultats/impact-citoyens/regions/11/"
