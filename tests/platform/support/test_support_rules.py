"""The orientation rules file: every rule valid and sourced, and a bad file named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from observatoire.errors import InputError
from observatoire.platform.support import rules
from observatoire.platform.support.content import read_seed
from observatoire.platform.support.rules import Situation, read_rules

SEED_LINES = 3086


def test_the_shipped_rules_are_valid_and_each_cites_its_source() -> None:
    """Each rule cites lines of the seed, or a public page that the directory's entries cite."""
    shipped = read_rules()
    assert len(shipped) >= 10
    pages = {src["url"] for entry in read_seed() for src in entry.sources if src.get("url")}
    for rule in shipped:
        if rule.source.startswith("Actes, L"):
            for part in rule.source.removeprefix("Actes, ").split(", "):
                first = int(part.lstrip("L").split("–")[0])
                assert 1 <= first <= SEED_LINES
        else:
            url = rule.source.rsplit("(", 1)[-1].rstrip(")")
            assert url in pages, rule.code
        assert rule.title["fr"] and rule.title["en"] and rule.why_text["en"]


@pytest.mark.parametrize(
    ("situation", "expected"),
    [
        (
            Situation("associations", employment="non-employeuse"),
            {
                "guidasso-non-employeuses",
                "dla-apres-pour-non-employeuses",
                "premiere-orientation",
            },
        ),
        (
            Situation("associations", employment="employeuse", needs=("ingenierie",)),
            {
                "dla-employeuses",
            },
        ),
        (
            Situation("associations", employment="employeuse", needs=("financement-direct",)),
            {
                "financement-france-active",
            },
        ),
        (
            Situation(
                "collectivites", objective="co-construction-territoriale", needs=("reseaux",)
            ),
            {
                "co-construction-catalyseurs",
                "mise-en-relation-catalyseurs",
            },
        ),
        (
            Situation("entreprises", stage="emergence", needs=("ingenierie",)),
            {"emergence-incubateurs"},
        ),
        (
            Situation("entreprises", needs=("reseaux",), zone_blanche=True),
            {
                "mise-en-relation-catalyseurs",
                "jeunes-missions-locales",
                "zone-blanche-premier-accueil",
            },
        ),
    ],
)
def test_which_rules_apply(situation: Situation, expected: set[str]) -> None:
    assert {r.code for r in rules.rules() if r.applies(situation)} == expected


def _write(tmp_path: Path, rule: dict) -> Path:
    good = yaml.safe_load(rules.RULES_FILE.read_text(encoding="utf-8"))["rules"][0]
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "rules": [good, {**good, **rule}]}), "utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"code": "x", "when": {"actor_types": ["martiens"]}}, "when.actor_types", "'martiens'"),
        ({"code": "x", "when": {"age": ["jeune"]}}, "when.age", "unknown condition"),
        ({"code": "x", "weight": 0}, "weight", "non-zero"),
        ({"code": "x", "source": ""}, "source", "must name its source"),
        ({"code": "x", "prefer": {"structure_types": ["ovni"]}}, "prefer", "'ovni'"),
        ({"code": "x", "why": {"fr": "seulement en français"}}, "why", "{fr: text, en: text}"),
        ({}, "code", "duplicate rule code"),
    ],
)
def test_a_bad_rule_is_named_by_file_rule_and_field(
    tmp_path: Path, change: dict, field: str, message: str
) -> None:
    path = _write(tmp_path, change)
    with pytest.raises(InputError) as caught:
        read_rules(path)
    error = caught.value
    assert (error.file, error.row, error.field) == (str(path), 2, field)
    assert message in error.message
