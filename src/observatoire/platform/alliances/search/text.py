"""French text normalisation shared by the search backends.

Both backends fold case and accents, drop the same French stop words and stem with Snowball's
French stemmer (PostgreSQL's `french_unaccent` configuration does it in the database; on SQLite
we do it here, on the indexed text and on the query, before FTS5 sees them). Query terms are
matched as prefixes of stems, so that "énergie" (stem "energ") finds "énergétique" ("energet").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# PostgreSQL's french.stop (the Snowball list), folded: the words neither backend indexes.
_STOP = """au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même mes
moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un
une vos votre vous c d j l à m n s t y été étée étées étés étant étante étants étantes suis es
est sommes êtes sont serai seras sera serons serez seront serais serait serions seriez
seraient étais était
étions étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez soient fusse fusses fût
fussions fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai as avons avez ont aurai
auras aura aurons aurez auront aurais aurait aurions auriez auraient avais avait avions aviez
avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient eusse eusses eût eussions eussiez
eussent"""
_WORD = re.compile(r"[^\W_]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_stemmer = snowballstemmer.stemmer("french")


def fold(text: str) -> str:
    """Lower case without accents or ligatures ("Œuvre Énergétique" -> "oeuvre energetique")."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STOP_WORDS = frozenset(fold(_STOP).split())


def words(text: str) -> list[str]:
    """The folded words of `text` that carry meaning (stop words removed)."""
    return [w for w in _WORD.findall(fold(text)) if w not in STOP_WORDS]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def stemmed(text: str) -> str:
    """The text as FTS5 indexes it: folded, stop words removed, stemmed, space-separated."""
    return " ".join(stem(w) for w in words(text))
