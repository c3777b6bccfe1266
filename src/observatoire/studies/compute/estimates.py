"""Every figure of a wave through the survey engine: nationally, by region, by banner profile.

Figures that share a base (the same respondents answered) are estimated in one engine call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from observatoire.results_contract import NATIONAL
from observatoire.studies.compute.comparisons import level_versus_rest, versus_rest
from observatoire.studies.compute.figures import Family, Figure
from observatoire.studies.spec.model import Study, Wave
from observatoire.survey import Design, Estimates, mean


@dataclass(frozen=True)
class Base:
    """Figures estimated together: the families that share one set of respondents."""

    answered: np.ndarray
    figures: tuple[Figure, ...]


def bases(families: list[Family], data: pl.DataFrame) -> list[Base]:
    """Merge the families whose bases are the same respondents (one engine call for all)."""
    merged: dict[bytes, list[Figure]] = {}
    masks: dict[bytes, np.ndarray] = {}
    for family in families:
        mask = data[family.answered].to_numpy()
        key = np.packbits(mask).tobytes()
        masks[key] = mask
        merged.setdefault(key, []).extend(family.figures)
    return [Base(masks[key], tuple(figures)) for key, figures in merged.items()]


def estimate(
    design: Design, base: Base, by: str | None, level: float, *, covariance: bool = False
) -> tuple[pl.DataFrame, Estimates]:
    """One base's figures over the domains of `by` (or all respondents); `_i` = vcov row,
    `_df` = the degrees of freedom of their design (R's `degf` of the base's subset)."""
    columns = [f.column for f in base.figures]
    estimates = mean(
        design.subset(base.answered), columns, by=by, level=level, covariance=covariance
    ).confint(level)  # t on the design's df, the rule of every interval of a run
    meta = pl.DataFrame(
        {
            "variable": columns,
            "question": [f.question for f in base.figures],
            "question_label": [f.question_label for f in base.figures],
            "indicator": [f.indicator for f in base.figures],
            "category": [f.category for f in base.figures],
            "category_label": [f.category_label for f in base.figures],
            "_order": [f.order for f in base.figures],
        },
        schema_overrides={"category": pl.String, "category_label": pl.String, "_order": pl.Int64},
    )
    table = estimates.table.with_row_index("_i").select(
        "_i",
        *([pl.col(by).cast(pl.String)] if by else []),
        "variable", "estimate", "se", "ci_low", "ci_high",
        pl.col("n").cast(pl.Int64), pl.col("weighted_n").cast(pl.Float64),
        pl.lit(float(estimates.df)).alias("_df"),
    )  # fmt: skip
    return table.join(meta, on="variable", how="left", maintain_order="left"), estimates


def wave_figures(
    study: Study, wave: Wave, design: Design, bases: list[Base], *, with_contrasts: bool
) -> pl.DataFrame:
    """Every figure nationally, by region (if the study has a territory variable) and by profile;
    with contrasts, each region against the rest of France and each profile level against the
    other respondents."""
    frames = []
    margins = {margin.variable for margin in study.margins}
    for base in bases:
        national, _ = estimate(design, base, None, study.confidence)
        frames.append(national.with_columns(territory=pl.lit(NATIONAL)))
        if study.territory:
            regional, estimates = estimate(
                design, base, study.territory, study.confidence, covariance=with_contrasts
            )
            regional = regional.rename({study.territory: "territory"})
            frames.append(regional)
            if with_contrasts:
                frames.append(versus_rest(study, regional, estimates))
        for profile in study.banner:
            by_profile, by_estimates = estimate(
                design, base, profile, study.confidence, covariance=with_contrasts
            )
            if with_contrasts:
                # A weighting margin fixes its levels' weighted bases: the rest is a fixed
                # combination of the levels' means (as for regions); any other profile is
                # compared by the engine's domain contrast.
                contrasts = (
                    versus_rest(study, by_profile, by_estimates)
                    if profile in margins
                    else level_versus_rest(study, design.subset(base.answered), by_profile, profile)
                )
                frames.append(
                    contrasts.rename({profile: "profile_level"}).with_columns(
                        territory=pl.lit(NATIONAL), profile=pl.lit(profile)
                    )
                )
            frames.append(
                by_profile.rename({profile: "profile_level"}).with_columns(
                    territory=pl.lit(NATIONAL), profile=pl.lit(profile)
                )
            )
    return (
        pl.concat(frames, how="diagonal_relaxed")
        .drop("_i", "variable")
        .with_columns(wave=pl.lit(wave.id))
    )
