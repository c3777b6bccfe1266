"""Banner tables: questions in rows × profile columns, with bases, intervals and significance.

A banner crosses every question row (a level of a categorical question, a band of a 1–10 scale
such as 1–5 / 6–7 / 8–10, or a mean) with every banner column (Total, then each level of several
profile variables). All cells are computed in one pass: the weighted totals of every question row
× every column come from one matrix product of row values by column indicators; the variances
come from sufficient statistics per column for the usual one-stage design, else from
`linearization.total_variance` on the cells' influence scores (see `banner.variance`). No Python
loop runs over rows.

Conventions (stated again in `Banner.footnote()`):

* estimates are weighted shares (of respondents with a valid answer to the question) or weighted
  means; intervals are Wald intervals with Student's t on the design's degrees of freedom, shares
  clipped to [0, 1];
* bases: unweighted (respondents with a valid answer in the column), weighted (sum of weights),
  effective (Kish: (Σw)² / Σw²);
* versus the rest of the sample: each cell is compared with every sampled respondent outside the
  column (same design, so the two estimates' covariance is taken into account: both scores go
  through the variance together). ▲/▼ higher/lower at the first level (95 % by default), △/▽ at
  the second level only (90 %);
* between columns: within a banner variable each column has a letter (A, B, ...); a cell lists the
  letters of the columns it is significantly higher than, uppercase at the first level and
  lowercase at the second level only;
* multiple comparisons: none, Bonferroni or Benjamini–Hochberg, applied within one question row
  of one banner variable (the family of its tests against the rest, and separately the family of
  its pairwise tests);
* bases under `small_base` (30) are flagged and take no marker; cells under `minimum_base` are
  suppressed (estimate and interval withheld, bases kept).
"""

from observatoire.survey.banner.table import (
    Band,
    Banner,
    BannerSettings,
    BannerVariable,
    Question,
    banner,
    footnote,
)

__all__ = [
    "Band",
    "Banner",
    "BannerSettings",
    "BannerVariable",
    "Question",
    "banner",
    "footnote",
]
