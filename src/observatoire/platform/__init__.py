"""The web platform (Django): published aggregates and curated content, never microdata."""
