"""The seed scorecards (`seed_scorecards.yaml`) and their idempotent loader.

Each entry is attached to a seed fiche by its `import_id`. Loading validates everything first
(errors name the file, the entry and the field), then creates or updates rows by their natural
keys (asset description, stake statement, indicator code, measurement date): loading again
changes nothing, and rows the partners added themselves are never touched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from observatoire.errors import InputError
from observatoire.platform.alliances.content import SEED_SOURCE
from observatoire.platform.alliances.models import Alliance
from observatoire.platform.scorecards import records, validation
from observatoire.platform.scorecards.models import Asset, Pathway, Stake

SEED_FILE = Path(__file__).resolve().parent / "seed_scorecards.yaml"
_KEYS = frozenset(
    {"alliance", "visibility", "notes", "assets", "stakes", "pathways", "indicators",
     "measurements"}
)  # fmt: skip


def _entries(path: Path) -> list[dict[str, Any]]:
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(
            f"cannot read the seed scorecards ({exc.strerror})", file=str(path)
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML ({exc})", file=str(path)) from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InputError("expected a YAML list of scorecards", file=str(path))
    return items


def _list(entry: dict[str, Any], name: str) -> list[Any]:
    value = entry.get(name) or []
    if not isinstance(value, list):
        raise InputError("expected a list", field=name)
    return value


def _position(items: list[Any], number: Any, name: str) -> Any:
    if not isinstance(number, int) or not 1 <= number <= len(items):
        raise InputError(f"{number!r} is not the number of one of the {name}", field=name)
    return items[number - 1]


def _load_entry(entry: dict[str, Any]) -> None:
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise InputError(f"unknown key(s): {', '.join(unknown)}", field=unknown[0])
    import_id = validation.text(entry, "alliance", required=True)
    alliance = Alliance.objects.filter(source_name=SEED_SOURCE, import_id=import_id).first()
    if alliance is None:
        raise InputError(f"no seed fiche {import_id!r}: load the fiches first", field="alliance")
    scorecard = records.scorecard_for(alliance)
    settings = validation.clean_settings(entry, partial=True)
    if (scorecard.visibility, scorecard.notes) != (settings.visibility, settings.notes):
        records.update_settings(scorecard, settings, None)
    partners = list(alliance.partners.values_list("name", flat=True))

    assets = []
    for item in _list(entry, "assets"):
        data = validation.clean_asset(item, partners)
        current = scorecard.assets.filter(description=data.description).first()
        assets.append(
            _upsert(current, data, lambda d, a: records.save_asset(scorecard, d, None, a))
        )
    stakes = []
    for item in _list(entry, "stakes"):
        stake_data = validation.clean_stake(item)
        found = scorecard.stakes.filter(statement=stake_data.statement).first()
        stakes.append(
            _upsert(found, stake_data, lambda d, s: records.save_stake(scorecard, d, None, s))
        )
    for item in _list(entry, "pathways"):
        fields = {k: v for k, v in item.items() if k not in ("asset", "stake")}
        path_data = validation.clean_pathway(fields)
        asset: Asset = _position(assets, item.get("asset"), "assets")
        stake: Stake = _position(stakes, item.get("stake"), "stakes")
        known = Pathway.objects.filter(asset=asset, stake=stake, objective=path_data.objective)
        pathway = known.first()
        if pathway is None or (pathway.expected_impacts, pathway.hypothesis) != (
            path_data.expected_impacts,
            path_data.hypothesis,
        ):
            records.save_pathway(scorecard, asset, stake, path_data, None, pathway)
    for item in _list(entry, "indicators"):
        indicator_data = validation.clean_indicator(item)
        existing = scorecard.indicators.filter(code=indicator_data.code).first()
        _upsert(
            existing,
            indicator_data,
            lambda d, i: records.save_indicator(scorecard, d, None, i),
        )
    rows = [
        validation.clean_measurement(item, records.rules(scorecard))
        for item in _list(entry, "measurements")
    ]
    records.save_measurements(scorecard, rows, None)


def _value(current: Any, name: str) -> Any:
    """What `current` holds for the validated field `name` (a partner by name, a stake by its
    1-based position, as the YAML gives them)."""
    value = getattr(current, name)
    if name == "partner":
        return value.name if value is not None else ""
    if name == "stake":
        stakes = list(current.scorecard.stakes.values_list("pk", flat=True))
        return stakes.index(value.pk) + 1 if value is not None else None
    return value


def _upsert(current: Any, data: Any, save: Any) -> Any:
    """Save `data` unless `current` already holds it (no write, no history line)."""
    if current is not None and all(
        _value(current, name) == value
        for name, value in vars(data).items()
        if hasattr(current, name)
    ):
        return current
    return save(data, current)


@transaction.atomic
def load_seed(path: Path = SEED_FILE) -> int:
    """Create or update the seed scorecards; returns how many were loaded."""
    entries = _entries(path)
    for number, entry in enumerate(entries, start=1):
        try:
            _load_entry(entry)
        except InputError as exc:
            raise InputError(exc.message, file=str(path), row=number, field=exc.field) from None
    return len(entries)
