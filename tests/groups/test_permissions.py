"""The permission matrix, over real admin HTTP requests as each kind of user."""

import pytest
import wagtail_factories
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from groups.models import AchievementPage, GroupEditorAccess, LocalGroupPage

GROUPS = ("southampton", "ipswich")
USERS = ("anonymous", "southampton_editor", "ipswich_editor", "staff")
PAGE_ACTIONS = {
    "view": "wagtailadmin_explore",
    "edit": "wagtailadmin_pages:edit",
    "delete": "wagtailadmin_pages:delete",
    "move": "wagtailadmin_pages:move",
    "copy": "wagtailadmin_pages:copy",
}


def expected_page_access(user: str, action: str, group: str, target: str) -> bool:
    """The rules of DESIGN.md written out, independently of the code under test."""
    if user == "staff":
        return True
    if user == "anonymous" or not user.startswith(group):
        return False
    # An editor of this group: may explore and edit everything in it, copy its pages, but
    # never delete, move or copy the group page itself, nor delete a live page without the
    # publish right.
    if action in ("view", "edit"):
        return True
    if action == "copy":
        return target == "child"
    return False


def response_allows(response, url: str) -> bool:
    if response.status_code == 200:
        return True
    assert response.status_code in (302, 403), f"{url} answered {response.status_code}"
    return False


def target_page(group: str, target: str) -> Page:
    group_page = LocalGroupPage.objects.get(slug=group)
    if target == "group":
        return group_page
    return AchievementPage.objects.child_of(group_page).first()


@pytest.mark.parametrize("user_key", USERS)
@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("target", ("group", "child"))
@pytest.mark.parametrize("action", list(PAGE_ACTIONS))
def test_page_action_matrix(client, users, user_key, group, target, action):
    if users[user_key]:
        client.force_login(users[user_key])
    page = target_page(group, target)
    url = reverse(PAGE_ACTIONS[action], args=[page.pk])
    response = client.get(url)
    assert response_allows(response, url) is expected_page_access(user_key, action, group, target)


def achievement_form(page: AchievementPage, **changes) -> dict:
    data = {
        "title": page.title,
        "slug": page.slug,
        "kind": page.kind,
        "date_achieved": page.date_achieved.isoformat(),
        "summary": page.summary,
        "count": page.count or "",
        "count_label": page.count_label,
        "expires_on": "",
        "feature_in_letters": "on" if page.feature_in_letters else "",
        "body": streamfield([]),
        "comments": inline_formset([]),
    }
    data.update(changes)
    return nested_form_data(data)


def publish_new_title(client, page: AchievementPage) -> AchievementPage:
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {**achievement_form(page, title="A new title"), "action-publish": "publish"},
    )
    return AchievementPage.objects.get(pk=page.pk)


@pytest.mark.parametrize("user_key", USERS)
@pytest.mark.parametrize("group", GROUPS)
def test_only_national_staff_publish_by_default(client, users, user_key, group):
    if users[user_key]:
        client.force_login(users[user_key])
    page = target_page(group, "child")
    assert (publish_new_title(client, page).title == "A new title") is (user_key == "staff")


def test_editor_of_trusted_group_publishes_and_deletes_own_pages_only(client, users, southampton):
    southampton.may_publish_directly = True
    southampton.save_revision().publish()
    client.force_login(users["southampton_editor"])

    own = target_page("southampton", "child")
    assert publish_new_title(client, own).title == "A new title"
    delete_url = reverse("wagtailadmin_pages:delete", args=[own.pk])
    assert client.get(delete_url).status_code == 200

    other = target_page("ipswich", "child")
    assert publish_new_title(client, other).title != "A new title"
    assert client.get(reverse("wagtailadmin_pages:delete", args=[other.pk])).status_code != 200
    # The group page itself stays out of reach even for a trusted group.
    assert (
        client.get(reverse("wagtailadmin_pages:delete", args=[southampton.pk])).status_code != 200
    )


def test_turning_the_switch_off_takes_the_publish_right_back(client, users, southampton):
    southampton.may_publish_directly = True
    southampton.save_revision().publish()
    southampton.may_publish_directly = False
    southampton.save_revision().publish()
    client.force_login(users["southampton_editor"])
    assert publish_new_title(client, target_page("southampton", "child")).title != "A new title"


def test_editor_submission_goes_to_national_staff_for_review(client, users, southampton):
    client.force_login(users["southampton_editor"])
    page = target_page("southampton", "child")
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {**achievement_form(page, title="Submitted title"), "action-submit": "submit"},
    )
    page.refresh_from_db()
    assert page.title != "Submitted title"
    state = page.current_workflow_state
    assert state is not None and state.workflow.name == "National staff review"

    client.force_login(users["staff"])
    task_state = state.current_task_state
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", task_state.pk],
        ),
        {"comment": ""},
    )
    page.refresh_from_db()
    assert page.title == "Submitted title"
    assert page.live


@pytest.mark.parametrize("user_key", USERS)
@pytest.mark.parametrize("group", GROUPS)
def test_image_edit_matrix(client, users, user_key, group):
    access = GroupEditorAccess.objects.get(group_page__slug=group)
    image = wagtail_factories.ImageFactory(collection=access.collection)
    if users[user_key]:
        client.force_login(users[user_key])
    url = reverse("wagtailimages:edit", args=[image.pk])
    allowed = user_key == "staff" or user_key.startswith(group)
    assert response_allows(client.get(url), url) is allowed


def test_image_chooser_offers_only_the_editors_collection(client, users):
    own = wagtail_factories.ImageFactory(
        title="Southampton photo",
        collection=GroupEditorAccess.objects.get(group_page__slug="southampton").collection,
    )
    other = wagtail_factories.ImageFactory(
        title="Ipswich photo",
        collection=GroupEditorAccess.objects.get(group_page__slug="ipswich").collection,
    )
    client.force_login(users["southampton_editor"])
    html = client.get(reverse("wagtailimages_chooser:choose")).content.decode()
    assert own.title in html
    assert other.title not in html


def test_page_chooser_offers_only_the_editors_own_pages(client, users, southampton, ipswich):
    client.force_login(users["southampton_editor"])
    html = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "council"}).content.decode()
    assert "Council pledge of sanctuary" in html  # Southampton's
    assert "Council resolution of support" not in html  # Ipswich's


def test_editor_explorer_starts_at_their_group(client, users, southampton):
    client.force_login(users["southampton_editor"])
    response = client.get(reverse("wagtailadmin_explore_root"))
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"].endswith(f"/admin/pages/{southampton.pk}/")
