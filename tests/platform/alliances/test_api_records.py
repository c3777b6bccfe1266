"""The API search builds its result records from column values: they must equal the detail
record (`exports.record`, from model instances) restricted to the search fields."""

from __future__ import annotations

import pytest
from django.test import Client

from observatoire.platform.alliances import exports
from observatoire.platform.alliances.api import AllianceOut
from observatoire.platform.alliances.models import Alliance

pytestmark = pytest.mark.django_db


def test_search_records_equal_the_detail_records(client: Client, base) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/alliances?per_page=100")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    results = response.json()["results"]
    assert len(results) >= 2 and any(r["partners"] for r in results)
    fields = list(AllianceOut.model_fields)
    for result in results:
        alliance = Alliance.objects.prefetch_related("partners").get(pk=result["id"])
        detail = exports.record(alliance)
        assert list(result) == fields
        assert result == {name: detail[name] for name in fields}
