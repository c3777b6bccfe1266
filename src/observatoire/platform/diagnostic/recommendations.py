"""What to look at next, each with "why this": fiches of the base of alliances, support
structures (the support app's orientation service, « la bonne porte »), and pages to read.

Fiches come from the alliances search service (several searches: the door's objective around the
commune, anything around the commune, the door with the actor type or the fragilities anywhere),
then are ranked by what they share with the respondent: the door's objective, closeness (commune,
intercommunality or EPT, department, region, France: the search's territory up and down), a
partner of the same type, fragilities, innovation stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from observatoire import territory, vocabularies
from observatoire.errors import InputError
from observatoire.platform.alliances import places
from observatoire.platform.alliances.search.faceted import SearchParams, find
from observatoire.platform.alliances.search.summaries import summaries
from observatoire.platform.results import published
from observatoire.platform.support.orientation import Orientation, clean_query, orient

MAX_FICHES = 6
MAX_STRUCTURES = 4
_PER_SEARCH = 20


@dataclass(frozen=True)
class Recommendation:
    title: str
    url: str
    summary: str
    why: tuple[str, ...]
    fictitious: bool = False


@dataclass(frozen=True)
class Profile:
    """What the recommendations read of a respondent."""

    actor_type: str
    commune: territory.Territory
    door: str
    fragilities: tuple[str, ...] = ()
    stage: str | None = None
    needs: tuple[str, ...] = ()  # forms of support (SUPPORT_FORMS codes)
    employment: str = ""  # employeuse / non-employeuse (associations)
    size: str = ""  # ORGANISATION_SIZES code
    language: str = "fr"


def alliances(profile: Profile) -> list[Recommendation]:
    """Up to six fiches, best first (fewer only when the base holds fewer that fit)."""
    commune = profile.commune
    department = f"DEP-{commune.department}" if commune.department else ""
    searches: list[tuple[str, dict[str, list[str]]]] = [
        (commune.code, {"objective": [profile.door]}),
        (commune.code, {}),
        (department, {"objective": [profile.door]}),
        ("", {"objective": [profile.door], "actor_type": [profile.actor_type]}),
    ]
    if profile.fragilities:
        searches.append(("", {"objective": [profile.door], "fragility": list(profile.fragilities)}))
    ids: dict[int, None] = {}
    for where, filters in searches:
        if where == "" and filters == {}:
            continue
        params = SearchParams(territory=where, filters=filters, per_page=_PER_SEARCH)
        ids.update(dict.fromkeys(find(params, profile.language).ids))
    ranked = sorted(
        (_ranked(record, profile) for record in summaries(list(ids))),
        key=lambda pair: (-pair[0], pair[1].title),
    )
    return [recommendation for _score, recommendation in ranked[:MAX_FICHES]]


def _ranked(record: dict[str, Any], profile: Profile) -> tuple[int, Recommendation]:
    language = profile.language
    score, why = 0, []
    if profile.door in record["objectives"]:
        score += 4
        door = vocabularies.OBJECTIVES[profile.door].label(language)
        why.append(
            _("Elle poursuit l'objectif de votre porte d'entrée : « %(door)s ».") % {"door": door}
        )
    closeness, where = _closeness(record["territories"], profile.commune, language)
    score += closeness
    if where:
        why.append(where)
    if any(p["actor_type"] == profile.actor_type for p in record["partners"]):
        score += 1
        kind = vocabularies.ACTOR_TYPES[profile.actor_type].label(language).lower()
        why.append(_("Parmi ses partenaires : des %(kind)s, comme vous.") % {"kind": kind})
    shared = [
        f
        for f in vocabularies.FRAGILITIES.codes
        if f in record["fragilities"] and f in profile.fragilities
    ]
    if shared:
        score += min(len(shared), 2)
        names = ", ".join(vocabularies.FRAGILITIES[f].label(language).lower() for f in shared)
        why.append(_("Elle agit sur ce que vous avez cité : %(names)s.") % {"names": names})
    if profile.stage and record["innovation_stage"] == profile.stage:
        score += 1
        stage = vocabularies.INNOVATION_STAGES[profile.stage].label(language).lower()
        why.append(
            _("Son innovation en est au même stade que la vôtre : %(stage)s.") % {"stage": stage}
        )
    return score, Recommendation(record["title"], record["url"], record["summary"], tuple(why))


def _closeness(
    territories: Sequence[dict[str, str]], commune: territory.Territory, language: str
) -> tuple[int, str]:
    """How close the fiche is to the commune (5 = in it … 1 = France), and said in words."""
    around = {a.ref: a for a in territory.ancestors(commune)}
    best: tuple[int, str] = (-1, "")
    for item in territories:
        try:
            place = places.place(item["code"])
        except InputError:
            continue
        if place.key == commune.ref:
            found = (5, _("Dans votre commune, %(name)s.") % {"name": commune.name})
        elif place.key == "FR":
            found = (1, _("Une alliance d'ampleur nationale."))
        else:
            shared = around.get(place.key) or next(
                (around[a] for a in place.ancestors if a in around and a != "FR"), None
            )
            found = (
                _level(shared)
                if shared
                else (0, _("Ailleurs en France : %(name)s.") % {"name": place.name})
            )
        best = max(best, found, key=lambda pair: pair[0])
    return max(best[0], 0), best[1]


def _level(t: territory.Territory) -> tuple[int, str]:
    if t.kind in ("ept", "epci"):
        return 4, _("Sur votre territoire : %(name)s.") % {"name": t.name}
    if t.kind == "department":
        return 3, _("Dans votre département : %(name)s.") % {"name": t.name}
    return 2, _("Dans votre région : %(name)s.") % {"name": t.name}


def orientation(profile: Profile, *, needs: bool = True) -> Orientation:
    """The support structures' services for this respondent and need (the support app's rules:
    employer or not, needs, stage, the door as objective; then coverage, distance, rotation).
    `needs=False` asks for the general doors of the profile, whatever the need."""
    query = clean_query(
        actor_type=profile.actor_type,
        commune=profile.commune.code,
        needs=profile.needs if needs else (),
        stage=profile.stage or "",
        employment=profile.employment,
        size=profile.size,
        objective=profile.door,
    )
    return orient(query, limit=MAX_STRUCTURES)


def structures(found: Orientation) -> list[Recommendation]:
    return [
        Recommendation(
            title=s.structure_name
            if s.service_name == s.structure_name
            else f"{s.structure_name} — {s.service_name}",
            url=s.url,
            summary=_("Couvre votre commune : %(zone)s.") % {"zone": s.zone_name},
            why=s.reasons,
            fictitious=s.is_fictitious,
        )
        for s in found.suggestions
    ]


def readings(profile: Profile) -> list[Recommendation]:
    """Pages of the observatory to read next: the region's results, the door's alliances."""
    out = []
    region = profile.commune.study_region
    # The regional pages read a study of one population (the citizens'); a study of several
    # (IMPACT-Acteurs) is compared with in `peers`, not read region by region.
    studies = [s for s in published.studies() if len(s.results.populations) == 1]
    for study in studies[:1]:
        if region and region in study.results.territories():
            name = territory.study_region_name(region)
            out.append(
                Recommendation(
                    title=_("Les résultats de l'étude %(study)s en %(region)s")
                    % {"study": study.title, "region": name},
                    url=reverse("results:region", args=[study.code, region]),
                    summary=_(
                        "Fragilités, santé du territoire et regard sur les alliances, "
                        "avec leurs marges d'erreur."
                    ),
                    why=(_("« La moyenne n'existe pas » : votre région a ses propres résultats."),),
                )
            )
    door = vocabularies.OBJECTIVES[profile.door].label(profile.language)
    query = urlencode({"objective": profile.door, "territory": profile.commune.code})
    out.append(
        Recommendation(
            title=_("Les alliances « %(door)s » autour de %(commune)s")
            % {"door": door, "commune": profile.commune.name},
            url=f"{reverse('alliances:list')}?{query}",
            summary=_(
                "La base des alliances, filtrée sur votre porte d'entrée et votre territoire."
            ),
            why=(
                _("Pour voir comment d'autres sont entrés par la même porte, près de chez vous."),
            ),
        )
    )
    return out
