"""core/security.py rate limits: postcode lookups and letter downloads, per client address."""

import pytest
from django.core.cache import cache

from core import security
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
def clock(monkeypatch):
    """Moves core.security's clock instead of sleeping."""
    now = {"t": 60.0 * 16_666 + 20}  # 20 s into a 60 s window
    monkeypatch.setattr(security, "current_time", lambda: now["t"])
    return now


def test_find_your_mp_searches_are_limited_then_released(client, db, clock):
    for _ in range(3):
        assert client.get("/find-your-mp/", {"q": "Southampton"}).status_code == 200
    refused = client.get("/find-your-mp/", {"q": "Southampton"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert b"Too many requests" in refused.content
    assert b"try again in 1 minute" in refused.content
    assert "no-store" in refused["Cache-Control"]
    clock["t"] += 40  # the next window
    assert client.get("/find-your-mp/", {"q": "Southampton"}).status_code == 200


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


def test_letter_page_search_shares_the_postcode_limit(client, demo_site, clock):
    for _ in range(3):
        assert client.get(LETTER_URL, {"q": "Southampton"}).status_code == 200
    assert client.get(LETTER_URL, {"q": "Southampton"}).status_code == 429
    assert client.get("/find-your-mp/", {"q": "Southampton"}).status_code == 429
    assert client.get(LETTER_URL).status_code == 200  # the page itself is not a lookup


def test_letter_downloads_are_limited_and_refusals_are_not_counted(client, demo_site, clock):
    for _ in range(2):
        assert client.get(DOWNLOAD_URL).status_code == 200
    counted = sum(LetterDownload.objects.values_list("count", flat=True))
    refused = client.get(LETTER_URL + "southampton-test/pdf/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert sum(LetterDownload.objects.values_list("count", flat=True)) == counted
    clock["t"] += 60
    assert client.get(DOWNLOAD_URL).status_code == 200


def test_a_zero_limit_switches_limiting_off(client, db, clock, settings):
    settings.RATE_LIMITS = {"postcode-lookup": (0, 60), "letter-download": (0, 60)}
    for _ in range(10):
        assert client.get("/find-your-mp/", {"q": "Southampton"}).status_code == 200


def test_a_cache_that_loses_the_counter_lets_requests_through(client, db, monkeypatch):
    def lost(*args, **kwargs):
        raise ValueError("Key not found")

    monkeypatch.setattr(security.cache, "incr", lost)
    for _ in range(10):
        assert client.get("/find-your-mp/", {"q": "Southampton"}).status_code == 200


def test_a_garbage_forwarded_address_falls_back_to_the_connection(settings):
    from django.test import RequestFactory

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
    assert refused["Retry-After"] == "40"
    assert refused.json()["errors"][0]["type"] == "rate-limited"
    assert "search by constituency or MP name" in refused.json()["detail"]
    clock["t"] += 40
    assert client.get(lookup, {"postcode": "SO15 5AA"}).status_code == 503


def test_with_the_page_cache_on_every_search_that_runs_is_counted(client, db, clock, settings):
    """A repeated search is answered from the page cache without a lookup and is not counted;
    every search that runs is, so a client trying one postcode after another is stopped."""
    settings.PAGE_CACHE_ENABLED = True
    for query in ("Southampton", "Ipswich", "Ynys"):
        assert client.get("/find-your-mp/", {"q": query})["X-Page-Cache"] == "miss"
    assert client.get("/find-your-mp/", {"q": "Southampton"})["X-Page-Cache"] == "hit"

    assert client.get("/find-your-mp/", {"q": "Bristol"}).status_code == 429
