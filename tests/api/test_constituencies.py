"""Postcode lookups answer with the outcomes of the public "Find your MP" search, as statuses."""

import pytest
from django.core.cache import cache

from letters import postcodes


@pytest.fixture
def postcodes_io(monkeypatch):
    """Stand in for postcodes.io: tests set `answers[postcode]` (None means it is down)."""
    cache.clear()  # lookups are cached; each test starts from what it sets
    answers: dict[str, dict | None] = {}
    monkeypatch.setattr(postcodes, "fetch_postcode_answer", lambda postcode: answers.get(postcode))
    return answers


def test_found_postcode_gives_its_constituency_and_mp(client, demo_site, postcodes_io):
    postcodes_io["SO14 0AA"] = {"kind": "found", "gss_code": "E14001499", "name": "Itchen"}
    response = client.get("/api/v3/constituencies/lookup/", {"postcode": "so140aa"})
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "found"
    assert body["postcode"] == "SO14 0AA"
    assert body["constituency"]["slug"] == "southampton-itchen"
    assert body["constituency"]["mp"]["name"] == "Darren Paffey"


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [({"kind": "not-found"}, "not-found"), ({"kind": "terminated", "year": 2010}, "terminated")],
)
def test_postcode_without_a_constituency_is_a_404(client, db, postcodes_io, answer, outcome):
    postcodes_io["SO14 0AA"] = answer
    response = client.get("/api/v3/constituencies/lookup/", {"postcode": "SO14 0AA"})
    assert response.status_code == 404
    assert response.json()["errors"][0]["type"] == outcome


def test_crown_dependency_is_a_404_saying_why(client, db, postcodes_io):
    response = client.get("/api/v3/constituencies/lookup/", {"postcode": "JE2 3AB"})
    assert response.status_code == 404
    assert "Jersey" in response.json()["detail"]


def test_postcode_service_down_is_a_503_offering_name_search(client, db, postcodes_io):
    response = client.get("/api/v3/constituencies/lookup/", {"postcode": "SO14 0AA"})
    assert response.status_code == 503
    assert "constituency or MP name" in response.json()["detail"]


def test_search_by_name_ignores_accents_and_filters_by_region(client, demo_site):
    response = client.get("/api/v3/constituencies/", {"q": "ITCHEN", "region": "south-east"})
    assert [c["slug"] for c in response.json()["items"]] == ["southampton-itchen"]
    response = client.get("/api/v3/constituencies/", {"q": "itchen", "region": "london"})
    assert response.json() == {"count": 0, "items": []}


def test_unpublished_letter_is_not_served(client, demo_site):
    from letters.models import LetterPage

    LetterPage.objects.get(slug="invite-your-mp-sanctuary-in-parliament-2018").unpublish()
    response = client.get(
        "/api/v3/letters/invite-your-mp-sanctuary-in-parliament-2018/southampton-itchen/"
    )
    assert response.status_code == 404
    listed = [item["slug"] for item in client.get("/api/v3/letters/").json()["items"]]
    assert "invite-your-mp-sanctuary-in-parliament-2018" not in listed
