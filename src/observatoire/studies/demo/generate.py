"""Synthetic respondents for the demo study IMPACT-Citoyens (no real microdata ships here).

For every wave of study.yaml, draws `per_stratum` respondents in each study region with
plausible profiles, then answers from a latent model (demo_targets.py) whose national intercepts
are solved so that the population-weighted expected national result equals the published
figure: sampling noise is then the only gap. The same seed (the wave's `seed`) gives the same
file, byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import polars as pl
from scipy.stats import norm

from observatoire.errors import InputError
from observatoire.studies.demo import targets as demo
from observatoire.studies.spec.model import Question, Study, Wave, load_study

Profiles = dict[str, np.ndarray]
Effects = Mapping[tuple[str, str], Mapping[str, float]]


def generate_demo(folder: Path | str) -> list[Path]:
    """Write the data file of every wave of the demo study where study.yaml names it."""
    study = load_study(folder)
    if not study.synthetic:
        raise InputError(
            "refusing to overwrite the data of a study that is not marked `synthetic: true`",
            file=str(Path(folder) / "study.yaml"),
            field="synthetic",
        )
    written = []
    for wave in study.waves:
        path = study.wave_path(wave)
        path.parent.mkdir(parents=True, exist_ok=True)
        synthetic_wave(study, wave).write_csv(path)
        written.append(path)
    return written


def synthetic_wave(study: Study, wave: Wave) -> pl.DataFrame:
    """One wave of synthetic respondents, as the CSV columns study.yaml describes."""
    rng = np.random.default_rng(wave.seed if wave.seed is not None else wave.year)
    profiles, weights = _profiles(study, rng)
    n = len(weights)
    columns: dict[str, np.ndarray] = {
        study.respondent_id: np.array([f"{wave.id}-{i + 1:05d}" for i in range(n)]),
        **profiles,
    }
    for q in study.content_questions:
        if q.asked_in(wave.id):
            columns.update(_answers(q, wave.id, profiles, weights, rng))
    return pl.DataFrame(columns)


def _profiles(study: Study, rng: np.random.Generator) -> tuple[Profiles, np.ndarray]:
    """Respondents' profiles, and their stratum expansion weights (region population / n)."""
    regions = study.profile_question(study.strata)
    per = study.per_stratum or study.waves[0].sample_size // len(regions.codes)
    region = np.repeat([t.code for t in regions.codes], per)
    margins = {m.variable: m.targets for m in study.margins}
    weights = np.array([margins[study.strata][r] / per for r in region])
    profiles: Profiles = {study.strata: region}
    for q in study.profiles:
        if q.column in profiles or q.column not in margins:
            continue
        codes = [t.code for t in q.codes]
        drawn = np.empty(len(region), dtype=object)
        for r in np.unique(region):
            tilt = demo.PROFILE_TILTS.get(r, {}).get(q.column, {})
            p = np.array([margins[q.column][c] * tilt.get(c, 1.0) for c in codes])
            at = region == r
            drawn[at] = rng.choice(codes, size=int(at.sum()), p=p / p.sum())
        profiles[q.column] = drawn.astype(str)
    household = study.profile_question("household")
    kinds = [t.code for t in household.codes]
    u = rng.random(len(region))
    cumulative = np.array([np.cumsum(demo.HOUSEHOLD_BY_AGE[a]) for a in profiles["age"]])
    profiles["household"] = np.array(kinds)[(u[:, None] > cumulative).sum(axis=1).clip(0, 2)]
    return profiles, weights


def _shift(profiles: Profiles, effects: Effects, key: str) -> np.ndarray:
    """Sum of the effects that apply to each respondent for one item or answer code."""
    n = len(next(iter(profiles.values())))
    total = np.zeros(n)
    for (variable, code), shifts in effects.items():
        value = shifts.get(key, 0.0) + shifts.get(demo.ALL_ITEMS, 0.0)
        if value:
            total += value * (profiles[variable] == code)
    return total


def _answers(
    q: Question, wave: str, profiles: Profiles, weights: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    if q.type == "scale":
        person = rng.normal(0.0, demo.MARK_PERSON_SD, len(weights))
        return {
            q.item_column(item): _marks(
                demo.FRAGILITY_MEANS[wave][item],
                _shift(profiles, demo.FRAGILITY_EFFECTS, item),
                person,
                q,
                weights,
                rng,
            )
            for item in (t.code for t in q.items)
        }
    if q.type == "single" and q.items:
        return {
            q.item_column(item): _choose(_impact_shares(*demo.IMPACTS[item]), {}, profiles,
                                         weights, rng)
            for item in (t.code for t in q.items)
        }  # fmt: skip
    if q.type == "single":
        effects = demo.CHOICE_EFFECTS.get(q.code, {})
        return {
            q.column: _choose(demo.CHOICE_SHARES[q.code][wave], effects, profiles, weights, rng)
        }
    shares = demo.OPTION_SHARES[q.code][wave]
    effects = demo.OPTION_EFFECTS.get(q.code, {})
    result = {}
    for option, share in shares.items():
        yes = {key: {"1": shifts[option]} for key, shifts in effects.items() if option in shifts}
        drawn = _choose({"1": share, "0": 1.0 - share}, yes, profiles, weights, rng)
        result[q.item_column(option)] = drawn.astype(np.int64)
    return result


def _impact_shares(strong: float, at_least_moderate: float) -> dict[str, float]:
    weak = 1.0 - at_least_moderate
    return {
        "tres-fort": strong * demo.VERY_STRONG_SHARE,
        "fort": strong * (1 - demo.VERY_STRONG_SHARE),
        "modere": at_least_moderate - strong,
        "faible": weak * (1 - demo.NONE_SHARE),
        "aucun": weak * demo.NONE_SHARE,
    }


def _choose(
    shares: Mapping[str, float],
    effects: Effects,
    profiles: Profiles,
    weights: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Draw one answer code per respondent from a multinomial logit tuned to `shares`."""
    codes = list(shares)
    target = np.array([shares[c] for c in codes])
    shifts = np.column_stack([_shift(profiles, effects, c) for c in codes])
    intercept = np.log(target)
    for _ in range(200):
        p = _softmax(intercept + shifts)
        achieved = weights @ p / weights.sum()
        intercept += np.log(target / achieved)
    p = _softmax(intercept + shifts)
    u = rng.random(len(weights))
    index = (u[:, None] > np.cumsum(p, axis=1)).sum(axis=1).clip(0, len(codes) - 1)
    return np.array(codes)[index]


def _softmax(logits: np.ndarray) -> np.ndarray:
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _marks(
    mean: float,
    shift: np.ndarray,
    person: np.ndarray,
    q: Question,
    weights: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Marks on q's scale: rounded, clipped normal; intercept solved for the weighted mean."""
    assert q.scale is not None
    lo, hi = q.scale
    sd = float(np.hypot(demo.MARK_PERSON_SD, demo.MARK_ITEM_SD))
    cuts = np.arange(lo, hi) + 0.5  # mark <= k  <=>  latent < k + 0.5

    def expected(intercept: float) -> float:
        below = norm.cdf((cuts[None, :] - (intercept + shift)[:, None]) / sd)
        # E[mark] = hi - sum_k P(mark <= k) for k = lo .. hi-1
        return float(weights @ (hi - below.sum(axis=1)) / weights.sum())

    low, high = float(lo - 5), float(hi + 5)
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if expected(middle) < mean else (low, middle)
    latent = (low + high) / 2 + shift + person + rng.normal(0.0, demo.MARK_ITEM_SD, len(shift))
    marks = np.clip(np.rint(latent), lo, hi).astype(np.int64)
    dont_know = sorted(q.dont_know)
    if dont_know:
        marks[rng.random(len(marks)) < demo.DONT_KNOW_RATE] = int(dont_know[0])
    return marks
