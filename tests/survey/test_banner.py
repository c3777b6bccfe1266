"""Banner tables: cells agree with the engine's estimators, markers follow the stated convention."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy import sparse, stats

from observatoire.survey import Design, SurveyError, calibrate, mean, poststratify, rake, trim
from observatoire.survey.banner import (
    Band,
    BannerSettings,
    BannerVariable,
    Question,
    banner,
    variance,
)
from observatoire.survey.comparisons import difference, domain_vs_rest


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    rng = np.random.default_rng(7)
    n = 1200
    age = rng.choice(["18-34", "35-59", "60+"], size=n, p=[0.3, 0.4, 0.3])
    sexe = rng.choice(["F", "H"], size=n)
    region = rng.choice(["A", "B", "C", "D"], size=n)
    shift = np.select([age == "18-34", age == "60+"], [-1.2, 1.0], 0.0)
    score = np.clip(np.rint(5.5 + shift + rng.normal(0, 2, n)), 1, 10)
    answer = np.where(rng.random(n) < 0.06, np.nan, score)  # some respondents did not answer
    opinion = rng.choice(["utile", "indispensable", "inutile"], size=n, p=[0.5, 0.25, 0.25])
    return pl.DataFrame(
        {
            "region": region,
            "age": age,
            "sexe": sexe,
            "sante": pl.Series(answer).fill_nan(None),
            "avis": opinion,
            "w": rng.uniform(0.5, 2.0, n),
            "rare": np.where(np.arange(n) < 12, "oui", "non"),
        }
    )


@pytest.fixture(scope="module")
def raked(frame: pl.DataFrame) -> Design:
    design = Design.from_frame(frame, strata="region", weights="w")
    total = float(design.weights.sum())
    margins = {
        "sexe": {"F": 0.52 * total, "H": 0.48 * total},
        "age": {"18-34": 0.28 * total, "35-59": 0.4 * total, "60+": 0.32 * total},
    }
    return rake(design, margins)


BANDS = (Band("1–5", 1, 5), Band("6–7", 6, 7), Band("8–10", 8, 10))
QUESTIONS = [
    Question("sante", "Santé", kind="scale", bands=BANDS),
    Question(
        "avis",
        "Jouer collectif",
        levels={"indispensable": "Indispensable", "utile": "Utile", "inutile": "Inutile"},
    ),
]


@pytest.fixture(scope="module")
def table(raked: Design) -> pl.DataFrame:
    return banner(raked, QUESTIONS, ["age", BannerVariable("sexe", "Sexe")]).table


def _cells(table: pl.DataFrame, question: str, row: str, variable: str | None) -> pl.DataFrame:
    selected = table.filter((pl.col("question") == question) & (pl.col("row") == row))
    if variable is None:
        return selected.filter(pl.col("column_variable").is_null())
    return selected.filter(pl.col("column_variable") == variable)


def test_layout_one_row_per_question_row_and_column(table: pl.DataFrame) -> None:
    # sante: 3 bands + mean; avis: 3 levels; columns: Total + 3 ages + 2 sexes
    assert table.height == (4 + 3) * 6
    sante = table.filter(pl.col("question") == "sante")
    assert sante.get_column("row").unique(maintain_order=True).to_list() == [
        "1–5",
        "6–7",
        "8–10",
        "mean",
    ]
    avis = table.filter((pl.col("question") == "avis") & pl.col("column_variable").is_null())
    assert avis.get_column("row_label").to_list() == ["Indispensable", "Utile", "Inutile"]
    assert avis.get_column("estimate").sum() == pytest.approx(1.0)
    letters = table.filter(pl.col("column_variable") == "age")["column_letter"].unique().sort()
    assert letters.to_list() == ["A", "B", "C"]


def test_cells_match_domain_means_with_calibration_aware_errors(
    raked: Design, table: pl.DataFrame
) -> None:
    expected = mean(raked.subset(pl.col("sante").is_not_null()), "sante", by="age").table
    cells = _cells(table, "sante", "mean", "age").sort("column_level")
    assert cells["estimate"].to_numpy() == pytest.approx(expected["estimate"].to_numpy(), rel=1e-12)
    assert cells["se"].to_numpy() == pytest.approx(expected["se"].to_numpy(), rel=1e-9)

    shares = mean(raked, "avis", by="sexe").table.filter(pl.col("level") == "utile")
    cells = _cells(table, "avis", "utile", "sexe").sort("column_level")
    assert cells["estimate"].to_numpy() == pytest.approx(shares["estimate"].to_numpy(), rel=1e-12)
    assert cells["se"].to_numpy() == pytest.approx(shares["se"].to_numpy(), rel=1e-9)


def test_bases_exclude_non_respondents(frame: pl.DataFrame, raked: Design) -> None:
    table = banner(raked, QUESTIONS[:1], ["sexe"]).table
    total = _cells(table, "sante", "1–5", None).row(0, named=True)
    answered = frame["sante"].is_not_null().to_numpy()
    weights = raked.weights[answered]
    assert total["n"] == answered.sum()
    assert total["weighted_n"] == pytest.approx(weights.sum())
    assert total["effective_n"] == pytest.approx(weights.sum() ** 2 / (weights**2).sum())


def test_difference_with_the_rest_is_covariance_aware(raked: Design, table: pl.DataFrame) -> None:
    young = pl.col("age") == "18-34"
    expected = domain_vs_rest(raked, "avis", young).table.filter(pl.col("label") == "avisinutile")
    cell = _cells(table, "avis", "inutile", "age").filter(pl.col("column_level") == "18-34")
    assert cell["rest_difference"].item() == pytest.approx(expected["estimate"].item(), rel=1e-10)
    assert cell["rest_difference_se"].item() == pytest.approx(expected["se"].item(), rel=1e-9)
    assert cell["p_value"].item() == pytest.approx(expected["p_value"].item(), rel=1e-8)


def test_markers_follow_the_two_levels_and_direction(table: pl.DataFrame) -> None:
    tested = table.filter(pl.col("p_value").is_not_null())
    assert tested.height > 0
    for cell in tested.iter_rows(named=True):
        up = cell["rest_difference"] > 0
        if cell["p_value"] < 0.05:
            assert cell["vs_rest"] == ("▲" if up else "▼")
        elif cell["p_value"] < 0.10:
            assert cell["vs_rest"] == ("△" if up else "▽")
        else:
            assert cell["vs_rest"] == ""
    # the young mark lower on health: a clear, strong difference
    young = _cells(table, "sante", "mean", "age").filter(pl.col("column_level") == "18-34")
    assert young["vs_rest"].item() == "▼"
    assert _cells(table, "sante", "mean", None)["vs_rest"].item() == ""  # Total: no test


def test_letters_name_the_columns_a_cell_is_above(raked: Design, table: pl.DataFrame) -> None:
    by_age = mean(raked.subset(pl.col("sante").is_not_null()), "sante", by="age", covariance=True)
    cells = _cells(table, "sante", "mean", "age").sort("column_level")
    letters = dict(zip(cells["column_level"], cells["column_letter"], strict=True))
    shown = dict(zip(cells["column_level"], cells["letters"], strict=True))
    levels = by_age.table["age"].to_list()
    for i, high in enumerate(levels):
        expected = []
        for j, low in enumerate(levels):
            if i == j:
                continue
            contrast = difference(by_age, by_age.labels[j], by_age.labels[i])  # high − low
            if contrast.estimate[0] > 0 and contrast.p_value[0] < 0.10:
                letter = letters[low]
                expected.append(letter if contrast.p_value[0] < 0.05 else letter.lower())
        assert shown[high] == "".join(expected)
    assert shown["60+"] == "AB"


def test_bonferroni_multiplies_p_values_by_the_family_size(raked: Design) -> None:
    plain = banner(raked, QUESTIONS[1:], ["age"]).table
    corrected = banner(
        raked, QUESTIONS[1:], ["age"], settings=BannerSettings(correction="bonferroni")
    ).table
    raw = plain["p_value"].to_numpy()
    adjusted = corrected["p_value"].to_numpy()
    tested = ~np.isnan(raw)
    assert adjusted[tested] == pytest.approx(np.minimum(raw[tested] * 3, 1.0))


def test_benjamini_hochberg_within_each_family(raked: Design) -> None:
    plain = banner(raked, QUESTIONS[:1], ["age"]).table
    corrected = banner(
        raked, QUESTIONS[:1], ["age"], settings=BannerSettings(correction="bh")
    ).table
    for row in ("1–5", "mean"):
        raw = _cells(plain, "sante", row, "age")["p_value"].to_numpy()
        got = _cells(corrected, "sante", row, "age")["p_value"].to_numpy()
        assert got == pytest.approx(stats.false_discovery_control(raw, method="bh"))


def test_small_bases_are_flagged_untested_and_tiny_ones_suppressed(raked: Design) -> None:
    table = banner(raked, QUESTIONS[1:], ["rare"], settings=BannerSettings(minimum_base=15)).table
    rare = table.filter(pl.col("column_level") == "oui")
    assert rare["n"].to_list() == [12, 12, 12]
    assert rare["small_base"].all() and rare["suppressed"].all()
    assert rare["estimate"].is_null().all() and (rare["vs_rest"] == "").all()
    shown = banner(raked, QUESTIONS[1:], ["rare"]).table.filter(pl.col("column_level") == "oui")
    assert shown["estimate"].is_not_null().all() and shown["small_base"].all()
    assert shown["p_value"].is_null().all() and (shown["letters"] == "").all()


def test_intervals_use_t_on_design_degrees_of_freedom(raked: Design, table: pl.DataFrame) -> None:
    cell = _cells(table, "sante", "mean", None).row(0, named=True)
    t = stats.t.ppf(0.975, 1200 - 4)
    assert cell["ci_low"] == pytest.approx(cell["estimate"] - t * cell["se"])
    shares = table.filter(pl.col("statistic") == "share")
    assert (shares["ci_low"] >= 0).all() and (shares["ci_high"] <= 1).all()


def test_domain_design_limits_every_column(raked: Design) -> None:
    women = raked.subset(pl.col("sexe") == "F")
    table = banner(women, QUESTIONS[:1], ["age"]).table
    expected = mean(women.subset(pl.col("sante").is_not_null()), "sante").table
    total = _cells(table, "sante", "mean", None)
    assert total["estimate"].item() == pytest.approx(expected["estimate"].item())
    assert total["se"].item() == pytest.approx(expected["se"].item(), rel=1e-9)


def test_custom_bands_and_numeric_questions(raked: Design) -> None:
    bands = (Band("faible", 1, 4), Band("forte", 8, 10))
    questions = [
        Question("sante", kind="scale", bands=bands, mean=False),
        Question("w", "Poids", kind="numeric"),
    ]
    table = banner(raked, questions, ["sexe"]).table
    assert table["row"].unique(maintain_order=True).to_list() == ["faible", "forte", "mean"]


def test_footnote_states_every_setting(raked: Design) -> None:
    settings = BannerSettings(
        significance=(0.99, 0.95), correction="bh", small_base=50, minimum_base=20
    )
    result = banner(raked, QUESTIONS[:1], ["sexe"], settings=settings)
    french = result.footnote("fr")
    for text in ("99 %", "95 %", "Benjamini–Hochberg", "50", "20", f"{result.df} degrés"):
        assert text in french
    assert "Benjamini–Hochberg correction" in result.footnote()  # English unless asked
    with pytest.raises(SurveyError, match="language must be en or fr, not 'de'"):
        result.footnote("de")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d: banner(d, [Question("absent")], ["sexe"]), "question column 'absent'"),
        (lambda d: banner(d, QUESTIONS, ["absent"]), "banner column 'absent'"),
        (lambda d: banner(d, [], ["sexe"]), "at least one question"),
        (
            lambda d: banner(d, [Question("avis", kind="scale", bands=BANDS)], ["sexe"]),
            "is scale but holds",
        ),
        (lambda d: Question("sante", kind="scale"), "a scale question needs its bands"),
        (
            lambda d: banner(d, [Question("avis", levels={"utile": "Utile"})], ["sexe"]),
            "avis: value 'indispensable' has no label",
        ),
        (lambda d: BannerSettings(significance=(0.9, 0.95)), "significance levels"),
        (lambda d: Question("sante", kind="likert"), "unknown kind 'likert'"),  # type: ignore[arg-type]
        (lambda d: Question("sante", kind="scale", bands=(Band("x", 5, 1),)), "band 'x' has low"),
        (lambda d: BannerSettings(correction="holm"), "unknown correction 'holm'"),  # type: ignore[arg-type]
    ],
)
def test_bad_requests_say_what_is_wrong(raked: Design, call, message: str) -> None:
    with pytest.raises(SurveyError, match=message):
        call(raked)


def _designs(frame: pl.DataFrame, raked: Design) -> dict[str, Design]:
    plain = Design.from_frame(frame, strata="region", weights="w")
    total = float(plain.weights.sum())
    with_fpc = Design.from_frame(
        frame.with_columns(pl.lit(5000).alias("N")), strata="region", fpc="N"
    )
    ages = {"18-34": 0.28 * total, "35-59": 0.4 * total, "60+": 0.32 * total}
    sexes = {"F": 0.52 * total, "H": 0.48 * total}
    return {
        "raked": raked,
        "plain": plain,
        "fpc": with_fpc,
        "domain": raked.subset(pl.col("region") != "D"),
        "poststratified": poststratify(plain, "age", ages),
        "linear": calibrate(plain, {"(Intercept)": total, "w": 1.3 * float(frame["w"].sum())}),
        "logit": calibrate(plain, margins={"age": ages}, method="logit", bounds=(0.5, 2.0)),
        "trimmed then raked": rake(trim(plain, upper=1.9), {"age": ages}),
        "post-stratified then raked": rake(poststratify(plain, "age", ages), {"sexe": sexes}),
    }


@pytest.mark.parametrize(
    "name",
    [
        "raked",
        "plain",
        "fpc",
        "domain",
        "poststratified",
        "linear",
        "logit",
        "trimmed then raked",
        "post-stratified then raked",
    ],
)
def test_sufficient_statistics_equal_scores_through_total_variance(
    frame: pl.DataFrame, raked: Design, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    design = _designs(frame, raked)[name]
    low_rank = variance._low_rank(design)
    assert variance._fast_path_applies(design) and low_rank is not None
    # one calibration cell per row (raking, post-stratification, none) goes through atoms;
    # GREG, logit and chains of two calibrations by rows
    one_cell = variance._one_cell_per_row(low_rank, design.n)
    assert (one_cell is None) == (name in ("linear", "logit", "post-stratified then raked"))
    fast = banner(design, QUESTIONS, ["age", "sexe"]).table
    monkeypatch.setattr(variance, "_fast_path_applies", lambda design: False)
    slow = banner(design, QUESTIONS, ["age", "sexe"]).table
    for column in ("se", "rest_difference_se", "p_value"):
        got, want = fast[column].to_numpy(), slow[column].to_numpy()
        assert np.isnan(got).tolist() == np.isnan(want).tolist()
        assert got[~np.isnan(got)] == pytest.approx(want[~np.isnan(want)], rel=1e-9)
    assert fast["letters"].to_list() == slow["letters"].to_list()
    assert fast["vs_rest"].to_list() == slow["vs_rest"].to_list()


def test_clustered_designs_take_the_general_path(frame: pl.DataFrame) -> None:
    clustered = Design.from_frame(
        frame.with_row_index("id").with_columns((pl.col("id") // 4).alias("psu")),
        ids="psu",
        weights="w",
    )
    assert not variance._fast_path_applies(clustered)
    table = banner(clustered, QUESTIONS[:1], ["age"]).table
    expected = mean(clustered.subset(pl.col("sante").is_not_null()), "sante", by="age").table
    cells = _cells(table, "sante", "mean", "age").sort("column_level")
    assert cells["se"].to_numpy() == pytest.approx(expected["se"].to_numpy(), rel=1e-9)


def test_column_codes_do_not_depend_on_the_column_type(frame: pl.DataFrame) -> None:
    """Integer, float, boolean and text banner columns give the same cells."""
    codes = {"A": 1, "B": 2, "C": 3, "D": 4}
    typed = frame.with_columns(
        number=pl.col("region").replace_strict(codes, return_dtype=pl.Int64),
        decimal=pl.col("region").replace_strict(codes, return_dtype=pl.Float64),
        flag=pl.col("sexe") == "F",
        text=pl.col("sexe"),
    )
    design = Design.from_frame(typed, strata="region", weights="w")
    question = [Question("sante", kind="numeric")]
    by_type = {
        column: banner(design, question, [column]).table.filter(
            pl.col("column_level").is_not_null()
        )
        for column in ("number", "decimal", "flag", "text", "region")
    }
    np.testing.assert_allclose(by_type["number"]["estimate"], by_type["region"]["estimate"])
    np.testing.assert_allclose(by_type["decimal"]["estimate"], by_type["region"]["estimate"])
    # booleans sort false (H) before true (F), text F before H
    np.testing.assert_allclose(by_type["flag"]["estimate"], by_type["text"]["estimate"][::-1])


def test_atom_sums_of_any_calibration_values_equal_the_sums_over_rows() -> None:
    """Calibration products that are no multiple of 1, w or w² per atom are summed as such."""
    from observatoire.survey.banner.answers import GATHER, SCATTER, atom_sums

    rng = np.random.default_rng(3)
    n = 500
    cell = rng.integers(0, 4, n)
    weights = rng.uniform(0.5, 2, n)
    gather, scatter = rng.uniform(0.5, 2, n), 1 / weights * 3.0  # scatter·w = 3 per row
    codes = rng.integers(0, 3, (n, 1)).astype(np.int32)
    table = np.array([[1.0], [2.0], [0.0]])  # code 2 = no answer
    sums = atom_sums([(cell, 4)], weights, codes, [table], (gather, scatter))
    atom_cell = cell[sums.representative]
    members = sparse.csr_matrix(
        (np.ones(atom_cell.size), (np.zeros(atom_cell.size, int), np.arange(atom_cell.size)))
    )
    y = table[codes[:, 0], 0]
    answered = codes[:, 0] < 2
    for quantity, value in ((GATHER, gather * weights), (SCATTER, scatter * weights)):
        found = sums.linear(members, quantity)
        assert found[0, 0] == pytest.approx(np.sum(value * y), rel=1e-12)
        assert found[0, 1] == pytest.approx(np.sum(value * answered), rel=1e-12)
