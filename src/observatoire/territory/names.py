"""Folding names for accent- and case-insensitive matching."""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "&": " et "})
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# Abbreviations people type for the saints that name thousands of communes.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces: "Saint-Maur-des-Fossés",
    "st maur des fosses" and "SAINT MAUR DES FOSSÉS" all fold to "saint maur des fosses"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    plain = decomposed.encode("ascii", "ignore").decode("ascii").lower()  # drops the accents
    return " ".join(_ABBREVIATIONS.get(word, word) for word in _NOT_ALNUM.sub(" ", plain).split())
