"""The results' routes of the platform API (`platform/api.py`, OpenAPI at /api/docs).

`GET /api/studies` lists the published studies; `GET /api/results` answers tidy rows (one per
figure, with its standard error, interval, bases, flags and the comparisons the pipeline
published, each saying whether it is significant), filterable by study, wave, territory (any
INSEE code: a commune resolves to its study region, the communes of its size class and France),
question, profile, population and indicator, paginated; `/api/results.csv` and
`/api/results.parquet` give the same selection whole. Unknown values answer 422 naming them.
Every answer that shows demonstration data says so (`synthetic`, `notices`).
"""

from __future__ import annotations

from typing import Any

import polars as pl
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from observatoire.platform.results import downloads, published, selection
from observatoire.platform.results.selection import ALL_WAVES, MAX_TEXT

router = Router(tags=["results"])
MAX_PAGE_SIZE = 1000
MAX_PAGE = 100_000


class ErrorOut(Schema):
    detail: str


class StudyWaveOut(Schema):
    id: str
    year: int | None = None
    sample_size: int | None = None


class StudyQuestionOut(Schema):
    code: str
    label: str


class StudyProfileOut(Schema):
    code: str
    levels: list[str]


class StudyDocumentOut(Schema):
    path: str
    url: str
    size: int
    content_type: str


class StudyOut(Schema):
    code: str
    title: str
    universe: str
    synthetic: bool = Field(description="The respondents are synthetic (demonstration data).")
    notice: str = Field(description="What the synthetic data are; empty for real data.")
    waves: list[StudyWaveOut] = Field(description="Oldest first.")
    latest_wave: str
    populations: list[str]
    territories: list[str] = Field(description="FR and the study regions' codes.")
    profiles: list[StudyProfileOut]
    questions: list[StudyQuestionOut]
    rows: int
    published_at: str
    documents_pending: bool = Field(description="The documents are still being rendered.")
    documents: list[StudyDocumentOut]


class ResultsQuery(Schema):
    study: str | None = Field(None, max_length=MAX_TEXT, description="Study code; all if absent.")
    wave: str | None = Field(
        None,
        max_length=MAX_TEXT,
        description=f"Wave id; each study's latest if absent; `{ALL_WAVES}` for every wave.",
    )
    territory: str | None = Field(
        None,
        max_length=MAX_TEXT,
        description="FR, a study region's code (11), an INSEE commune code (94018: its study "
        "region, the communes of its size class and France), an EPCI/EPT SIREN, or a "
        "reference (REG-94, DEP-94, COM-94018, EPCI-…, EPT-…).",
    )
    question: str | None = Field(
        None,
        max_length=MAX_TEXT,
        description="Question code (Q2), a grid (Q3) or an item (Q3.sante).",
    )
    profile: str | None = Field(
        None, max_length=MAX_TEXT, description="Banner profile (commune_size, age…)."
    )
    profile_level: str | None = Field(None, max_length=MAX_TEXT, description="A profile's level.")
    population: str | None = Field(
        None, max_length=MAX_TEXT, description="Population surveyed (actor type: citoyens…)."
    )
    versus: str | None = Field(
        None,
        max_length=MAX_TEXT,
        description="The other population of a difference between two populations "
        "(rows `<x>_vs_population`, e.g. indicator=group_vs_population&versus=citoyens).",
    )
    indicator: str | None = Field(
        None,
        max_length=MAX_TEXT,
        description="mean, band, share, group, rank (the default: all five), or a derived row "
        "(share_change, share_vs_rest…).",
    )

    def selection_query(self) -> selection.Query:
        return selection.Query(**self.dict())


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(100, ge=1, le=MAX_PAGE_SIZE)


class ComparisonOut(Schema):
    reference: str = Field(
        description="previous_wave, rest (the rest of France for a region, the other "
        "respondents for a profile level) or population (the one in `versus`)."
    )
    versus: str | None
    difference: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    significant: bool = Field(description="The study's two-sided test rejects no difference.")


class ResultRowOut(Schema):
    study: str
    wave: str
    population: str | None = Field(None, description="Population surveyed (actor type).")
    versus: str | None = Field(
        None,
        description="The other population, on a row that is a difference between two "
        "populations (`<x>_vs_population`); null otherwise.",
    )
    question: str
    question_label: str
    indicator: str
    category: str | None
    category_label: str | None
    territory: str
    territory_name: str | None
    profile: str | None
    profile_level: str | None
    reading: str = Field(description="study_region, size_class, france or profile.")
    position: int
    estimate: float | None = Field(description="Shares as fractions, means on their scale.")
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None = Field(description="Unweighted base.")
    weighted_n: float | None = Field(description="Weighted base (population represented).")
    flags: list[str] = Field(description="small_base, suppressed, significant.")
    synthetic: bool
    comparisons: list[ComparisonOut]


class PlaceOut(Schema):
    ref: str
    code: str
    name: str
    kind: str
    study_region: str | None
    study_region_name: str | None
    size_class: str | None
    in_universe: bool = Field(description="Covered by the studies (metropolitan France).")


class ResultsOut(Schema):
    synthetic: bool = Field(description="Some of these figures come from synthetic data.")
    notices: dict[str, str] = Field(description="The synthetic-data notice of each such study.")
    territory: PlaceOut | None
    count: int
    page: int
    page_size: int
    pages: int
    results: list[ResultRowOut]


@router.get("/studies", response=list[StudyOut], summary="Published studies", url_name="studies")
def list_studies(request: HttpRequest) -> Any:
    """Every published study: waves, populations, territories, profiles, questions, documents."""
    return [_study(request, s) for s in published.studies()]


@router.get(
    "/results",
    response={200: ResultsOut, 422: ErrorOut},
    summary="Published figures (tidy rows)",
    url_name="results",
)
def list_results(request: HttpRequest, query: Query[ResultsQuery], paging: Query[PageQuery]) -> Any:
    """One row per figure with its uncertainty and comparisons (see the query's fields)."""
    chosen = selection.select(query.selection_query())
    count = chosen.count
    return {
        "synthetic": chosen.synthetic,
        "notices": chosen.notices,
        "territory": chosen.place.as_dict() if chosen.place else None,
        "count": count,
        "page": paging.page,
        "page_size": paging.page_size,
        "pages": max(1, -(-count // paging.page_size)),
        "results": chosen.page((paging.page - 1) * paging.page_size, paging.page_size),
    }


@router.get(
    "/results.csv",
    response={200: None, 422: ErrorOut},
    summary="The same selection as CSV",
    url_name="results_csv",
    openapi_extra={"responses": {200: {"content": {"text/csv": {}}}}},
)
def results_csv(request: HttpRequest, query: Query[ResultsQuery]) -> HttpResponse:
    """Every row of the selection, comparisons as columns; cells that a spreadsheet would read
    as a formula are quoted; a `synthetic` column says which rows are demonstration data."""
    return downloads.csv_response(selection.select(query.selection_query()))


@router.get(
    "/results.parquet",
    response={200: None, 422: ErrorOut},
    summary="The same selection as Parquet",
    url_name="results_parquet",
    openapi_extra={"responses": {200: {"content": {"application/vnd.apache.parquet": {}}}}},
)
def results_parquet(request: HttpRequest, query: Query[ResultsQuery]) -> HttpResponse:
    """Every row of the selection as Parquet (the notices in the file's metadata)."""
    return downloads.parquet_response(selection.select(query.selection_query()))


def _study(request: HttpRequest, study: published.PublishedStudy) -> dict[str, Any]:
    frame = study.results.frame
    questions = (
        frame.select("question", "question_label", "position")
        .group_by("question", "question_label")
        .agg(position=pl.col("position").min())
        .sort("position")
    )
    profiles: dict[str, set[str]] = {}
    for profile, level in (
        frame.select("profile", "profile_level").drop_nulls().unique().iter_rows()
    ):
        profiles.setdefault(profile, set()).add(level)
    populations = (
        sorted(frame["population"].drop_nulls().unique().to_list())
        if "population" in frame.columns
        else []
    )
    return {
        "code": study.code,
        "title": study.title,
        "universe": str(study.meta.get("universe") or ""),
        "synthetic": study.synthetic,
        "notice": study.notice,
        "waves": [
            w if isinstance(w, dict) else {"id": str(w)} for w in study.meta.get("waves", [])
        ],
        "latest_wave": study.latest_wave,
        "populations": populations,
        "territories": ["FR", *study.results.territories()],
        "profiles": [
            {"code": p, "levels": sorted(levels)} for p, levels in sorted(profiles.items())
        ],
        "questions": [{"code": q, "label": label} for q, label, _ in questions.iter_rows()],
        "rows": frame.height,
        "published_at": study.published_at.isoformat(),
        "documents_pending": study.documents_pending,
        "documents": [
            {
                "path": d.path,
                "url": request.build_absolute_uri(
                    reverse("results:document", args=[study.code, d.path])
                ),
                "size": d.size,
                "content_type": d.content_type,
            }
            for d in study.documents.values()
        ],
    }
