"""A seeded generator of synthetic fiches for benchmarks: flagged `is_synthetic`, never public.

The text mixes a fixed French vocabulary so that full-text queries have realistic selectivity;
territories are drawn from the real communes, departments and regions, so up/down matching and
territorial facets have real work to do. The same seed gives the same fiches.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from observatoire import territory, vocabularies
from observatoire.platform.alliances import places
from observatoire.platform.alliances.models import Alliance, Partner, State
from observatoire.platform.alliances.search import indexing

_ACTIONS = [
    "Alliance pour",
    "Coopération territoriale pour",
    "Programme partagé d'",
    "Collectif local pour",
    "Fonds commun pour",
    "Plateforme d'",
]
_THEMES = [
    "la transition énergétique",
    "la rénovation énergétique des logements",
    "la lutte contre le décrochage scolaire",
    "l'insertion professionnelle des jeunes",
    "la mobilité solidaire",
    "l'inclusion numérique",
    "l'accompagnement des aidants",
    "l'économie circulaire",
    "la santé de proximité",
    "la biodiversité urbaine",
    "l'alimentation durable",
    "le lien intergénérationnel",
    "l'accès à la culture",
    "la création d'entreprises",
]
_SENTENCES = [
    "Les partenaires mutualisent leurs compétences et leurs moyens.",
    "Une gouvernance partagée réunit élus, entreprises et associations chaque trimestre.",
    "Le projet s'appuie sur un diagnostic territorial des fragilités.",
    "Des bénévoles et des salariés accompagnent les bénéficiaires.",
    "Les résultats sont mesurés avec des indicateurs communs et spécifiques.",
    "Le dispositif essaime vers d'autres communes du département.",
    "Un fonds de dotation finance l'ingénierie de l'alliance.",
    "Les habitants participent à la conception des actions.",
]
_ORGS = ["Association", "Fondation", "Entreprise", "Commune", "Université", "Coopérative"]


def _codes(rng: random.Random, vocabulary: vocabularies.Vocabulary, most: int) -> list[str]:
    return rng.sample(list(vocabulary.codes), rng.randint(1, most))


def _territory_pool() -> list[str]:
    """Real codes, mostly communes, some departments and regions, and France."""

    def keys(kind: str) -> list[str]:
        return sorted(places.key_of(t) for t in territory.descendants("FR", kinds=(kind,)))

    regions, departments, communes = keys("region"), keys("department"), keys("commune")
    return communes[::7] + departments * 20 + regions * 20 + ["FR"] * 50


def generate(n: int, seed: int = 17, report: Callable[[int], None] = lambda _done: None) -> int:
    """Create `n` published synthetic fiches (seeded); returns the number created."""
    rng = random.Random(seed)
    pool = _territory_pool()
    start = Alliance.objects.filter(is_synthetic=True).count()
    done = 0
    while done < n:
        size = min(2000, n - done)
        with transaction.atomic():
            batch = [_fiche(rng, start + done + i, pool) for i in range(size)]
            Alliance.objects.bulk_create(batch)
            created = list(Alliance.objects.filter(slug__in=[a.slug for a in batch]).order_by("id"))
            Partner.objects.bulk_create(
                Partner(
                    alliance=a,
                    position=k,
                    name=f"{rng.choice(_ORGS)} {rng.randint(1, 5000)}",
                    actor_type=rng.choice(vocabularies.ACTOR_TYPES.codes),
                    size=rng.choice(vocabularies.ORGANISATION_SIZES.codes),
                    role="partenaire",
                )
                for a in created
                for k in range(rng.randint(1, 4))
            )
            indexing.reindex(created)
        done += size
        report(done)
    return done


def _fiche(rng: random.Random, number: int, pool: list[str]) -> Alliance:
    theme = rng.choice(_THEMES)
    title = f"{rng.choice(_ACTIONS)} {theme} n° {number + 1}"
    return Alliance(
        slug=f"synthetique-{number + 1}",
        title=title,
        summary=f"Une alliance synthétique consacrée à {theme}.",
        description=" ".join(rng.sample(_SENTENCES, 4)),
        territories=rng.sample(pool, rng.randint(1, 2)),
        objectives=_codes(rng, vocabularies.OBJECTIVES, 2),
        impacts=_codes(rng, vocabularies.IMPACTS, 2),
        partnership_categories=_codes(rng, vocabularies.PARTNERSHIP_CATEGORIES, 2),
        fragilities=_codes(rng, vocabularies.FRAGILITIES, 3),
        support_forms=_codes(rng, vocabularies.SUPPORT_FORMS, 2),
        innovation_stage=rng.choice(vocabularies.INNOVATION_STAGES.codes),
        licence="CC0 1.0",
        source_name="synthetic",
        import_id=f"synthetique-{number + 1}",
        state=State.PUBLISHED,
        is_synthetic=True,
        published_at=timezone.now(),
    )
