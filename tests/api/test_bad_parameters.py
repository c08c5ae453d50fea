"""Bad parameters on every project endpoint: a 400 problem naming the parameter, never a 500."""

import pytest

HOSTILE = {
    "long": "x" * 5000,
    "traversal": "../../etc/passwd",
    "html": "<script>alert(1)</script>",
    "sql": "' OR 1=1; DROP TABLE wagtailcore_page; --",
    "nul": "a\x00b",
}
NOT_A_NUMBER = ["abc", "1.5", "-1", "99999999999999999999999"]

# (endpoint, parameter, values that must be refused)
REFUSED = [
    ("/api/v3/groups/", "nation", ["narnia", *HOSTILE.values()]),
    ("/api/v3/groups/", "region", ["atlantis", *HOSTILE.values()]),
    ("/api/v3/groups/", "kind", ["village", *HOSTILE.values()]),
    ("/api/v3/groups/", "status", ["sleeping", *HOSTILE.values()]),
    ("/api/v3/groups/", "q", [HOSTILE["long"], HOSTILE["nul"]]),
    ("/api/v3/groups/", "limit", ["0", "101", *NOT_A_NUMBER]),
    ("/api/v3/groups/", "offset", ["-1", "abc", "99999999999999999999999"]),
    ("/api/v3/events/", "from", ["2024-13-45", "tomorrow", *HOSTILE.values()]),
    ("/api/v3/events/", "to", ["2024-02-30", *HOSTILE.values()]),
    ("/api/v3/events/", "tag", ["no-such-tag", *HOSTILE.values()]),
    ("/api/v3/events/", "group", ["999999", "0", *NOT_A_NUMBER, *HOSTILE.values()]),
    ("/api/v3/events/", "region", ["atlantis", *HOSTILE.values()]),
    ("/api/v3/events/", "national", ["maybe", *HOSTILE.values()]),
    ("/api/v3/events/", "limit", ["0", "1000", *NOT_A_NUMBER]),
    ("/api/v3/constituencies/", "q", ["a", HOSTILE["long"], HOSTILE["nul"]]),
    ("/api/v3/constituencies/", "nation", ["narnia", *HOSTILE.values()]),
    ("/api/v3/constituencies/", "region", ["atlantis", *HOSTILE.values()]),
    ("/api/v3/constituencies/", "offset", ["-5", *HOSTILE.values()]),
    ("/api/v3/constituencies/lookup/", "postcode", ["", "SO14", "12345", *HOSTILE.values()]),
    ("/api/v3/letters/", "limit", ["0", "101", *NOT_A_NUMBER]),
    ("/api/v3/letters/", "offset", ["-1", *HOSTILE.values()]),
]
CASES = [(endpoint, name, value) for endpoint, name, values in REFUSED for value in values]

# Path parameters: (URL with a bad segment, the parameter it fills)
BAD_PATHS = [
    ("/api/v3/groups/<b>x/", "slug"),
    ("/api/v3/groups/%27%20OR%201=1--/", "slug"),
    ("/api/v3/groups/a%00b/", "slug"),
    ("/api/v3/groups/" + "s" * 300 + "/", "slug"),
    ("/api/v3/events/abc/", "event_id"),
    ("/api/v3/events/0/", "event_id"),
    ("/api/v3/events/99999999999999999999/", "event_id"),
    ("/api/v3/constituencies/<i>/", "slug"),
    ("/api/v3/letters/<x>/southampton-itchen/", "letter_slug"),
    (
        "/api/v3/letters/invite-your-mp-sanctuary-in-parliament-2018/%22;select/",
        "constituency_slug",
    ),
]


def assert_names_parameter(response, name: str) -> None:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert name in problem["detail"]
    assert any(
        error["parameter"] == name and name in error["message"] for error in problem["errors"]
    ), problem


@pytest.mark.parametrize(("endpoint", "name", "value"), CASES)
def test_bad_query_parameter_is_a_400_naming_it(client, db, endpoint, name, value):
    params = {name: value}
    if endpoint.endswith("/lookup/") and name != "postcode":
        params["postcode"] = "SO14 0AA"
    response = client.get(endpoint, params)
    assert_names_parameter(response, name)


@pytest.mark.parametrize(("url", "name"), BAD_PATHS)
def test_bad_path_parameter_is_a_400_naming_it(client, db, url, name):
    assert_names_parameter(client.get(url), name)


def test_missing_postcode_is_named(client, db):
    assert_names_parameter(client.get("/api/v3/constituencies/lookup/"), "postcode")


@pytest.mark.parametrize("value", [HOSTILE["html"], HOSTILE["sql"], HOSTILE["traversal"]])
def test_hostile_search_text_is_only_text(client, db, value):
    """Free-text searches take any text: it matches nothing, and nothing breaks."""
    response = client.get("/api/v3/groups/", {"q": value})
    assert response.status_code == 200
    assert response.json() == {"count": 0, "items": []}


def test_a_range_that_ends_before_it_starts_names_to(client, db):
    response = client.get("/api/v3/events/", {"from": "2020-02-01", "to": "2020-01-01"})
    assert_names_parameter(response, "to")


def test_wagtail_pages_router_keeps_its_own_limit_check(client, db):
    response = client.get("/api/v3/pages/", {"limit": "101"})
    assert response.status_code == 400
    assert "limit" in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v3/groups/no-such-group/",
        "/api/v3/events/2147483647/",
        "/api/v3/constituencies/no-such-seat/",
        "/api/v3/letters/no-such-letter/southampton-itchen/",
        "/api/v3/letters/invite-your-mp-sanctuary-in-parliament-2018/no-such-seat/",
    ],
)
def test_unknown_things_are_a_404_problem(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404
