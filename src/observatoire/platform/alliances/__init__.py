"""The base of alliances: curated fiches, French full-text faceted search, API and open data."""
