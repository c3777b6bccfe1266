"""The scorecards API: published scorecards only, bounded parameters, token-authenticated pushes
of measurements that save all rows or none."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from observatoire.platform.accounts import tokens
from observatoire.platform.scorecards import records, validation
from observatoire.platform.scorecards.models import Measurement


@pytest.fixture
def published(scorecard: Any, add_indicator: Any) -> Any:
    add_indicator(code="personnes-touchees", target="300", target_date="2025-06-30")
    add_indicator(
        code="secret",
        name="Secret",
        perspective="actifs",
        level="realisation",
        unit="euros",
        is_public="non",
    )
    rows = [
        validation.clean_measurement(
            {
                "indicator": code,
                "date": "2023-06-30",
                "value": "250",
                "confidence": "mesure",
                "source": "Bilan",
            },
            records.rules(scorecard),
        )
        for code in ("personnes-touchees", "secret")
    ]
    records.save_measurements(scorecard, rows, None)
    records.update_settings(scorecard, validation.SettingsData("public"), None)
    return scorecard


@pytest.mark.django_db
def test_published_scorecards_are_open_data(published: Any, client: Client) -> None:
    listing = client.get("/api/scorecards?territory=REG-11").json()
    assert listing["count"] == 1 and listing["results"][0]["slug"] == "ecole-entreprise"
    assert client.get("/api/scorecards?territory=REG-93").json()["count"] == 0
    detail = client.get("/api/scorecards/ecole-entreprise").json()
    assert [i["code"] for i in detail["indicators"]] == ["personnes-touchees"]
    indicator = detail["indicators"][0]
    assert (
        indicator["status"]["colour"] == "orange"
        and indicator["measurements"][0]["value"] == "250.0000"
    )
    rollup = client.get("/api/scorecards/rollup?year=2023").json()
    assert rollup["lines"][0]["indicator"] == "personnes-touchees"


@pytest.mark.django_db
def test_private_scorecards_answer_404(scorecard: Any, client: Client) -> None:
    assert client.get("/api/scorecards/ecole-entreprise").status_code == 404
    assert client.get("/api/scorecards/nexiste-pas").status_code == 404
    assert client.get("/api/scorecards").json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "per_page=1000",
        "page=0",
        "page=abc",
        "territory=" + "x" * 41,
        "objective=nope",
        "territory=zzz",
        "year=1800",
    ],
)
def test_bad_parameters_answer_4xx(published: Any, client: Client, query: str) -> None:
    url = "/api/scorecards/rollup?" if query.startswith("year") else "/api/scorecards?"
    response = client.get(url + query)
    assert 400 <= response.status_code < 500, query


def _push(client: Client, key: str | None, rows: list[dict[str, Any]]) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.post(
        "/api/scorecards/ecole-entreprise/measurements",
        json.dumps({"measurements": rows}),
        content_type="application/json",
        **headers,
    )


ROW = {
    "indicator": "personnes-touchees",
    "date": "2024-06-30",
    "value": "280",
    "confidence": "declaratif",
    "source": "Bilan 2024",
}


@pytest.mark.django_db
def test_partners_push_measurements_with_a_token(
    published: Any, partner_user: Any, stranger: Any, client: Client
) -> None:
    _, key = tokens.issue(partner_user)
    _, other = tokens.issue(stranger)
    assert _push(client, None, [ROW]).status_code == 401
    assert _push(client, "nope", [ROW]).status_code == 401
    assert _push(client, other, [ROW]).status_code == 404
    response = _push(client, key, [ROW, {**ROW, "date": "2024-07-01", "value": "deux"}])
    assert response.status_code == 422
    assert "measurements[2]" in response.json()["detail"] and "'value'" in response.json()["detail"]
    assert not Measurement.objects.filter(date="2024-06-30").exists()
    for bad in ({"source": "a\x00b"}, {"source_url": "javascript:alert(1)"}, {"source": "x" * 501}):
        assert _push(client, key, [{**ROW, **bad}]).status_code == 422, bad
    assert _push(client, key, [ROW]).json() == {"created": 1, "updated": 0, "unchanged": 0}
    assert _push(client, key, [ROW, ROW]).status_code == 422  # the same key twice
    assert Measurement.objects.get(date="2024-06-30").history.get().history_user == partner_user


@pytest.mark.django_db
def test_schema_states_the_length_limits(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    fields = schema["components"]["schemas"]["MeasurementIn"]["properties"]
    assert fields["source"]["maxLength"] == 500 and fields["note"]["maxLength"] == 1000
