"""Odd filter values and odd paths never give a server error on the events pages and feeds."""

import pytest

from tests.conftest import built_once

from .conftest import add_event, build_tree, uk

# Every test only reads: the events are built once for the module and rolled back after it.
pytestmark = pytest.mark.django_db

LISTINGS = ["/events/", "/groups/southampton/events/", "/events/ical/"]
ODD_VALUES = [
    "x" * 5000,
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%FF%FE%00",
    "\x00",
    "99999999999999999999999999",
    "-1",
    "   ",
    "ŵ ŷ العربية",
]


@pytest.fixture(scope="module")
def site_with_events(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        tree = build_tree()
        add_event(tree.southampton, "picnic", uk(2099, 6, 20, 12), tags=["Refugee Week"])
        add_event(tree.index, "national-day", uk(2001, 6, 20, 12))
        yield tree


@pytest.mark.parametrize("url", LISTINGS)
@pytest.mark.parametrize("name", ["tag", "group", "region", "national", "page"])
@pytest.mark.parametrize("value", ODD_VALUES, ids=range(len(ODD_VALUES)))
def test_odd_filter_values_are_ignored_not_errors(client, site_with_events, url, name, value):
    response = client.get(url, {name: value})

    # A NUL byte no route can use is refused up front with the 400 page (core/bad_input.py).
    assert response.status_code == (400 if "\x00" in value else 200)
    if not url.endswith("ical/"):
        assert b"<script>alert(1)</script>" not in response.content
        assert b"x" * 300 not in response.content  # the message names the filter, not the value


def test_a_bad_filter_is_named_in_a_message_and_the_rest_still_apply(client, site_with_events):
    html = client.get("/events/", {"tag": "refugee-week", "region": "atlantis"}).content.decode()

    assert "We ignored the “Region” filter: there is no such region." in html
    assert "Picnic" in html
    assert "National day" not in html


@pytest.mark.parametrize(
    "query",
    ["tag=%FF%FE", "group=%C0%AF", "region=%E2%82", "page=%FF", "tag=a&tag=b", "national=%00"],
)
def test_non_utf8_percent_escapes_in_the_query_string(client, site_with_events, query):
    for url in LISTINGS:
        assert client.get(f"{url}?{query}").status_code == (400 if "%00" in query else 200)


@pytest.mark.parametrize(
    "path",
    [
        "/groups/%FF/events/",
        "/groups/%C0%AF/events/ical/",
        "/groups/..%2F..%2Fetc/events/",
        "/groups/../events/",
        "/groups/%3Cscript%3E/events/",
        f"/groups/{'a' * 3000}/events/",
        "/groups/no-such-group/events/ical/",
        "/groups/southampton/events/ical/extra/",
        "/events/no-such-event/ical/",
        "/events/picnic/ical/",
        "/events/ical/ical/",
        "/groups/southampton/picnic/ical/%FF/",
        "/groups/southampton/picnic/ical.ics",
        "/events/%00/ical/",
    ],
)
def test_odd_paths_are_not_found_rather_than_errors(client, site_with_events, path):
    expected = (400,) if "%00" in path else (200, 301, 302, 404)  # a NUL byte: the 400 page
    assert client.get(path).status_code in expected
