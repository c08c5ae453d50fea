"""Postcode lookups answer with the outcomes of the public "Find your MP" search, as statuses.

postcodes.io is a local server answering with the recorded answer, moved to each postcode."""

import pytest

from tests.stub_server import Answer, json_answer, postcodes_io_answer


@pytest.fixture
def itchen(postcodes_io, api_samples):
    """SO14 0AA answers as Southampton Itchen (the recorded Sevenoaks answer, moved)."""
    template = api_samples["postcodes_io_postcodes_BR87RE"]
    postcodes_io.routes["/postcodes/SO140AA"] = json_answer(
        postcodes_io_answer(template, "SO14 0AA", "E14001499", "Southampton Itchen")
    )
    return postcodes_io


def test_found_postcode_gives_its_constituency_and_mp(client, demo_site, itchen):
    response = client.get("/api/v3/constituencies/lookup/", {"postcode": "so140aa"})
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "found"
    assert body["postcode"] == "SO14 0AA"
    assert body["constituency"]["slug"] == "southampton-itchen"
    assert body["constituency"]["mp"]["name"] == "Darren Paffey"


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        ({"status": 404, "error": "Postcode not found"}, "not-found"),
        (
            {"status": 404, "terminated": {"year_terminated": 2010, "month_terminated": 6}},
            "terminated",
        ),
    ],
)
def test_postcode_without_a_constituency_is_a_404(client, db, postcodes_io, answer, outcome):
    postcodes_io.routes["/postcodes/SO140AA"] = json_answer(answer, status=404)
    response = client.get("/api/v3/constituencies/lookup/", {"postcode": "SO14 0AA"})
    assert response.status_code == 404
    assert response.json()["errors"][0]["type"] == outcome


def test_crown_dependency_is_a_404_saying_why(client, db, postcodes_io):
    response = client.get("/api/v3/constituencies/lookup/", {"postcode": "JE2 3AB"})
    assert response.status_code == 404
    assert "Jersey" in response.json()["detail"]
    assert postcodes_io.requests == []  # known without asking


@pytest.mark.parametrize(
    "failure", [Answer(status=503, body="down"), Answer(status=200, body="<html>not json</html>")]
)
def test_postcode_service_down_is_a_503_offering_name_search(client, db, postcodes_io, failure):
    postcodes_io.routes["/postcodes/SO140AA"] = failure
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
