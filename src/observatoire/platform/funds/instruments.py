"""Which funding instruments fit an applicant, and why: the service the orientation calls.

    from observatoire.platform.funds.instruments import eligible
    eligible("associations", stage="deploiement", need="ingenierie", territory="94018",
             facts={"scaling_ambition": True})

Each published instrument is kept when its target actor types, stages, support forms and
territories admit the applicant (an empty list on the instrument means that the sources state no
restriction) and none of its eligibility rules is false; a rule that needs a fact the caller did
not give becomes something "to check", listed with the instrument rather than hiding it. Closed
instruments are never proposed. Every reason is a sentence in the active language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.translation import get_language, gettext

from observatoire import vocabularies
from observatoire.errors import InputError
from observatoire.platform.alliances import places
from observatoire.platform.funds import access, eligibility
from observatoire.platform.funds.models import Availability, Instrument


@dataclass(frozen=True)
class InstrumentMatch:
    slug: str
    name: str
    operator: str
    kinds: tuple[str, ...]
    summary: str
    url: str  # the operator's site, or ""
    page: str  # the instrument's page on the platform
    fund: str | None  # slug of the fund behind it, if recorded
    status: Literal["eligible", "to-check"]
    reasons: tuple[str, ...]  # why it is proposed
    to_check: tuple[str, ...]  # conditions the caller's facts could not decide


def _label(vocabulary: vocabularies.Vocabulary, code: str) -> str:
    return vocabulary[code].label(get_language() or "fr")


def _check(code: str, vocabulary: vocabularies.Vocabulary, name: str) -> str:
    code = (code or "").strip()
    if code and code not in vocabulary:
        raise InputError(
            f"unknown code {code!r} (allowed: {', '.join(vocabulary.codes)})", field=name
        )
    return code


def _within(instrument: Instrument, place: places.Place | None) -> bool | None:
    """True if the place lies in the instrument's territories, None if either is unknown."""
    if not instrument.territories or place is None:
        return None
    keys = {place.key, *place.ancestors}
    return any(places.place(ref).key in keys for ref in instrument.territories)


def _match(
    instrument: Instrument,
    actor_type: str,
    stage: str,
    needs: tuple[str, ...],
    place: places.Place | None,
    facts: Mapping[str, float | bool],
) -> InstrumentMatch | None:
    reasons: list[str] = []
    to_check: list[str] = []
    for code, allowed, vocabulary, text in (
        (actor_type, instrument.actor_types, vocabularies.ACTOR_TYPES, gettext("Public visé : %s")),
        (stage, instrument.stages, vocabularies.INNOVATION_STAGES, gettext("Étape visée : %s")),
    ):
        if code and allowed:
            if code not in allowed:
                return None
            reasons.append(text % _label(vocabulary, code))
    if needs and instrument.support_forms:
        met = [n for n in needs if n in instrument.support_forms]
        if not met:
            return None
        labels = ", ".join(_label(vocabularies.SUPPORT_FORMS, n) for n in met)
        reasons.append(gettext("Apporte : %s") % labels)
    within = _within(instrument, place)
    if within is False:
        return None
    if within:
        names = ", ".join(places.name(ref) for ref in instrument.territories)
        reasons.append(gettext("Territoire couvert : %s") % names)
    for rule in instrument.eligibility:
        verdict = eligibility.evaluate(rule, facts)
        if verdict is False:
            return None
        (reasons if verdict else to_check).append(rule["label"])
    if instrument.availability == Availability.UNKNOWN:
        to_check.append(gettext("Disponibilité à vérifier auprès de l'opérateur"))
    return InstrumentMatch(
        slug=instrument.slug,
        name=instrument.name,
        operator=instrument.operator,
        kinds=tuple(instrument.kinds),
        summary=instrument.summary,
        url=instrument.url,
        page=instrument.get_absolute_url(),
        fund=instrument.fund.slug if instrument.fund else None,
        status="to-check" if to_check else "eligible",
        reasons=tuple(reasons),
        to_check=tuple(to_check),
    )


def eligible(
    actor_type: str = "",
    stage: str = "",
    need: str | Iterable[str] = "",
    territory: str = "",
    facts: Mapping[str, Any] | None = None,
    *,
    user: object = None,
) -> list[InstrumentMatch]:
    """The instruments that fit, most specific first (eligible before "to check").

    `actor_type` is an ACTOR_TYPES code, `stage` an INNOVATION_STAGES code, `need` a
    SUPPORT_FORMS code or several (an instrument providing any of them fits), `territory` an
    INSEE reference (commune, EPCI/EPT, department, region); each may be empty (no filter).
    `facts` are the applicant's facts named in `eligibility.CRITERIA` (age_years, revenue_eur,
    fte, scaling_ambition, multi_actor).
    `user` widens the set to the unpublished instruments that user may see.
    Raises InputError naming the argument when a code or a fact is unknown.
    """
    actor_type = _check(actor_type, vocabularies.ACTOR_TYPES, "actor_type")
    stage = _check(stage, vocabularies.INNOVATION_STAGES, "stage")
    needs = tuple(
        dict.fromkeys(
            _check(n, vocabularies.SUPPORT_FORMS, "need")
            for n in ([need] if isinstance(need, str) else need)
            if n.strip()
        )
    )
    place = None
    if territory.strip():
        try:
            place = places.place(territory.strip()[:20])
        except InputError as exc:
            raise InputError(exc.message, field="territory") from None
    known = eligibility.clean_facts(facts)
    found = []
    for instrument in access.visible_instruments(user).exclude(availability=Availability.CLOSED):
        match = _match(instrument, actor_type, stage, needs, place, known)
        if match is not None:
            found.append(match)
    return sorted(found, key=lambda m: (m.status != "eligible", -len(m.reasons), m.name))
