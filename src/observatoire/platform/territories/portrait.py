"""A territory's portrait: what the studies say about it, who acts there, who supports it.

"La moyenne n'existe pas": each published study is read through the domains that contain the
territory (its study region, the communes of its size class, France), every figure with its
interval and base, a difference shown only where the pipeline found it significant; then the
alliances located in it or within it and those of the territories around it (the base of
alliances' own matching, up and down), and the support structures whose zones cover it or lie
within it (the directory's own matching). Views render this; nothing here is HTML.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.urls import reverse

from observatoire import territory
from observatoire.platform.alliances import search as alliance_search
from observatoire.platform.alliances.models import Alliance, FacetValue, State
from observatoire.platform.alliances.search import facets
from observatoire.platform.alliances.search.faceted import base_queryset
from observatoire.platform.results import published
from observatoire.platform.results.charts import (
    Chart,
    TableRow,
    domain_name,
    portrait_charts,
    table,
)
from observatoire.platform.results.domains import (
    Domain,
    Place,
    chart_query,
    domains,
    size_text,
    standing,
)
from observatoire.platform.results.headlines import Headline, Headlines, headlines_of
from observatoire.platform.results.memo import Memo
from observatoire.platform.results.selection import PREVIOUS_WAVE, REST, Query, select, size_profile
from observatoire.platform.support import directory
from observatoire.results_contract import Indicator, formats
from observatoire.territory.names import fold

ALLIANCES_SHOWN = 6
STRUCTURES_SHOWN = 8
TOP = 3  # fragilities in the key figures
KIND_LABELS = {
    "fr": {
        "country": "Pays",
        "region": "Région",
        "department": "Département",
        "epci": "Intercommunalité (EPCI)",
        "ept": "Établissement public territorial",
        "commune": "Commune",
    },
    "en": {
        "country": "Country",
        "region": "Region",
        "department": "Department",
        "epci": "Intercommunal body (EPCI)",
        "ept": "Territorial public body (EPT)",
        "commune": "Commune",
    },
}


KIND_PLURALS = {
    "fr": {
        "region": "régions",
        "department": "départements",
        "epci": "intercommunalités (EPCI)",
        "ept": "établissements publics territoriaux",
        "commune": "communes",
    },
    "en": {
        "region": "regions",
        "department": "departments",
        "epci": "intercommunal bodies (EPCI)",
        "ept": "territorial public bodies (EPT)",
        "commune": "communes",
    },
}


def kind_label(kind: str, language: str) -> str:
    return KIND_LABELS["en" if language.startswith("en") else "fr"][kind]


def kinds_label(kind: str, count: int, language: str) -> str:
    """ "13 communes", "1 département": how many territories of a kind."""
    if count == 1:
        return f"1 {kind_label(kind, language).lower()}"
    plural = KIND_PLURALS["en" if language.startswith("en") else "fr"][kind]
    return f"{formats.count(count, language=language)} {plural}"


def url(t: territory.Territory) -> str:
    """A territory's portrait: a commune by its INSEE code, others by their reference."""
    code = t.code if t.kind == "commune" else t.ref
    return reverse("territories:portrait", args=[code])


@dataclass(frozen=True)
class Cell:
    domain: str  # whose figure, for the phone layout
    value: str
    interval: str
    base: str
    mark: str  # "▲", "▼" or "" (significant differences only)
    against: str  # what the mark compares with


@dataclass(frozen=True)
class Line:
    label: str
    cells: list[Cell]


@dataclass
class StudyReading:
    study: published.PublishedStudy
    domains: list[tuple[Domain, str]]  # each domain and its name
    lines: list[Line]
    charts: list[tuple[Chart, list[TableRow]]]  # each chart and its data table
    region: str | None  # the study region's results page, if any
    chart_query: str  # the charts' query string: the same for every place of these domains
    key: str  # what the reading depends on (publication, domains), for fragment caching


@dataclass(frozen=True)
class Group:
    """Alliances of one territory (the place itself and within it, or one around it)."""

    label: str
    territory: str  # its reference, for the full search
    count: int
    alliances: list[dict[str, Any]]


@dataclass
class Portrait:
    place: Place
    territory: territory.Territory
    kind: str
    size: str | None
    up: list[tuple[str, str, str]]  # (kind, name, url) of the territories around it
    down: list[tuple[str, str]]  # (name, url) of the territories one level inside it
    down_counts: list[str]  # how many territories of each kind it holds: "13 communes"
    readings: list[StudyReading] = field(default_factory=list)
    alliances: list[Group] = field(default_factory=list)
    support: directory.Result | None = None
    language: str = "fr"

    @property
    def code(self) -> str:
        """As in the portrait's address: a commune's INSEE code, any other's reference."""
        return self.place.code if self.place.kind == "commune" else self.place.ref

    @property
    def alliances_url(self) -> str:
        return f"{reverse('alliances:list')}?territory={self.place.ref}"

    @property
    def support_url(self) -> str:
        return f"{reverse('support:list')}?territory={self.place.ref}"

    @property
    def synthetic_notices(self) -> list[str]:
        return [r.study.notice for r in self.readings if r.study.synthetic]


# The territories one level inside each kind, listed on its portrait.
NEXT_LEVEL = {
    "region": ("department",),
    "department": ("epci", "ept"),
    "epci": ("ept", "commune"),
    "ept": ("commune",),
}


def portrait(where: Place, language: str) -> Portrait:
    t = territory.get(where.code, where.kind)
    inside = territory.descendants(t) if t.kind != "commune" else []
    counts: dict[str, int] = {}
    for child in inside:
        counts[child.kind] = counts.get(child.kind, 0) + 1
    next_level = NEXT_LEVEL.get(t.kind, ())
    if t.kind == "epci" and any(c.kind == "ept" for c in inside):
        next_level = ("ept",)  # the Métropole du Grand Paris: its EPTs hold its communes
    down = sorted(
        ((c.name, url(c)) for c in inside if c.kind in next_level), key=lambda pair: fold(pair[0])
    )
    return Portrait(
        place=where,
        territory=t,
        kind=kind_label(t.kind, language),
        size=size_text(t.size_class, language) if t.size_class else None,
        up=[
            (kind_label(a.kind, language), a.name, url(a))
            for a in territory.ancestors(t)
            if a.kind != "country"
        ],
        down=down,
        down_counts=[kinds_label(kind, count, language) for kind, count in counts.items()],
        readings=[r for s in published.studies() if (r := reading(s, where, language))],
        alliances=alliance_groups(where),
        support=directory.search(
            directory.clean_filters(territory=where.ref, per_page=STRUCTURES_SHOWN)
        ),
        language=language,
    )


_readings: Memo[StudyReading | None] = Memo(256)  # study readings kept per process


def reading(study: published.PublishedStudy, where: Place, language: str) -> StudyReading | None:
    """The study's reading of a place, built once per publication and domains: every commune
    of a study region and size class reads the same figures."""
    key = (study.uid, tuple(domains(where, size_profile(study))), where.in_universe, language)
    return _readings.get(key, lambda: _reading(study, where, language, key))


def _reading(
    study: published.PublishedStudy, where: Place, language: str, key: tuple[Any, ...]
) -> StudyReading | None:
    """The study's key figures for the place's domains, and its charts (none for a territory
    outside the studies' universe: France's figures would be read as its own). A study of
    several populations (IMPACT-Acteurs) is read side by side on its own page, not here."""
    if not where.in_universe or len(study.results.populations) > 1:
        return None
    heads = headlines_of(study)
    size = size_profile(study)
    chosen = domains(where, size)
    figures = key_figures(study, heads, chosen[0])
    if not figures:
        return None
    named = [(d, _domain_label(d, language)) for d in chosen]
    short = [_domain_label(d, language, short=True) for d in chosen]
    lines = []
    for figure in figures:
        rows = select(
            Query(
                study=study.code,
                territory=where.ref,
                question=figure.question,
                indicator=figure.indicator,
            )
        ).rows
        by_domain = {
            (r["territory"], r["profile"], r["profile_level"]): r
            for r in rows
            if r["category"] == figure.category
        }
        cells = [
            _cell(by_domain.get((d.territory, d.profile, d.profile_level)), name, language)
            for d, name in zip(chosen, short, strict=True)
        ]
        lines.append(Line(figure.label, cells))
    region = (
        reverse("results:region", args=[study.code, where.study_region])
        if where.study_region and where.study_region in study.results.territories()
        else None
    )
    charts = [(c, table(c, language)) for c in portrait_charts(study, standing(where), language)]
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:24]
    return StudyReading(study, named, lines, charts, region, chart_query(where), digest)


def _domain_label(d: Domain, language: str, *, short: bool = False) -> str:
    row = {
        "territory": d.territory,
        "profile": d.profile,
        "profile_level": d.profile_level,
        "reading": d.reading,
    }
    return domain_name(row, language, short=short)


def key_figures(study: published.PublishedStudy, heads: Headlines, first: Domain) -> list[Headline]:
    """The « jouer collectif » net, the health of the territory, the first domain's top
    fragilities (means /10)."""
    out: list[Headline] = []
    if heads.collective_play and (net := heads.net(heads.collective_play)):
        out.append(
            Headline(
                net.question,
                net.indicator,
                net.category,
                f"{_question_label(study, net.question)} : {net.label}",
            )
        )
    if heads.health:
        rows = study.results.rows([Indicator.SHARE])
        out += [
            Headline(
                heads.health,
                str(Indicator.SHARE),
                r["category"],
                f"{r['question_label']} : {r['category_label']}",
            )
            for r in rows
            if r["question"] == heads.health
        ]
    if heads.fragilities:
        means = study.results.rows(
            [Indicator.MEAN],
            territory=first.territory,
            profile=first.profile,
            profile_level=first.profile_level,
        )
        ranked = sorted(
            (r for r in means if r["question"].startswith(f"{heads.fragilities}.")),
            key=lambda r: -(r["estimate"] or 0),
        )
        out += [
            Headline(r["question"], str(Indicator.MEAN), None, f"{r['question_label']} (/10)")
            for r in ranked[:TOP]
        ]
    return out


def _question_label(study: published.PublishedStudy, question: str) -> str:
    rows = study.results.rows([Indicator.SHARE, Indicator.GROUP])
    return next((str(r["question_label"]) for r in rows if r["question"] == question), question)


def _cell(row: dict[str, Any] | None, domain: str, language: str) -> Cell:
    if row is None or row["estimate"] is None:
        base = "" if row is None else formats.count(row["n"], language=language)
        return Cell(domain, formats.MISSING, "", base, "", "")
    indicator = row["indicator"]
    against = REST if row["reading"] != "france" else PREVIOUS_WAVE
    comparison = next((c for c in row["comparisons"] if c["reference"] == against), None)
    mark = ""
    if comparison is not None and comparison["significant"]:
        mark = "▲" if (comparison["difference"] or 0) > 0 else "▼"
    value = formats.value(row["estimate"], indicator, language=language)
    interval = (
        f"{formats.value(row['ci_low'], indicator, language=language)} – "
        f"{formats.value(row['ci_high'], indicator, language=language)}"
    )
    difference = (
        formats.difference(comparison["difference"], indicator, language=language)
        if comparison is not None
        else ""
    )
    return Cell(
        domain,
        value,
        interval,
        formats.count(row["n"], language=language),
        mark,
        difference if mark else "",
    )


def _published_counts(rows: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """How many published fiches have each (facet, code) row, in one query driven by the facet
    rows' (code, facet) index: CROSS JOIN makes SQLite start from them (the fiches' state index
    would read every fiche); PostgreSQL's planner chooses by its statistics."""
    facet_table, alliance_table = FacetValue._meta.db_table, Alliance._meta.db_table
    wanted = " OR ".join(["(f.code = %s AND f.facet = %s)"] * len(rows))
    sql = (
        f"SELECT f.facet, f.code, COUNT(*) FROM {facet_table} f CROSS JOIN {alliance_table} a "
        f"WHERE a.id = f.alliance_id AND a.state = %s AND a.is_synthetic = %s AND ({wanted}) "
        "GROUP BY f.facet, f.code"
    )
    params: list[str | bool] = [str(State.PUBLISHED), False]
    for facet, code in rows:
        params += [code, facet]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(facet, code): n for facet, code, n in cursor.fetchall()}


def alliance_groups(where: Place) -> list[Group]:
    """The published alliances located in the place or within it, then those of each territory
    around it, closest first (EPT, EPCI, department, region, France): every count in one query
    (the facet rows' (code, facet) index), then the first fiches of each group that has some."""
    if where.kind == "country":
        return []
    t = territory.get(where.code, where.kind)
    groups = [(where.name, where.ref, facets.PLACE)]
    groups += [(a.name, a.ref, facets.OWN_TERRITORY) for a in territory.ancestors(t)]
    counts = _published_counts([(facet, ref) for _label, ref, facet in groups])
    backend = alliance_search.backend()
    out = []
    for label, ref, facet in groups:
        count = counts.get((facet, ref), 0)
        if not count:
            continue
        shown = (
            base_queryset()
            .filter(backend.within({facet: [ref]}))
            .order_by("title")
            .values("slug", "title", "summary")[:ALLIANCES_SHOWN]
        )
        fiches = [{**a, "url": reverse("alliances:detail", args=[a["slug"]])} for a in shown]
        out.append(Group(label, ref, count, fiches))
    return out
