"""CORS only for configured front-end origins; public caching only for anonymous reads."""

import pytest
from django.core import checks

from tests.api.conftest import bearer

FRONT_END = "https://front.example.org"


@pytest.fixture(autouse=True)
def front_end(settings):
    settings.CORS_ALLOWED_ORIGINS = [FRONT_END]


def test_configured_origin_may_read_the_api(client, db):
    response = client.get("/api/v3/groups/", HTTP_ORIGIN=FRONT_END)
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    assert "origin" in response["Vary"].lower()
    assert "Access-Control-Allow-Credentials" not in response


def test_other_origins_get_no_cors_headers(client, db):
    response = client.get("/api/v3/groups/", HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_preflight_for_configured_origin_allows_bearer_tokens(client, db):
    response = client.options(
        "/api/v3/pages/",
        HTTP_ORIGIN=FRONT_END,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert response.status_code == 200  # django-cors-headers answers preflights itself
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    assert "Authorization" in response["Access-Control-Allow-Headers"]
    assert "If-Match" in response["Access-Control-Allow-Headers"]
    assert "PATCH" in response["Access-Control-Allow-Methods"]


def test_a_configured_origin_may_read_the_etag_it_must_send_back(client, db):
    response = client.get("/api/v3/pages/", HTTP_ORIGIN=FRONT_END)
    assert response["Access-Control-Expose-Headers"] == "ETag"


def test_preflight_from_other_origin_is_not_allowed(client, db):
    response = client.options(
        "/api/v3/pages/",
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
    )
    assert "Access-Control-Allow-Origin" not in response


def test_answers_from_the_page_cache_carry_the_caller_s_origin(client, db, settings):
    """CORS sits outside the page cache: a cached answer is stored once for every origin."""
    other_front_end = "https://app.example.org"
    settings.CORS_ALLOWED_ORIGINS = [FRONT_END, other_front_end]
    first = client.get("/api/v3/groups/", HTTP_ORIGIN=FRONT_END)
    assert first["X-Page-Cache"] == "miss"
    second = client.get("/api/v3/groups/", HTTP_ORIGIN=other_front_end)
    assert second["X-Page-Cache"] == "hit"
    assert second["Access-Control-Allow-Origin"] == other_front_end
    assert "origin" in second["Vary"].lower()
    stranger = client.get("/api/v3/groups/", HTTP_ORIGIN="https://elsewhere.example")
    assert stranger["X-Page-Cache"] == "hit"
    assert "Access-Control-Allow-Origin" not in stranger
    assert "Access-Control-Allow-Origin" not in client.get("/api/v3/groups/")


def test_a_configured_origin_with_a_path_fails_the_system_checks(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://front.example.org/app"]
    problems = [problem for problem in checks.run_checks() if problem.id.startswith("corsheaders")]
    assert problems
    assert "https://front.example.org/app" in problems[0].msg


def test_cors_is_only_for_the_api(client, demo_site):
    response = client.get("/", HTTP_ORIGIN=FRONT_END)
    assert "Access-Control-Allow-Origin" not in response


def test_anonymous_reads_are_publicly_cacheable(client, db):
    response = client.get("/api/v3/groups/")
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]


def test_token_reads_are_never_stored(client, tokens):
    response = client.get("/api/v3/groups/", **bearer(tokens["staff"]))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]


def test_errors_are_not_publicly_cached(client, db):
    response = client.get("/api/v3/groups/", {"nation": "narnia"})
    assert response.status_code == 400
    assert "public" not in response.get("Cache-Control", "")
