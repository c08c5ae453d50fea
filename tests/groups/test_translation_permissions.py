"""A Welsh group's editors translate their own group's pages into Welsh, and nothing else
(issue 20): the rights are checked on the server, over real admin requests."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import GroupPagePermission, Locale, Page

from core.choices import Nation, Region
from groups.models import GroupIndexPage, LocalGroupPage
from groups.permissions import add_group_editor
from tests.groups.factories import LocalGroupPageFactory, national_staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def welsh_groups(demo_site) -> dict:
    index = GroupIndexPage.objects.get(locale=Locale.get_default())
    swansea = LocalGroupPageFactory(
        parent=index,
        slug="swansea",
        title="Swansea City of Sanctuary",
        nation=Nation.WALES,
        region=Region.WALES,
    )
    swansea.save_revision().publish()
    cardiff = index.get_children().get(slug="cardiff").specific  # the demo network's
    assert cardiff.nation == Nation.WALES
    groups = {}
    for slug, group in (("swansea", swansea), ("cardiff", cardiff)):
        editor = get_user_model().objects.create_user(f"{slug}-editor", f"{slug}@example.org", "pw")
        add_group_editor(group, editor)
        groups[slug] = (group, editor)
    return groups


def welsh() -> Locale:
    return Locale.objects.get(language_code="cy")


def refused(response) -> bool:
    """Wagtail answers a refused admin request with 403, or (a page) by sending the user back
    to the dashboard with "Sorry, you do not have permission"."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def submit_translation(client, page: Page):
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    return client.post(url, {"locales": [welsh().pk]})


def test_a_welsh_groups_editor_translates_their_group_page(client, welsh_groups):
    swansea, editor = welsh_groups["swansea"]
    client.force_login(editor)
    response = submit_translation(client, swansea)
    assert response.status_code == 302
    translated = swansea.get_translation(welsh())
    assert translated.alias_of_id is None
    # The translation is the same group's: its editors hold the same rights on it, and may open
    # it in the translation editor; no new editors group was made for it.
    assert set(
        GroupPagePermission.objects.filter(page=translated).values_list("group__name", flat=True)
    ) == {"Swansea City of Sanctuary editors"}
    assert translated.permissions_for_user(editor).can_edit()
    assert client.get(reverse("wagtailadmin_pages:edit", args=[translated.pk])).status_code == 200


def test_a_welsh_groups_editor_cannot_translate_another_groups_page(client, welsh_groups):
    cardiff, _ = welsh_groups["cardiff"]
    _, swansea_editor = welsh_groups["swansea"]
    client.force_login(swansea_editor)
    url = reverse("wagtail_localize:submit_page_translation", args=[cardiff.pk])
    assert refused(client.get(url))
    assert refused(submit_translation(client, cardiff))
    assert cardiff.get_translation_or_none(welsh()) is None


def test_a_welsh_groups_editor_cannot_edit_another_groups_translation(client, welsh_groups):
    cardiff, cardiff_editor = welsh_groups["cardiff"]
    _, swansea_editor = welsh_groups["swansea"]
    client.force_login(national_staff_user())
    assert submit_translation(client, cardiff).status_code == 302
    welsh_cardiff = cardiff.get_translation(welsh())
    assert not welsh_cardiff.permissions_for_user(swansea_editor).can_edit()
    assert welsh_cardiff.permissions_for_user(cardiff_editor).can_edit()
    client.force_login(swansea_editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[welsh_cardiff.pk]))
    assert refused(response)


def test_national_staff_translate_national_pages(client, demo_site):
    client.force_login(national_staff_user())
    about = Page.objects.get(slug="about", locale=Locale.get_default())
    assert submit_translation(client, about).status_code == 302
    assert about.get_translation_or_none(welsh()) is not None


def test_a_local_editor_cannot_translate_national_pages(client, welsh_groups):
    _, swansea_editor = welsh_groups["swansea"]
    client.force_login(swansea_editor)
    about = Page.objects.get(slug="about", locale=Locale.get_default())
    assert refused(submit_translation(client, about))
    assert about.get_translation_or_none(welsh()) is None


def test_translating_a_group_page_makes_no_new_editors_group(client, welsh_groups):
    from django.contrib.auth.models import Group

    swansea, editor = welsh_groups["swansea"]
    before = Group.objects.count()
    client.force_login(editor)
    submit_translation(client, swansea)
    assert Group.objects.count() == before
    assert LocalGroupPage.objects.filter(slug="swansea").count() == 2
