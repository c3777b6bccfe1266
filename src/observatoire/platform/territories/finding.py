"""« Ma commune »: from what a visitor typed (a name, an INSEE code, a SIREN, a reference) to
the territory's portrait, or to the few territories it may mean.

People know their commune's name, not its code: "charenton" lists Charenton-le-Pont (and
Charenton-du-Cher); a code, a reference or a name that only one territory bears leads straight
to the portrait. Department and region codes overlap ("94" is Val-de-Marne and Corse): both are
offered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from observatoire import territory
from observatoire.errors import InputError
from observatoire.territory.names import fold

MAX_TEXT = 100
LIMIT = 20


@dataclass(frozen=True)
class Found:
    text: str
    exact: territory.Territory | None = None  # go straight to its portrait
    matches: list[territory.Territory] = field(default_factory=list)


SUGGESTED = re.compile(r"\((?P<code>[0-9A-Za-z-]{2,20})\)\s*$")  # "Charenton-le-Pont (94018)"


def find(text: str, limit: int = LIMIT) -> Found:
    text = text.replace("\x00", "").strip()[:MAX_TEXT]
    if not fold(text):
        return Found(text)
    if suggested := SUGGESTED.search(text):
        try:
            return Found(text, exact=territory.get(suggested["code"]))
        except InputError:
            text = text[: suggested.start()].strip()
    try:
        return Found(text, exact=territory.get(territory.resolve(text)))
    except territory.AmbiguousTerritory:
        return Found(text, matches=[territory.get(text, k) for k in ("department", "region")])
    except InputError:
        pass
    matches = territory.search(text, limit=limit)
    named = [t for t in matches if fold(t.name) == fold(text)]
    if len(matches) == 1 or len(named) == 1:
        return Found(text, exact=(named or matches)[0], matches=matches)
    return Found(text, matches=matches)
