"""The 12 study regions: the 13 metropolitan regions with Corse merged into
Provence-Alpes-Côte d'Azur, as in the IMPACT-Citoyens surveys."""

from __future__ import annotations

from observatoire.errors import InputError

METROPOLITAN_REGIONS = (
    "11",
    "24",
    "27",
    "28",
    "32",
    "44",
    "52",
    "53",
    "75",
    "76",
    "84",
    "93",
    "94",
)
MERGED = {"94": "93"}  # Corse -> Provence-Alpes-Côte d'Azur
MERGED_NAME = "Provence-Alpes-Côte d'Azur + Corse"


def study_region_of(region_code: str) -> str:
    """The study region (an INSEE region code) that a metropolitan region belongs to."""
    code = str(region_code).strip()
    if code not in METROPOLITAN_REGIONS:
        raise InputError(
            f"region {code!r} is not one of the 13 metropolitan regions "
            f"({', '.join(METROPOLITAN_REGIONS)}), so it has no study region",
            field="region",
        )
    return MERGED.get(code, code)


def study_region_codes() -> tuple[str, ...]:
    """The 12 study region codes, in INSEE order."""
    return tuple(code for code in METROPOLITAN_REGIONS if code not in MERGED)
