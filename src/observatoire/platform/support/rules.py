"""The orientation rules, read from `orientation_rules.yaml` and validated.

The file is data the user sees (the orientation page lists every rule with its source), so a bad
file fails loudly at load time, naming the file, the rule and the field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import get_language

from observatoire import vocabularies
from observatoire.errors import InputError
from observatoire.platform.support.validation import codes

RULES_FILE = Path(__file__).resolve().parent / "orientation_rules.yaml"
NO_NEED = "aucun"  # in `needs`: a person who has stated no need yet
_CONDITIONS: dict[str, vocabularies.Vocabulary] = {
    "actor_types": vocabularies.ACTOR_TYPES,
    "employment": vocabularies.ASSOCIATION_EMPLOYMENT,
    "stages": vocabularies.INNOVATION_STAGES,
    "objectives": vocabularies.OBJECTIVES,
    "sizes": vocabularies.ORGANISATION_SIZES,
}
_NEEDS = vocabularies.Vocabulary(
    "needs",
    "Besoins",
    "Needs",
    (
        *vocabularies.SUPPORT_FORMS.terms,
        vocabularies.Term(NO_NEED, "Aucun besoin précisé", "No stated need"),
    ),
)
_RULE_FIELDS = {"code", "when", "prefer", "weight", "title", "why", "source"}


@dataclass(frozen=True)
class Situation:
    """What the rules look at: the person asking, and whether any local service covers them."""

    actor_type: str
    employment: str = ""
    needs: tuple[str, ...] = ()
    stage: str = ""
    objective: str = ""
    size: str = ""
    zone_blanche: bool = False


@dataclass(frozen=True)
class Rule:
    code: str
    conditions: Mapping[str, tuple[str, ...]]
    zone_blanche: bool | None
    structure_types: tuple[str, ...]
    weight: int
    title: Mapping[str, str]
    why_text: Mapping[str, str]
    source: str

    def applies(self, s: Situation) -> bool:
        """True when every condition holds for the situation."""
        if self.zone_blanche is not None and s.zone_blanche != self.zone_blanche:
            return False
        values = {
            "actor_types": (s.actor_type,),
            "employment": (s.employment,),
            "stages": (s.stage,),
            "objectives": (s.objective,),
            "sizes": (s.size,),
            "needs": s.needs or (NO_NEED,),
        }
        return all(set(values[name]) & set(allowed) for name, allowed in self.conditions.items())

    def points_to(self, structure_type: str, service_forms: list[str], s: Situation) -> bool:
        """Whether the rule moves this service: its structure is of a preferred type and, when
        the rule is about needs, the service meets one of the person's needs that the rule names
        (a funding rule moves a funder's funding service, not its other services)."""
        if structure_type not in self.structure_types:
            return False
        needs = self.conditions.get("needs")
        if needs is None or not s.needs:
            return True
        return bool(set(needs) & set(s.needs) & set(service_forms))

    def label(self) -> str:
        return _localised(self.title)

    def why(self) -> str:
        return _localised(self.why_text)

    def conditions_text(self) -> list[tuple[str, list[str]]]:
        """(condition name, labels of its allowed codes) in the active language, for display."""
        language = get_language() or "fr"
        names = {**_CONDITIONS, "needs": _NEEDS}
        out = []
        for name, allowed in self.conditions.items():
            vocab = names[name]
            out.append((vocab.label(language), [vocab[c].label(language) for c in allowed]))
        return out


def _localised(text: Mapping[str, str]) -> str:
    language = (get_language() or "fr")[:2]
    return text.get(language) or text["fr"]


def _bilingual(item: Mapping[str, Any], name: str) -> dict[str, str]:
    value = item.get(name)
    if not isinstance(value, Mapping) or not all(
        isinstance(value.get(lang), str) and value[lang].strip() for lang in ("fr", "en")
    ):
        raise InputError("expected {fr: text, en: text}", field=name)
    return {lang: " ".join(value[lang].split()) for lang in ("fr", "en")}


def clean_rule(item: Any) -> Rule:
    """Validate one rule of the file; raises InputError naming the field."""
    if not isinstance(item, Mapping):
        raise InputError("a rule must be a mapping")
    unknown = sorted(set(item) - _RULE_FIELDS)
    if unknown:
        raise InputError(f"unknown field(s): {', '.join(unknown)}", field=unknown[0])
    code = item.get("code")
    if not isinstance(code, str) or not code.strip():
        raise InputError("is required", field="code")
    when = item.get("when")
    if not isinstance(when, Mapping) or not when:
        raise InputError("expected at least one condition", field="when")
    conditions: dict[str, tuple[str, ...]] = {}
    zone_blanche: bool | None = None
    for name, value in when.items():
        where = f"when.{name}"
        if name == "zone_blanche":
            if not isinstance(value, bool):
                raise InputError("expected true or false", field=where)
            zone_blanche = value
            continue
        vocab = _NEEDS if name == "needs" else _CONDITIONS.get(name)
        if vocab is None:
            known = ", ".join([*_CONDITIONS, "needs", "zone_blanche"])
            raise InputError(f"unknown condition (known: {known})", field=where)
        found = codes(value, vocab, where)
        if not found:
            raise InputError("expected a non-empty list of codes", field=where)
        conditions[name] = tuple(found)
    prefer = item.get("prefer")
    if not isinstance(prefer, Mapping) or set(prefer) != {"structure_types"}:
        raise InputError("expected {structure_types: [codes]}", field="prefer")
    types = codes(prefer["structure_types"], vocabularies.SUPPORT_STRUCTURE_TYPES, "prefer")
    if not types:
        raise InputError("expected a non-empty list of structure types", field="prefer")
    weight = item.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int) or weight == 0:
        raise InputError("expected a non-zero whole number", field="weight")
    if not -5 <= weight <= 5:
        raise InputError("must be between -5 and 5", field="weight")
    source = item.get("source")
    if not isinstance(source, str) or not source.strip():
        raise InputError("every rule must name its source", field="source")
    return Rule(
        code=code.strip(),
        conditions=conditions,
        zone_blanche=zone_blanche,
        structure_types=tuple(types),
        weight=weight,
        title=_bilingual(item, "title"),
        why_text=_bilingual(item, "why"),
        source=source.strip(),
    )


def read_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    """Every rule of the file, validated; errors name the file, the rule (row) and the field."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the rules ({exc.strerror})", file=str(path)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML ({exc})", file=str(path)) from None
    if not isinstance(content, Mapping) or content.get("version") != 1:
        raise InputError("expected a mapping with version: 1 and rules", file=str(path))
    items = content.get("rules")
    if not isinstance(items, Sequence) or not items:
        raise InputError("expected a non-empty list of rules", file=str(path), field="rules")
    out: list[Rule] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        try:
            rule = clean_rule(item)
        except InputError as exc:
            raise InputError(exc.message, file=str(path), row=number, field=exc.field) from None
        if rule.code in seen:
            raise InputError("duplicate rule code", file=str(path), row=number, field="code")
        seen.add(rule.code)
        out.append(rule)
    return tuple(out)


@cache
def rules() -> tuple[Rule, ...]:
    """The shipped rules, read once per process."""
    return read_rules()
