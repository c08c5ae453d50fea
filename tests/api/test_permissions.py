"""Bearer tokens act with their user's page permissions, through Wagtail API v3's pages router.

The matrix: anonymous, a Southampton editor, an Ipswich editor and national staff, each
reading a draft, creating, updating and publishing under each group. Group editors may add
and edit their own group's pages only; publishing is for national staff (groups are not
trusted to publish directly in the demo content).
"""

import json

import pytest
from wagtail.models import Page

from groups.models import GroupUpdatePage
from tests.api.conftest import bearer
from tests.groups.factories import GroupUpdatePageFactory

ROLES = ("anonymous", "southampton_editor", "ipswich_editor", "staff")
GROUPS = ("southampton", "ipswich")


def may_edit(role: str, group: str) -> bool:
    return role == "staff" or role == f"{group}_editor"


@pytest.fixture
def drafted_update(request, demo_site) -> GroupUpdatePage:
    """A published update in the group whose latest revision is an unpublished draft."""
    group = Page.objects.get(slug=request.param).specific
    update = GroupUpdatePageFactory(parent=group, title="Published title")
    update.save_revision().publish()
    update.title = "Draft title"
    update.save_revision()
    return update


def _json(client, method: str, path: str, token: str | None, body: dict | None = None):
    # "If-Match: *" edits whatever version is there: versions are tests/api/test_preconditions.py's.
    return getattr(client, method)(
        path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        HTTP_IF_MATCH="*",
        **bearer(token),
    )


@pytest.mark.parametrize("drafted_update", GROUPS, indirect=True)
@pytest.mark.parametrize("role", ROLES)
def test_draft_is_read_only_by_those_who_may_edit_it(client, tokens, drafted_update, role):
    group = drafted_update.get_parent().slug
    response = client.get(
        f"/api/v3/pages/{drafted_update.pk}/?version=draft", **bearer(tokens[role])
    )
    if role == "anonymous":
        # Anonymous callers get the live page whatever they ask for: never the draft.
        assert response.status_code == 200
        assert response.json()["title"] == "Published title"
    elif may_edit(role, group):
        assert response.status_code == 200
        assert response.json()["title"] == "Draft title"
    else:
        assert response.status_code == 404
    assert b"Draft title" not in client.get(f"/api/v3/pages/{drafted_update.pk}/").content


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("role", ROLES)
def test_create_page_only_in_a_group_the_token_may_edit(client, tokens, group, role):
    parent = Page.objects.get(slug=group)
    before = GroupUpdatePage.objects.count()
    response = _json(
        client,
        "post",
        "/api/v3/pages/",
        tokens[role],
        {
            "meta": {"type": "groups.GroupUpdatePage", "parent_id": parent.pk},
            "title": "News from the API",
            "introduction": "Written by a headless client.",
        },
    )
    if role == "anonymous":
        assert response.status_code == 401
    elif may_edit(role, group):
        assert response.status_code == 201, response.content
        created = GroupUpdatePage.objects.get(pk=response.json()["id"])
        assert created.get_parent().pk == parent.pk
        assert created.introduction == "Written by a headless client."
        assert not created.live
        return
    else:
        assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert GroupUpdatePage.objects.count() == before


@pytest.mark.parametrize("drafted_update", GROUPS, indirect=True)
@pytest.mark.parametrize("role", ROLES)
def test_update_page_only_in_a_group_the_token_may_edit(client, tokens, drafted_update, role):
    group = drafted_update.get_parent().slug
    response = _json(
        client, "patch", f"/api/v3/pages/{drafted_update.pk}/", tokens[role], {"title": "Edited"}
    )
    latest = GroupUpdatePage.objects.get(pk=drafted_update.pk).get_latest_revision_as_object()
    if role == "anonymous":
        assert response.status_code == 401
    elif may_edit(role, group):
        assert response.status_code == 200, response.content
        assert latest.title == "Edited"
        return
    else:
        assert response.status_code in (403, 404)
    assert latest.title == "Draft title"


@pytest.mark.parametrize("drafted_update", GROUPS, indirect=True)
@pytest.mark.parametrize("role", ROLES)
def test_only_national_staff_publish(client, tokens, drafted_update, role):
    response = _json(
        client, "post", f"/api/v3/pages/{drafted_update.pk}/actions/publish/", tokens[role], {}
    )
    live_title = GroupUpdatePage.objects.get(pk=drafted_update.pk).title
    if role == "anonymous":
        assert response.status_code == 401
    elif role == "staff":
        assert response.status_code == 200, response.content
        assert live_title == "Draft title"
        return
    else:
        assert response.status_code == 403
    assert live_title == "Published title"


def test_revoked_token_is_anonymous(client, tokens, southampton):
    from wagtail.models import APIToken

    for token in APIToken.objects.all():
        token.revoke()
    response = _json(
        client,
        "post",
        "/api/v3/pages/",
        tokens["staff"],
        {"meta": {"type": "groups.GroupUpdatePage", "parent_id": southampton.pk}, "title": "x"},
    )
    assert response.status_code == 401
