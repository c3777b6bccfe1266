"""Eligibility rules of a funding instrument, as data, and their three-valued evaluation.

A rule is either a condition on one fact about the applicant,
    {"criterion": "age_years", "op": ">=", "value": 3, "label": "…", "source": "…"},
or a group, {"any": [rule, …], "label": …, "source": …} (at least one) or {"all": […], …}.
Evaluated against the facts an orientation knows, a rule is True, False, or None when a fact it
needs is missing: the instrument is then proposed "under conditions", with the rule's label as
what to check, rather than hidden or promised.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from observatoire.errors import InputError


@dataclass(frozen=True)
class Criterion:
    code: str
    kind: type  # bool or float
    fr: str
    en: str


CRITERIA: dict[str, Criterion] = {
    c.code: c
    for c in (
        Criterion("age_years", float, "Ancienneté de la structure (années)", "Age (years)"),
        Criterion("revenue_eur", float, "Budget ou chiffre d'affaires annuel (€)", "Revenue (€)"),
        Criterion("fte", float, "Salariés (équivalents temps plein)", "Staff (FTE)"),
        Criterion(
            "scaling_ambition",
            bool,
            "Ambition de changer d'échelle au-delà du local",
            "Ambition to scale beyond the local level",
        ),
        Criterion(
            "multi_actor",
            bool,
            "Projet réunissant plusieurs types d'acteurs",
            "Project bringing several types of actors together",
        ),
    )
}
OPERATORS = ("==", ">=", "<=")
_MAX_DEPTH = 3
_MAX_LABEL = 300


def _label(rule: Mapping[str, Any], where: str) -> tuple[str, str]:
    label, source = rule.get("label", ""), rule.get("source", "")
    for name, value in (("label", label), ("source", source)):
        if not isinstance(value, str) or "\x00" in value or len(value) > _MAX_LABEL:
            raise InputError(f"{name} must be text of at most {_MAX_LABEL} characters", field=where)
    if not label.strip():
        raise InputError("label is required (what the applicant must check)", field=where)
    return label.strip(), source.strip()


def clean_rule(rule: Any, where: str = "eligibility[1]", depth: int = 0) -> dict[str, Any]:
    """One rule checked and normalised; raises InputError naming where it is wrong."""
    if not isinstance(rule, Mapping):
        raise InputError("a rule must be a mapping", field=where)
    label, source = _label(rule, where)
    groups = [g for g in ("any", "all") if g in rule]
    if groups:
        group = groups[0]
        if len(groups) > 1 or set(rule) - {group, "label", "source"}:
            raise InputError(f"a group has only {group!r}, 'label' and 'source'", field=where)
        items = rule[group]
        if depth >= _MAX_DEPTH or not isinstance(items, list) or not 2 <= len(items) <= 10:
            raise InputError(f"{group!r} needs a list of 2 to 10 rules (nested ≤ 3)", field=where)
        cleaned = [
            clean_rule(r, f"{where}.{group}[{i}]", depth + 1) for i, r in enumerate(items, 1)
        ]
        return {group: cleaned, "label": label, "source": source}
    if set(rule) - {"criterion", "op", "value", "label", "source"}:
        raise InputError("a rule has criterion, op, value, label and source", field=where)
    criterion = CRITERIA.get(str(rule.get("criterion")))
    if criterion is None:
        raise InputError(f"unknown criterion (allowed: {', '.join(CRITERIA)})", field=where)
    op, value = rule.get("op"), rule.get("value")
    if criterion.kind is bool:
        if op != "==" or not isinstance(value, bool):
            raise InputError(f"{criterion.code} takes op '==' and true or false", field=where)
    else:
        if op not in OPERATORS or isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(
                f"{criterion.code} takes op {', '.join(OPERATORS)} and a number", field=where
            )
        if not 0 <= value <= 1e12:
            raise InputError("the value must be between 0 and 10^12", field=where)
    return {"criterion": criterion.code, "op": op, "value": value, "label": label, "source": source}


def clean_rules(rules: Any, field: str = "eligibility") -> list[dict[str, Any]]:
    if rules is None:
        return []
    if not isinstance(rules, list) or len(rules) > 20:
        raise InputError("expected a list of at most 20 rules", field=field)
    return [clean_rule(r, f"{field}[{i}]") for i, r in enumerate(rules, 1)]


def clean_facts(facts: Mapping[str, Any] | None) -> dict[str, float | bool]:
    """The applicant's facts that an orientation knows, typed; unknown names are refused."""
    out: dict[str, float | bool] = {}
    for name, value in (facts or {}).items():
        criterion = CRITERIA.get(name)
        if criterion is None:
            raise InputError(f"unknown fact (allowed: {', '.join(CRITERIA)})", field=name)
        if value is None:
            continue
        if criterion.kind is bool:
            if not isinstance(value, bool):
                raise InputError("expected true or false", field=name)
            out[name] = value
        else:
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise InputError("expected a number ≥ 0", field=name)
            out[name] = float(value)
    return out


def evaluate(rule: Mapping[str, Any], facts: Mapping[str, float | bool]) -> bool | None:
    """True, False, or None when a fact the rule needs is unknown (Kleene's three values)."""
    if "any" in rule or "all" in rule:
        results = [evaluate(r, facts) for r in rule.get("any") or rule["all"]]
        decisive, other = (True, False) if "any" in rule else (False, True)
        if decisive in results:
            return decisive
        return None if None in results else other
    fact = facts.get(rule["criterion"])
    if fact is None:
        return None
    if rule["op"] == ">=":
        return fact >= rule["value"]
    if rule["op"] == "<=":
        return fact <= rule["value"]
    return fact == rule["value"]
