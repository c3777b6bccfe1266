"""« La bonne porte »: who (actor type, size, employer or not), where (a commune), what need
(forms of support, stage, objective) → the services to knock at, ranked, each with why.

    >>> query = clean_query(actor_type="associations", commune="94018", employment="employeuse",
    ...                     needs=["ingenierie"])
    >>> result = orient(query)                       # doctest: +SKIP
    >>> [(s.structure_name, s.reasons) for s in result.suggestions]  # doctest: +SKIP

A service is *eligible* when one of its zones covers the commune (the commune itself or any
territory around it), it serves the actor type (an empty list serves all), and its employer /
non-employer, size and stage restrictions admit the person. Eligible services are ranked by:

1. the orientation rules (`orientation_rules.yaml`, shown on the page): the sum of the weights of
   the rules that apply to the person and name the service's type of structure (for a rule about
   needs, only the services that meet one of those needs);
2. how many of the stated needs the service meets;
3. the closest coverage zone (commune, then EPT, department, EPCI, region, France: smallest first);
4. the distance of the structure (`proximity`);
5. a rotation among services still tied, fixed for the day (as DORA does): the order of a hash of
   the day and the service, so each one leads equally often and the order holds all day.

Only the best-ranked service of each structure is kept, so a structure appears once.

A service is listed when it meets a need, a rule moves it up, or no need was stated. There is a
*zone blanche* when no local (sub-national) eligible service meets a stated need (or, with no
need stated, when there is no local eligible service at all); national services are still listed.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from observatoire import territory, vocabularies
from observatoire.errors import InputError
from observatoire.platform.funds.instruments import InstrumentMatch, eligible
from observatoire.platform.support import proximity, rules, zones
from observatoire.platform.support.models import Service, State
from observatoire.platform.support.validation import codes

DEFAULT_LIMIT = 8
MAX_LIMIT = 50
# The 7 forms of support, phrased as the needs a person would state (same codes).
NEED_PHRASES = {
    "donnees": gettext_lazy("Des données sur mon territoire"),
    "outils-ressources": gettext_lazy("Des outils et des ressources"),
    "reseaux": gettext_lazy("Trouver des partenaires, entrer dans un réseau"),
    "ingenierie": gettext_lazy("Être accompagné pour structurer mon projet (ingénierie)"),
    "dialogue-gouvernance": gettext_lazy(
        "Organiser le dialogue et la gouvernance entre partenaires"
    ),
    "financement-direct": gettext_lazy("Un financement"),
    "valorisation": gettext_lazy("Faire connaître mon action"),
}


@dataclass(frozen=True)
class Query:
    """A validated question: use `clean_query` to build one from user input."""

    actor_type: str
    commune: str  # current INSEE code of a commune
    needs: tuple[str, ...] = ()  # SUPPORT_FORMS codes
    stage: str = ""  # INNOVATION_STAGES code
    employment: str = ""  # ASSOCIATION_EMPLOYMENT code, associations only
    size: str = ""  # ORGANISATION_SIZES code
    objective: str = ""  # OBJECTIVES code


@dataclass(frozen=True)
class Suggestion:
    """One service to knock at, with what the page and the diagnostic need to show it."""

    service_id: int
    service_name: str
    structure_slug: str
    structure_name: str
    structure_type: str
    url: str  # the structure's page (language-neutral path)
    zone_ref: str  # the zone through which the service covers the commune
    zone_name: str
    is_local: bool  # covers the commune through a zone smaller than France
    proximity: proximity.Proximity
    needs_met: tuple[str, ...]
    rules: tuple[str, ...]  # codes of the rules that moved it (up or down)
    rule_weight: int
    reasons: tuple[str, ...]  # "why this door", in the active language
    is_fictitious: bool


@dataclass(frozen=True)
class Orientation:
    query: Query
    commune: territory.Territory
    day: datetime.date
    suggestions: tuple[Suggestion, ...]
    zone_blanche: bool
    rules_applied: tuple[rules.Rule, ...]
    eligible: int  # services that cover the commune and admit the person

    @property
    def has_fictitious(self) -> bool:
        return any(s.is_fictitious for s in self.suggestions)


def _one(value: str | None, vocabulary: vocabularies.Vocabulary, name: str) -> str:
    text = (value or "").strip()
    if text and text not in vocabulary:
        raise InputError(
            f"unknown code {text!r} (allowed: {', '.join(vocabulary.codes)})", field=name
        )
    return text


def commune_of(code: str, name: str = "commune") -> territory.Territory:
    """The current commune of an INSEE code (former codes resolve to their successor)."""
    try:
        t = zones.get(code)
    except InputError as exc:
        raise InputError(exc.message, field=name) from None
    if t.kind != "commune":
        raise InputError(f"{code!r} is a {t.kind}: give the INSEE code of a commune", field=name)
    return t


class InvalidQuery(InputError):
    """Every bad field of a query at once: `errors` maps each field to what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"field {name!r}: {text}" for name, text in errors.items()))


def clean_query(
    *,
    actor_type: str,
    commune: str,
    needs: Iterable[str] = (),
    stage: str | None = "",
    employment: str | None = "",
    size: str | None = "",
    objective: str | None = "",
) -> Query:
    """Validate user input; raises InvalidQuery naming every bad field and unknown code.
    `employment` is kept for associations only (it means nothing for other actors)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    checks: dict[str, Callable[[], Any]] = {
        "actor_type": lambda: _one(actor_type, vocabularies.ACTOR_TYPES, "actor_type"),
        "commune": lambda: commune_of(commune).code,
        "needs": lambda: tuple(codes(list(needs), vocabularies.SUPPORT_FORMS, "need")),
        "stage": lambda: _one(stage, vocabularies.INNOVATION_STAGES, "stage"),
        "employment": lambda: _one(employment, vocabularies.ASSOCIATION_EMPLOYMENT, "employment"),
        "size": lambda: _one(size, vocabularies.ORGANISATION_SIZES, "size"),
        "objective": lambda: _one(objective, vocabularies.OBJECTIVES, "objective"),
    }
    for name, check in checks.items():
        try:
            values[name] = check()
        except InputError as exc:
            errors[exc.field or name] = exc.message
    if "actor_type" in values and not values["actor_type"]:
        errors["actor_type"] = "is required"
    if errors:
        raise InvalidQuery(errors)
    if values["actor_type"] != "associations":
        values["employment"] = ""
    return Query(**values)


def admits(service: Service, query: Query) -> bool:
    """Whether the service's restrictions (actor types, employer or not, size, stage) admit the
    person; an empty list restricts nothing, an unstated answer passes."""
    if service.actor_types and query.actor_type not in service.actor_types:
        return False
    employment = service.association_employment if query.actor_type == "associations" else []
    checks = (
        (employment, query.employment),
        (service.sizes, query.size),
        (service.innovation_stages, query.stage),
    )
    return all(not allowed or not value or value in allowed for allowed, value in checks)


def rotation_key(day: datetime.date, service: Service) -> str:
    """The day's place of a service among its ties: stable all day, independent of the others."""
    text = f"{day.isoformat()}|{service.structure.slug}|{service.import_id}"
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class _Candidate:
    service: Service
    zone: territory.Territory
    closeness: int
    needs_met: tuple[str, ...]
    proximity: proximity.Proximity

    @property
    def is_local(self) -> bool:
        return self.zone.kind != "country"


def _candidates(query: Query, place: territory.Territory) -> list[_Candidate]:
    covering = zones.covering_refs(place.ref)
    services = (
        Service.objects.filter(
            structure__state=State.PUBLISHED, coverage__relation="zone", coverage__key__in=covering
        )
        .select_related("structure")
        .distinct()
    )
    out = []
    for service in services:
        if not admits(service, query):
            continue
        closeness = min(covering.index(z) for z in service.zones if z in covering)
        out.append(
            _Candidate(
                service=service,
                zone=zones.get(covering[closeness]),
                closeness=closeness,
                needs_met=tuple(n for n in query.needs if n in service.support_forms),
                proximity=proximity.proximity(service.structure.commune, place),
            )
        )
    return out


def _labels(vocabulary: vocabularies.Vocabulary, items: Iterable[str]) -> str:
    language = get_language() or "fr"
    return ", ".join(vocabulary[c].label(language) for c in items)


def _reasons(c: _Candidate, moved_by: list[rules.Rule]) -> tuple[str, ...]:
    out = [r.why() for r in moved_by if r.weight > 0]
    if c.needs_met:
        out.append(
            _("Répond à votre besoin : %(needs)s")
            % {"needs": _labels(vocabularies.SUPPORT_FORMS, c.needs_met)}
        )
    if c.is_local:
        out.append(_("Couvre %(zone)s, où se trouve votre commune") % {"zone": c.zone.name})
    else:
        out.append(_("Réseau national : couvre toute la France"))
    step = c.proximity.step
    if step == "commune":
        out.append(_("Située dans votre commune"))
    elif step == "group":
        out.append(_("Située dans votre intercommunalité"))
    elif step == "department":
        out.append(_("Située dans votre département"))
    elif step == "distance" and c.proximity.km is not None:
        out.append(
            _("À environ %(km)s km (distance entre les centres des départements)")
            % {"km": round(c.proximity.km)}
        )
    out += [r.why() for r in moved_by if r.weight < 0]
    if c.service.structure.is_fictitious:
        out.append(_("Structure fictive, créée pour la démonstration"))
    return tuple(out)


def _first_per_structure(ranked: list[_Candidate]) -> list[_Candidate]:
    seen: set[int] = set()
    out = []
    for c in ranked:
        if c.service.structure_id not in seen:
            seen.add(c.service.structure_id)
            out.append(c)
    return out


def orient(
    query: Query, *, day: datetime.date | None = None, limit: int = DEFAULT_LIMIT
) -> Orientation:
    """The ranked services for the query (see the module docstring for the order)."""
    day = day or datetime.date.today()
    limit = max(1, min(limit, MAX_LIMIT))
    place = commune_of(query.commune)
    candidates = _candidates(query, place)
    zone_blanche = not any(c.is_local and (c.needs_met or not query.needs) for c in candidates)
    situation = rules.Situation(
        actor_type=query.actor_type,
        employment=query.employment,
        needs=query.needs,
        stage=query.stage,
        objective=query.objective,
        size=query.size,
        zone_blanche=zone_blanche,
    )
    applied = tuple(r for r in rules.rules() if r.applies(situation))

    def moved_by(c: _Candidate) -> list[rules.Rule]:
        kind, forms = c.service.structure.structure_type, c.service.support_forms
        return [r for r in applied if r.points_to(kind, forms, situation)]

    weights = {c.service.pk: sum(r.weight for r in moved_by(c)) for c in candidates}
    listed = [c for c in candidates if c.needs_met or weights[c.service.pk] > 0 or not query.needs]
    listed.sort(
        key=lambda c: (
            -weights[c.service.pk],
            -len(c.needs_met),
            c.closeness,
            c.proximity.rank,
            rotation_key(day, c.service),
        )
    )
    best = _first_per_structure(listed)
    suggestions = tuple(
        Suggestion(
            service_id=c.service.pk,
            service_name=c.service.name,
            structure_slug=c.service.structure.slug,
            structure_name=c.service.structure.name,
            structure_type=c.service.structure.structure_type,
            url=c.service.structure.get_absolute_url(),
            zone_ref=c.zone.ref,
            zone_name=c.zone.name,
            is_local=c.is_local,
            proximity=c.proximity,
            needs_met=c.needs_met,
            rules=tuple(r.code for r in moved_by(c)),
            rule_weight=weights[c.service.pk],
            reasons=_reasons(c, moved_by(c)),
            is_fictitious=c.service.structure.is_fictitious,
        )
        for c in best[:limit]
    )
    return Orientation(
        query=query,
        commune=place,
        day=day,
        suggestions=suggestions,
        zone_blanche=zone_blanche,
        rules_applied=applied,
        eligible=len(candidates),
    )


def funding(query: Query) -> list[InstrumentMatch]:
    """The funding instruments of the funds app that fit the person and their stated needs
    (eligible first, then those with a condition to check); none when no need is stated, since a
    first orientation comes before money."""
    if not query.needs:
        return []
    return eligible(query.actor_type, stage=query.stage, need=query.needs, territory=query.commune)
