"""Find territories by name, forgiving accents, case, hyphens and "St" for "Saint"."""

from __future__ import annotations

from collections.abc import Iterable

from observatoire.errors import InputError
from observatoire.territory.model import Territory, check_kinds
from observatoire.territory.names import fold
from observatoire.territory.registry import registry

# Match quality, best first.
EXACT, PREFIX, WORD_PREFIXES, SUBSTRINGS = range(4)


def _quality(name: str, query: str, words: list[str]) -> int | None:
    if name == query:
        return EXACT
    if name.startswith(query):
        return PREFIX
    spaced = f" {name}"
    if all(f" {w}" in spaced for w in words):
        return WORD_PREFIXES
    if all(w in name for w in words):
        return SUBSTRINGS
    return None


def search(text: str, kinds: Iterable[str] | None = None, limit: int = 20) -> list[Territory]:
    """Territories whose name (or former name, for merged communes) matches `text`.

    Best first: exact name, then names starting with the text, then names whose words start
    with each word typed, then names containing each word; among equals, the most populous
    first. A code typed as is (commune, SIREN...) comes first too.
    """
    wanted = set(kinds) if kinds is not None else None
    check_kinds(wanted)
    if limit < 1:
        raise InputError(f"limit must be at least 1, not {limit}", field="limit")
    query = fold(text)
    if not query:
        raise InputError("search text is empty: type part of a territory name", field="text")
    words = query.split()
    reg = registry()
    scored: dict[tuple[str, str], tuple[int, bool, int, str]] = {}
    code = reg.resolve(text)
    for t in reg.by_code.get(code, ()):
        scored[t.key] = (EXACT, False, 0, "")
    first = words[0]
    candidates = [entry for entry in reg.search_index if first in entry[0]]
    for name, t, via_alias in candidates:
        if wanted is not None and t.kind not in wanted:
            continue
        quality = _quality(name, query, words)
        if quality is None:
            continue
        rank = (quality, via_alias, -(t.population or 0), name)
        if t.key not in scored or rank < scored[t.key]:
            scored[t.key] = rank
    best = sorted(scored, key=scored.__getitem__)
    found = (reg.by_key[key] for key in best)
    return [t for t in found if wanted is None or t.kind in wanted][:limit]
