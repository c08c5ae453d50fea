"""Page PATCHes on the API are conditional: a stale or missing version is refused, never lost.

core/api_preconditions.py: GET gives an ETag, PATCH must send it back in If-Match (428
without, 412 when the page changed since). Sequential tests run on any database; the race
of two PATCHes sent at once needs PostgreSQL's row locks (DATABASE_URL=postgres://...).
"""

import json
import threading

import pytest
from django.db import connection
from django.test import Client
from wagtail.actions.edit_page import EditPageAction

from config.api import openapi_schema
from groups.models import LocalGroupPage
from tests.api.conftest import bearer

STAFF = "staff"


def read(client, page: LocalGroupPage, token: str | None):
    return client.get(f"/api/v3/pages/{page.pk}/", **bearer(token))


def patch(client, page: LocalGroupPage, token: str | None, fields: dict, if_match: str | None):
    headers = bearer(token)
    if if_match is not None:
        headers["HTTP_IF_MATCH"] = if_match
    return client.patch(
        f"/api/v3/pages/{page.pk}/", json.dumps(fields), content_type="application/json", **headers
    )


def latest(page: LocalGroupPage) -> LocalGroupPage:
    return LocalGroupPage.objects.get(pk=page.pk).get_latest_revision_as_object()


def test_reading_a_page_with_a_token_gives_its_etag(client, tokens, southampton):
    response = read(client, southampton, tokens[STAFF])
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert read(client, southampton, tokens[STAFF])["ETag"] == response["ETag"]


def test_anonymous_reads_get_no_etag(client, southampton):
    response = read(client, southampton, None)
    assert response.status_code == 200
    assert "ETag" not in response


def test_a_patch_without_if_match_is_a_428_that_says_what_to_send(client, tokens, southampton):
    response = patch(client, southampton, tokens[STAFF], {"title": "Changed"}, if_match=None)
    assert response.status_code == 428
    assert response["Content-Type"] == "application/problem+json"
    assert "If-Match" in response.json()["detail"]
    assert latest(southampton).title == southampton.title


def test_a_patch_from_the_current_version_succeeds_and_gives_the_new_etag(
    client, tokens, southampton
):
    etag = read(client, southampton, tokens[STAFF])["ETag"]
    response = patch(client, southampton, tokens[STAFF], {"title": "Changed"}, if_match=etag)
    assert response.status_code == 200, response.content
    assert latest(southampton).title == "Changed"
    assert response["ETag"] != etag
    assert response["ETag"] == read(client, southampton, tokens[STAFF])["ETag"]


def test_the_second_of_two_patches_from_the_same_version_is_a_412_and_loses_nothing(
    client, tokens, southampton
):
    etag = read(client, southampton, tokens[STAFF])["ETag"]
    first = patch(client, southampton, tokens[STAFF], {"title": "First"}, if_match=etag)
    second = patch(
        client, southampton, tokens[STAFF], {"search_description": "Second"}, if_match=etag
    )
    assert first.status_code == 200
    assert second.status_code == 412
    assert second["Content-Type"] == "application/problem+json"
    assert "GET it again" in second.json()["detail"]
    assert latest(southampton).title == "First"
    assert latest(southampton).search_description == southampton.search_description


def test_if_match_star_overwrites_on_purpose(client, tokens, southampton):
    patch(client, southampton, tokens[STAFF], {"title": "Elsewhere"}, if_match="*")
    response = patch(client, southampton, tokens[STAFF], {"title": "Mine"}, if_match="*")
    assert response.status_code == 200
    assert latest(southampton).title == "Mine"


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("ipswich_editor", 403)])
def test_callers_who_may_not_edit_hear_nothing_about_versions(
    client, tokens, southampton, role, status
):
    for if_match in (None, '"stale"'):
        response = patch(client, southampton, tokens[role], {"title": "No"}, if_match=if_match)
        assert response.status_code == status
    assert latest(southampton).title == southampton.title


def test_the_published_document_declares_if_match_etag_412_and_428(db):
    paths = openapi_schema(path_prefix="/api/v3/")["paths"]
    update = paths["/api/v3/pages/{page_id}/"]["patch"]
    if_match = [p for p in update["parameters"] if p["name"] == "If-Match"]
    assert if_match and if_match[0]["in"] == "header" and if_match[0]["required"]
    assert {"412", "428"} <= set(map(str, update["responses"]))
    assert "ETag" in update["responses"][200]["headers"]
    assert "ETag" in paths["/api/v3/pages/{page_id}/"]["get"]["responses"][200]["headers"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the race needs row locks: run with PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_patches_from_the_same_version_one_is_refused(
    tokens, southampton, monkeypatch
):
    """The first PATCH holds the page while it saves; the second, sent meanwhile, gets 412."""
    first_is_saving = threading.Event()
    original_execute = EditPageAction.execute

    def slow_execute(self, *args, **kwargs):
        first_is_saving.set()
        threading.Event().wait(0.5)  # long enough for the second PATCH to arrive
        return original_execute(self, *args, **kwargs)

    monkeypatch.setattr(EditPageAction, "execute", slow_execute)
    etag = read(Client(), southampton, tokens[STAFF])["ETag"]
    statuses = {}

    def send(name: str, fields: dict) -> None:
        try:
            statuses[name] = patch(Client(), southampton, tokens[STAFF], fields, etag).status_code
        finally:
            connection.close()

    first = threading.Thread(target=send, args=("title", {"title": "First"}))
    second = threading.Thread(target=send, args=("description", {"search_description": "Second"}))
    first.start()
    assert first_is_saving.wait(10)
    second.start()
    first.join(20)
    second.join(20)
    assert statuses == {"title": 200, "description": 412}
    assert latest(southampton).title == "First"
