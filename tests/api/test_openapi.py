"""The OpenAPI document at /api/v3/openapi.json: valid, and describing every project endpoint."""

import json

import pytest
from django.core.cache import caches
from django.test import Client
from openapi_spec_validator import validate

from tests.conftest import built_once

PROJECT_OPERATIONS = {
    ("/api/v3/groups/", "get"),
    ("/api/v3/groups/{slug}/", "get"),
    ("/api/v3/events/", "get"),
    ("/api/v3/events/{event_id}/", "get"),
    ("/api/v3/constituencies/", "get"),
    ("/api/v3/constituencies/lookup/", "get"),
    ("/api/v3/constituencies/{slug}/", "get"),
    ("/api/v3/letters/", "get"),
    ("/api/v3/letters/{letter_slug}/{constituency_slug}/", "get"),
}


@pytest.fixture(scope="module")
def openapi_json(django_db_setup, django_db_blocker) -> bytes:
    """/api/v3/openapi.json as the site serves it, asked for once for the module (a quarter of
    a second each time); with every cache empty first, as at the start of a test."""
    with built_once(django_db_blocker):
        for cache in caches.all():
            cache.clear()
        response = Client().get("/api/v3/openapi.json")
    assert response.status_code == 200
    return response.content


@pytest.fixture
def openapi(openapi_json, db) -> dict:
    """The document, read afresh for each test: no test sees another's changes to it."""
    return json.loads(openapi_json)


def test_openapi_document_is_valid(openapi):
    validate(openapi)


def test_openapi_lists_every_project_endpoint_beside_wagtails(openapi):
    operations = {
        (path, method) for path, methods in openapi["paths"].items() for method in methods
    }
    assert operations >= PROJECT_OPERATIONS
    assert ("/api/v3/pages/", "get") in operations


@pytest.mark.parametrize(("path", "method"), sorted(PROJECT_OPERATIONS))
def test_project_endpoints_declare_their_problem_responses(openapi, path, method):
    responses = openapi["paths"][path][method]["responses"]
    assert {"200", "400", "404"} <= set(responses)
    assert "422" not in responses


def test_interactive_docs_are_served(client, db):
    response = client.get("/api/v3/docs/")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def path_parameters_accepting_nothing(openapi: dict) -> list[str]:
    found = []
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter["in"] == "path" and (
                    schema.get("enum") == [] or schema.get("const") == ""
                ):
                    found.append(f"{method.upper()} {path} {parameter['name']}")
    return found


def test_every_published_operation_can_be_called(openapi):
    """No path parameter is an empty enum or constant (Wagtail's snippets with no snippets)."""
    assert path_parameters_accepting_nothing(openapi) == []
    assert not [path for path in openapi["paths"] if path.startswith("/api/v3/snippets/")]


def test_schemas_only_the_left_out_operations_used_are_left_out_too(openapi):
    assert not [name for name in openapi["components"]["schemas"] if "Snippet" in name]
    assert "PageRevisionDetailSchema" in openapi["components"]["schemas"]


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/v3/snippets/x/", "/api/v3/snippets/x/1/revisions/"])
def test_the_snippets_routes_are_not_served(client, db, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
