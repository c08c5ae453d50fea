"""Every public form, route parameter and query string, fed hostile input.

Each row names a route and where the hostile value goes ({v} in the path or a query
parameter). Whatever the value, the answer is a 4xx or a page with a message, never a 5xx;
no hostile markup comes back unescaped; and no row in the tables that matter is written.

Hostile letter *downloads* (which count a download) and visitor details in Word/PDF files
are covered in tests/letters/test_letter_pages.py (test_hostile_visitor_input_*).
"""

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from letters.models import Constituency, LetterDownload
from tests.stub_server import StubServer

pytestmark = pytest.mark.django_db

LETTER = "/letters/invite-your-mp-sanctuary-in-parliament-2018/"
XSS = "<script>alert(1)</script>"

# Already percent-encoded: sent as raw bytes in the path or query string.
HOSTILE = [
    quote("../../../etc/passwd", safe=""),
    "..%2F..%2Fsettings",
    "%ff%fe%c0%af",  # not UTF-8
    "%00",
    "%0d%0aSet-Cookie:%20x=1",
    quote("x" * 5000, safe=""),
    quote("' OR 1=1; DROP TABLE wagtailcore_page; --", safe=""),
    quote("{{ settings.SECRET_KEY }}{% debug %}{{7*7}}", safe=""),
    quote(XSS, safe=""),
    quote("-1", safe=""),
    quote("99999999999999999999999", safe=""),
    quote("ŵ ŷ 𝔘 \u202e", safe=""),
]

QUERY_ROUTES = [
    ("/search/", ["q", "page"]),
    ("/groups/", ["q", "nation", "region", "kind", "status", "page"]),
    ("/groups/achievements/", ["kind", "region", "current", "page"]),
    ("/groups/southampton/achievements/", ["kind", "current", "page"]),
    ("/events/", ["tag", "group", "region", "national", "page"]),
    ("/events/ical/", ["tag", "group", "region", "national"]),
    ("/groups/southampton/events/", ["tag", "page"]),
    ("/groups/southampton/events/ical/", ["tag"]),
    ("/groups/southampton/feed/", ["page"]),
    ("/news/", ["page"]),
    ("/news/feed/", ["page"]),
    ("/find-your-mp/", ["q"]),
    (LETTER, ["q"]),
    (LETTER + "southampton-test/", ["q"]),
    ("/events/sanctuary-in-parliament-2018/ical/", ["x"]),
    ("/", ["q", "page"]),
]

PATH_ROUTES = [
    "/groups/{v}/",
    "/groups/{v}/events/",
    "/groups/{v}/events/ical/",
    "/groups/southampton/{v}/",
    "/groups/southampton/{v}/feed/",
    "/groups/{v}/achievements/",
    "/events/{v}/ical/",
    "/news/{v}/",
    LETTER + "{v}/",
    LETTER + "{v}/pdf/",
    LETTER + "{v}/personalise/",
    LETTER + "southampton-test/{v}/",
    "/letters/{v}/southampton-test/docx/",
    "/documents/{v}/{v}/",
    "/{v}/",
]


@pytest.fixture(autouse=True)
def no_limits_and_a_stub_postcode_service(settings):
    settings.RATE_LIMITS = {"postcode-lookup": (0, 60), "letter-download": (0, 60)}
    with StubServer() as postcodes_io:  # answers 404 to everything, like an unknown postcode
        settings.POSTCODES_IO_BASE_URL = postcodes_io.url
        yield


def row_counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "downloads": LetterDownload.objects.count(),
        "constituencies": Constituency.objects.count(),
        "users": get_user_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "images": get_image_model().objects.count(),
    }


def problems_with(response, url: str) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append(f"{url[:120]} -> {response.status_code}")
    body = getattr(response, "content", b"")
    if XSS.encode() in body:
        problems.append(f"{url[:120]} echoed markup unescaped")
    if "Set-Cookie" in response and "x=1" in response["Set-Cookie"]:
        problems.append(f"{url[:120]} let a header be injected")
    return problems


@pytest.mark.parametrize(("route", "params"), QUERY_ROUTES)
def test_hostile_query_strings_get_4xx_or_a_message_and_write_nothing(
    client, demo_site, route, params
):
    before = row_counts()
    problems = []
    for param in params:
        for value in HOSTILE:
            url = f"{route}?{param}={value}"
            problems += problems_with(client.get(url), url)
    problems += problems_with(
        client.get(route + "?" + "&".join(f"p{n}=1" for n in range(900))), route
    )
    assert problems == []
    assert row_counts() == before


@pytest.mark.parametrize("route", PATH_ROUTES)
def test_hostile_route_parameters_get_4xx_and_write_nothing(client, demo_site, route):
    before = row_counts()
    problems = []
    for value in HOSTILE:
        url = route.replace("{v}", value)
        response = client.get(url)
        problems += problems_with(response, url)
        if response.status_code != 404 and response.status_code < 400:
            # Only a handful of hostile values are harmless slugs; those may answer.
            assert value in {"-1", quote("99999999999999999999999", safe="")}, url
    assert problems == []
    assert row_counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "x" * 5000),
        ("name", XSS),
        ("name", "{{ settings.SECRET_KEY }}{% load static %}"),
        ("address", "\x00\x01 Robert'); DROP TABLE letters_constituency;--"),
        ("address", "line\n" * 50),
        ("address", "\u202e\ufeff\u200b"),
    ],
)
def test_hostile_letter_preview_fields_get_a_message_and_write_nothing(
    client, open_invitation, field, value
):
    before = row_counts()
    response = client.post(LETTER + "southampton-test/", {field: value})
    assert response.status_code in {200, 400}
    assert problems_with(response, field) == []
    assert b"test-only-key" not in response.content
    assert row_counts() == before


@pytest.mark.parametrize("url", ["/search/", "/find-your-mp/"])
def test_posting_to_read_only_views_is_refused(client, demo_site, url):
    before = row_counts()
    assert client.post(url, {"q": XSS}).status_code == 405
    assert row_counts() == before


@pytest.mark.parametrize("url", ["/groups/", "/events/", "/events/ical/", "/news/feed/", LETTER])
def test_posting_to_pages_writes_nothing(client, demo_site, url):
    # Wagtail serves a page the same way for GET and POST; nothing on these pages saves.
    before = row_counts()
    response = client.post(url, {"q": XSS, "title": XSS, "body": XSS})
    assert problems_with(response, url) == []
    assert row_counts() == before


def test_raw_non_utf8_bytes_in_the_path_and_query_are_a_4xx(client, demo_site):
    for url in ["/%ff%fe/", "/groups/%c3%28/", "/search/?q=%ff%fe", "/groups/?q=%c0%af"]:
        assert client.get(url).status_code < 500, url


def test_a_very_long_path_is_a_404(client, demo_site):
    assert client.get("/" + "a/" * 3000).status_code == 404


@pytest.mark.parametrize(
    "url",
    [route.replace("{v}", "a%00b") for route in PATH_ROUTES]
    + [f"{route}?{params[0]}=a%00b" for route, params in QUERY_ROUTES]
    + ["/?a%00b=1", "/groups/?q=%00"],
)
def test_a_nul_byte_in_a_page_address_is_the_400_page(client, demo_site, url):
    """PostgreSQL text cannot hold a NUL byte: refused before any page, search or redirect."""
    before = row_counts()
    response = client.get(url)
    assert response.status_code == 400, url
    assert b"<h1>Bad request</h1>" in response.content
    assert row_counts() == before
