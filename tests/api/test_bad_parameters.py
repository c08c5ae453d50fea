"""Bad parameters on every project endpoint: a 400 problem naming the parameter, never a 500."""

import functools
import re
from urllib.parse import quote, urlencode

import pytest
from wagtail.models import Page, Revision

from config.api import openapi_schema
from tests.api.conftest import bearer

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


# Wagtail's own routers pass these straight to the database, which fails on them (a NUL byte
# in PostgreSQL text, an integer past 64 bits); the project refuses them before any view.
HUGE = "99999999999999999999999"
WAGTAIL_REFUSED = [
    ("/api/v3/pages/", "search", HOSTILE["nul"]),
    ("/api/v3/pages/", "locale", HOSTILE["nul"]),
    ("/api/v3/pages/", "site", HOSTILE["nul"]),
    ("/api/v3/pages/", "title", HOSTILE["nul"]),
    ("/api/v3/pages/", "order", HOSTILE["nul"]),
    ("/api/v3/pages/", "offset", HUGE),
    ("/api/v3/pages/", "offset", "-" + HUGE),
    ("/api/v3/pages/", "offset", "9" * 5000),
    ("/api/v3/pages/", "limit", HUGE),
    ("/api/v3/pages/", "child_of", HUGE),
    ("/api/v3/pages/", "id", HUGE),
    ("/api/v3/pages/find/", "html_path", HOSTILE["nul"]),
    ("/api/v3/pages/find/", "site", HOSTILE["nul"]),
    ("/api/v3/pages/find/", "id", HUGE),
    ("/api/v3/images/", "offset", HUGE),
    ("/api/v3/images/", "search", HOSTILE["nul"]),
    ("/api/v3/documents/", "offset", HUGE),
    ("/api/v3/documents/", "search", HOSTILE["nul"]),
    ("/api/v3/sites/", "offset", HUGE),
    ("/api/v3/redirects/", "offset", HUGE),
    ("/api/v3/redirects/find/", "html_path", HOSTILE["nul"]),
    ("/api/v3/redirects/find/", "id", HUGE),
]


@pytest.mark.parametrize(("endpoint", "name", "value"), WAGTAIL_REFUSED)
def test_nul_bytes_and_huge_integers_on_wagtail_routers_are_a_400_naming_them(
    client, db, endpoint, name, value
):
    assert_names_parameter(client.get(endpoint, {name: value}), name)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (f"/api/v3/pages/{HUGE}/", "page_id"),
        (f"/api/v3/pages/{HUGE}/revisions/", "page_id"),
        (f"/api/v3/pages/1/revisions/{HUGE}/", "revision_id"),
        (f"/api/v3/images/{HUGE}/", "image_id"),
        (f"/api/v3/documents/{HUGE}/", "document_id"),
        (f"/api/v3/sites/{HUGE}/", "site_id"),
        (f"/api/v3/redirects/{HUGE}/", "redirect_id"),
        ("/api/v3/schema/a%00b/", "type_name"),
        ("/api/v3/pages/abc/", "page_id"),
        ("/api/v3/pages/-1/", "page_id"),
        ("/api/v3/pages/%C2%B3/", "page_id"),
        ("/api/v3/images/1.5/", "image_id"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_nul_bytes_huge_integers_and_ids_that_are_not_numbers_in_wagtail_paths_are_a_400(
    client, db, url, name, method
):
    response = client.generic(method, url, "{}", content_type="application/json")
    assert_names_parameter(response, name)


def test_a_nul_byte_in_a_parameter_name_is_a_400_that_does_not_echo_it(client, db):
    response = client.get("/api/v3/pages/?a%00b=1")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "\x00" not in response.json()["detail"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("name", ["from", "to"])
def test_the_first_and_last_days_of_the_calendar_are_ordinary_bounds(client, db, name, day):
    response = client.get("/api/v3/events/", {name: day})
    assert response.status_code == 200, response.content
    assert set(response.json()) == {"count", "items"}


@functools.cache
def published_document() -> dict:
    """The API's document, built once for the parametrizations below (read, never changed)."""
    return openapi_schema(path_prefix="/api/v3/")


def json_write_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation in the published document that takes a JSON body."""
    schema = published_document()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


BAD_BODIES = {
    "a list": ("[]", "body"),
    "null": ("null", "body"),
    "a number": ("1", "body"),
    "a string": ('"page"', "body"),
    "true": ("true", "body"),
    "a NUL byte in a field": ('{"title": "a\\u0000b"}', "body.title"),
    "a NUL byte in a nested field": ('{"meta": {"slug": "a\\u0000b"}}', "body.meta.slug"),
    "a huge integer": (f'{{"meta": {{"parent_id": {HUGE}}}}}', "body.meta.parent_id"),
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
@pytest.mark.parametrize(("method", "path"), json_write_operations())
def test_a_json_body_no_operation_can_use_is_a_400_and_writes_nothing(
    client, db, method, path, body
):
    """Refused before authentication: no body shape is worth a token lookup."""
    text, field = body
    url = re.sub(r"\{\w+\}", "1", path)
    before = (Page.objects.count(), Revision.objects.count())
    response = client.generic(method, url, text, content_type="application/json")
    assert_names_parameter(response, field)
    assert (Page.objects.count(), Revision.objects.count()) == before


# The sweep: every operation in the published document, each parameter given the values of
# its type that databases and date arithmetic cannot take. Whatever the answer, never a 5xx.
EXTREMES = {
    "string": ["a\x00b"],
    "integer": [HUGE, "-" + HUGE, "9223372036854775807", "9" * 5000, "³"],
    "date": ["0001-01-01", "9999-12-31"],
    "date-time": ["0001-01-01T00:00:00", "9999-12-31T23:59:59", "9999-12-31T23:59:59+14:00"],
}
# What a parameter holds when it is not the one under test.
ORDINARY = {"string": "x", "integer": "1", "date": "2027-01-01", "date-time": "2027-01-01T00:00"}


def kind_of(schema: dict) -> str:
    """The parameter's kind for the sweep: integer, date, date-time or string."""
    options = schema.get("anyOf", [schema])
    for option in options:
        if option.get("type") == "integer":
            return "integer"
        if option.get("format") in ("date", "date-time"):
            return option["format"]
    return "string"


def published_operations() -> list[tuple[str, str, list[dict]]]:
    schema = published_document()
    return [
        (method.upper(), path, operation.get("parameters", []))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


def sweep_requests(path: str, parameters: list[dict]):
    """(parameter, value, url, headers) for each extreme value of each parameter."""
    for target in parameters:
        for value in EXTREMES[kind_of(target.get("schema", {}))]:
            url, query, headers = path, {}, {"HTTP_IF_MATCH": "*"}
            for parameter in parameters:
                kind = kind_of(parameter.get("schema", {}))
                given = value if parameter is target else ORDINARY[kind]
                if parameter["in"] == "path":
                    url = url.replace("{" + parameter["name"] + "}", quote(given, safe=""))
                elif parameter["in"] == "query" and (parameter is target or parameter["required"]):
                    query[parameter["name"]] = given
            yield target["name"], value, f"{url}?{urlencode(query)}", headers


@pytest.mark.parametrize(
    ("method", "path", "parameters"),
    published_operations(),
    ids=[f"{method} {path}" for method, path, _ in published_operations()],
)
def test_every_published_operation_answers_extreme_values_without_a_server_error(
    client, tokens, method, path, parameters
):
    problems = []
    for name, value, url, headers in sweep_requests(path, parameters):
        response = client.generic(
            method,
            url,
            "{}",
            content_type="application/json",
            **headers,
            **bearer(tokens["staff"]),
        )
        if response.status_code >= 500:
            problems.append(f"{name}={value!r}: {response.status_code}")
    assert problems == []


@pytest.mark.parametrize("endpoint", ["/api/v3/pages/", "/api/v3/pages/find/"])
@pytest.mark.parametrize("site", ["localhost:http", "http://localhost/groups/", "a:1:2"])
def test_a_site_filter_that_is_not_a_hostname_and_port_is_a_400_naming_it(
    client, db, endpoint, site
):
    assert_names_parameter(client.get(endpoint, {"site": site, "html_path": "/"}), "site")


def test_more_query_parameters_than_django_reads_is_a_400_problem(client, db, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client.get("/api/v3/pages/?" + "&".join(f"p{n}=1" for n in range(20)))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
