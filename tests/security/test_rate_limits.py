"""core/security.py rate limits: postcode lookups and letter downloads, per client address."""

import datetime

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from core import security
from core.cache_backend import reset_breakers
from letters.models import LetterDownload

pytestmark = pytest.mark.django_db

LETTER_URL = "/letters/invite-your-mp-sanctuary-in-parliament-2018/"
DOWNLOAD_URL = LETTER_URL + "southampton-test/txt/"


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.RATE_LIMITS = {"postcode-lookup": (3, 60), "letter-download": (2, 60)}
    # Every request reaches the view: the same search again would otherwise be a page-cache
    # hit, which runs no lookup and is not counted (see the test of that below).
    settings.PAGE_CACHE_ENABLED = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(time_machine):
    """A stopped clock, half a second past a whole second (windows turn on whole seconds)."""
    time_machine.move_to(
        datetime.datetime(2027, 3, 1, 9, 0, 20, 500_000, tzinfo=datetime.UTC), tick=False
    )
    return time_machine


def refused_until_retry_after(client, clock, *args, **kwargs) -> None:
    """The refused request's Retry-After is exact: refused a second before it, served at it."""
    refused = client.get(*args, **kwargs)
    assert refused.status_code == 429
    seconds = int(refused["Retry-After"])
    assert 1 <= seconds <= 60
    clock.shift(seconds - 1)
    assert client.get(*args, **kwargs).status_code == 429
    clock.shift(1)
    assert client.get(*args, **kwargs).status_code in (200, 503)


def test_find_your_mp_searches_are_limited_then_released(client, db, clock):
    for _ in range(3):
        assert client.get("/find-your-mp/", {"q": "Southampton"}).status_code == 200
    refused = client.get("/find-your-mp/", {"q": "Southampton"})
    assert refused.status_code == 429
    assert b"Too many requests" in refused.content
    assert b"try again in 1 minute" in refused.content
    assert "no-store" in refused["Cache-Control"]
    refused_until_retry_after(client, clock, "/find-your-mp/", {"q": "Southampton"})


def test_the_empty_form_is_not_counted(client, db, clock):
    for _ in range(10):
        assert client.get("/find-your-mp/").status_code == 200


def test_limits_are_per_client_address(client, db, clock):
    for _ in range(3):
        client.get("/find-your-mp/", {"q": "Ipswich"}, REMOTE_ADDR="192.0.2.1")
    assert client.get("/find-your-mp/", {"q": "x1"}, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/find-your-mp/", {"q": "x1"}, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_a_spoofed_forwarded_for_does_not_escape_the_limit(client, db, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # one load balancer appends the real address
    for n in range(3):
        client.get(
            "/find-your-mp/", {"q": "Ipswich"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.7"
        )
    refused = client.get(
        "/find-your-mp/", {"q": "Ipswich"}, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7"
    )
    assert refused.status_code == 429


def test_without_a_trusted_proxy_forwarded_for_is_ignored(client, db, clock):
    for n in range(3):
        client.get("/find-your-mp/", {"q": "Ipswich"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    refused = client.get("/find-your-mp/", {"q": "Ipswich"}, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert refused.status_code == 429


@pytest.mark.parametrize(
    "header", ["HTTP_X_REAL_IP", "HTTP_CLIENT_IP", "HTTP_CF_CONNECTING_IP", "HTTP_TRUE_CLIENT_IP"]
)
def test_other_client_address_headers_are_never_trusted(client, db, clock, settings, header):
    """Only X-Forwarded-For is written by our proxies; every other header is the client's."""
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(4):
        response = client.get(
            "/find-your-mp/",
            {"q": "Ipswich"},
            HTTP_X_FORWARDED_FOR="198.51.100.7",
            HTTP_FORWARDED=f"for=8.8.4.{n}",
            **{header: f"8.8.8.{n}"},
        )
    assert response.status_code == 429


def test_addresses_written_left_of_our_proxies_change_nothing(settings):
    settings.TRUSTED_PROXY_COUNT = 2  # a CDN, then a load balancer
    factory = RequestFactory()
    for forwarded in (
        "198.51.100.7, 192.0.2.50",
        "8.8.8.8, 198.51.100.7, 192.0.2.50",
        "not-an-ip, ::1, 198.51.100.7, 192.0.2.50",
    ):
        request = factory.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.2")
        assert security.client_ip(request) == "198.51.100.7", forwarded
    # Shorter than our proxies wrote it: the request did not come through them all.
    request = factory.get("/", HTTP_X_FORWARDED_FOR="192.0.2.50", REMOTE_ADDR="10.0.0.2")
    assert security.client_ip(request) == "10.0.0.2"


def test_an_ipv6_client_is_counted_by_its_64_block(client, db, clock):
    """One connection holds a whole /64: new addresses in it are the same client."""
    for n in range(3):
        client.get("/find-your-mp/", {"q": "Ipswich"}, REMOTE_ADDR=f"2001:db8:1:2::{n + 1}")
    refused = client.get("/find-your-mp/", {"q": "Ipswich"}, REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert refused.status_code == 429
    other = client.get("/find-your-mp/", {"q": "Ipswich"}, REMOTE_ADDR="2001:db8:1:3::1")
    assert other.status_code == 200


def test_letter_page_search_shares_the_postcode_limit(client, demo_site, clock):
    for _ in range(3):
        assert client.get(LETTER_URL, {"q": "Southampton"}).status_code == 200
    assert client.get(LETTER_URL, {"q": "Southampton"}).status_code == 429
    assert client.get("/find-your-mp/", {"q": "Southampton"}).status_code == 429
    assert client.get(LETTER_URL).status_code == 200  # the page itself is not a lookup


def test_letter_downloads_are_limited_and_refusals_are_not_counted(client, clock, open_invitation):
    # `clock` first: the campaign is reopened for 30 days from the stopped clock's now.
    for _ in range(2):
        assert client.get(DOWNLOAD_URL).status_code == 200
    counted = sum(LetterDownload.objects.values_list("count", flat=True))
    refused = client.get(LETTER_URL + "southampton-test/pdf/")
    assert refused.status_code == 429
    assert sum(LetterDownload.objects.values_list("count", flat=True)) == counted
    refused_until_retry_after(client, clock, DOWNLOAD_URL)


def test_a_zero_limit_switches_limiting_off(client, db, clock, settings):
    settings.RATE_LIMITS = {"postcode-lookup": (0, 60), "letter-download": (0, 60)}
    for _ in range(10):
        assert client.get("/find-your-mp/", {"q": "Southampton"}).status_code == 200


def test_with_redis_down_requests_go_through(client, db, settings):
    """RATELIMIT_FAIL_OPEN: a counter that cannot be kept must not take the site down."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache_backend.BreakerRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on port 9
            "OPTIONS": {"IGNORE_EXCEPTIONS": False},
        }
    }
    reset_breakers()
    try:
        for _ in range(10):
            assert client.get("/find-your-mp/", {"q": "Southampton"}).status_code == 200
    finally:
        reset_breakers()


def test_a_garbage_forwarded_address_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="not-an-ip", REMOTE_ADDR="192.0.2.9")
    assert security.client_ip(request) == "192.0.2.9"
    request = RequestFactory().get("/", REMOTE_ADDR="")
    assert security.client_ip(request) is None


def test_api_postcode_lookups_share_the_limit_and_are_released(client, db, clock, settings):
    # Nothing listens on port 9: each lookup is counted and answers "service down".
    settings.POSTCODES_IO_BASE_URL = "http://127.0.0.1:9"
    lookup = "/api/v3/constituencies/lookup/"
    assert client.get("/find-your-mp/", {"q": "SO15 5AA"}).status_code == 200
    for _ in range(2):
        assert client.get(lookup, {"postcode": "SO15 5AA"}).status_code == 503
    refused = client.get(lookup, {"postcode": "SO15 5AA"})
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["type"] == "rate-limited"
    assert "search by constituency or MP name" in refused.json()["detail"]
    assert f"Try again in {refused['Retry-After']} seconds" in refused.json()["detail"]
    refused_until_retry_after(client, clock, lookup, {"postcode": "SO15 5AA"})


def test_with_the_page_cache_on_every_search_that_runs_is_counted(client, db, clock, settings):
    """A repeated search is answered from the page cache without a lookup and is not counted;
    every search that runs is, so a client trying one postcode after another is stopped."""
    settings.PAGE_CACHE_ENABLED = True
    for query in ("Southampton", "Ipswich", "Ynys"):
        assert client.get("/find-your-mp/", {"q": query})["X-Page-Cache"] == "miss"
    assert client.get("/find-your-mp/", {"q": "Southampton"})["X-Page-Cache"] == "hit"

    assert client.get("/find-your-mp/", {"q": "Bristol"}).status_code == 429
