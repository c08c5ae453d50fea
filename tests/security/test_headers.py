"""core/security.py: the headers every response carries, strict on public pages."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from core.security import ContentSecurityPolicyMiddleware, content_security_policy

pytestmark = pytest.mark.django_db


def directives(policy: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {part[0]: (part[1] if len(part) > 1 else "") for part in parts}


def test_public_pages_forbid_inline_scripts_and_framing(client, demo_site):
    response = client.get("/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_pages_served_from_the_page_cache_carry_the_headers(client, demo_site):
    assert client.get("/groups/")["X-Page-Cache"] == "miss"
    cached = client.get("/groups/")
    assert cached["X-Page-Cache"] == "hit"
    assert "frame-ancestors 'none'" in cached["Content-Security-Policy"]
    assert "camera=()" in cached["Permissions-Policy"]


def test_public_templates_contain_no_inline_executable_script(client, demo_site):
    # JSON-LD is data, not script, so CSP allows it; anything else inline would be blocked.
    for url in ["/", "/groups/", "/events/", "/news/", "/find-your-mp/", "/search/?q=refugee"]:
        body = client.get(url).content.decode()
        for chunk in body.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag or "application/ld+json" in tag, (url, tag)


def test_error_pages_carry_the_headers_too(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_admin_gets_its_own_policy_that_allows_same_origin_previews(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == "'self'"
    assert "script-src" not in policy  # Wagtail's admin still uses inline scripts


def test_policy_is_chosen_by_the_longest_matching_prefix(settings):
    settings.CONTENT_SECURITY_POLICY_BY_PATH = {
        "/api/": {"DIRECTIVES": {"default-src": ["a.example"]}},
        "/api/v3/docs/": {"DIRECTIVES": {"default-src": ["b.example"]}},
    }
    assert content_security_policy("/api/v3/docs/") == "default-src b.example"
    assert content_security_policy("/api/v3/pages/") == "default-src a.example"
    assert directives(content_security_policy("/groups/"))["script-src"] == "'self'"


def test_a_view_s_own_policy_is_kept():
    def view(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "sandbox"
        return response

    response = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/groups/"))
    assert response["Content-Security-Policy"] == "sandbox"


def test_api_docs_policy_allows_only_the_swagger_cdn():
    policy = content_security_policy("/api/v3/docs/")
    assert "https://cdn.jsdelivr.net" in directives(policy)["script-src"]
    assert directives(policy)["frame-ancestors"] == "'none'"
