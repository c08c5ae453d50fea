"""A group's editors add events under their own group, through the real Wagtail admin, and
nowhere else. The permissions are made here, not by the groups app's provisioning, so this
test says what the events app needs from any provisioning."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from events.models import EventPage


def page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


@pytest.fixture
def southampton_editor(tree, django_user_model, settings):
    # Login lockouts are not what this tests; force_login's bare request has no client address.
    settings.AXES_ENABLED = False
    editors = Group.objects.create(name="Southampton test editors")
    editors.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=editors, page=tree.southampton, permission=page_permission(codename)
        )
    user = django_user_model.objects.create_user("southampton-test-editor", password="not-used")
    user.groups.add(editors)
    return user


def add_url(parent: Page) -> str:
    return f"/admin/pages/add/events/eventpage/{parent.pk}/"


def filled_in_form(html: str, title: str, slug: str):
    data = querydict_from_html(html, form_id="page-edit-form")
    data.update({"title": title, "slug": slug})
    # StreamFields are drawn by JavaScript, so their empty values are not in the HTML.
    data.update(nested_form_data({"programme": streamfield([]), "body": streamfield([])}))
    data["start"] = "2027-06-19 11:00"
    data["end"] = "2027-06-19 17:00"
    return data


def test_group_editor_can_add_an_event_under_their_own_group(client, tree, southampton_editor):
    client.force_login(southampton_editor)

    form = client.get(add_url(tree.southampton))
    assert form.status_code == 200
    response = client.post(
        add_url(tree.southampton),
        filled_in_form(form.content.decode(), "Refugee Week picnic", "refugee-week-picnic"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event = EventPage.objects.child_of(tree.southampton).get(slug="refugee-week-picnic")
    assert event.organiser_id == tree.southampton.pk
    assert event.owner == southampton_editor


def test_group_editor_cannot_add_an_event_under_another_group(client, tree, southampton_editor):
    client.force_login(southampton_editor)
    # The form is drawn from the group they may edit; only the destination differs.
    html = client.get(add_url(tree.southampton)).content.decode()

    form = client.get(add_url(tree.ipswich))
    response = client.post(
        add_url(tree.ipswich), filled_in_form(html, "Not our event", "not-our-event")
    )

    assert form.status_code in (302, 403)
    assert response.status_code in (302, 403)
    assert not EventPage.objects.filter(slug="not-our-event").exists()


def test_group_editor_cannot_add_a_national_event(client, tree, southampton_editor):
    client.force_login(southampton_editor)
    html = client.get(add_url(tree.southampton)).content.decode()

    response = client.post(add_url(tree.index), filled_in_form(html, "National", "national"))

    assert response.status_code in (302, 403)
    assert not EventPage.objects.filter(slug="national").exists()
