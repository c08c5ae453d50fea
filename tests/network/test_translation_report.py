"""Reports → Translations (network/reports.py): pages in one language only, Welsh pages older
than their English source; national staff only."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Page

from groups.models import LocalGroupPage
from groups.permissions import add_group_editor
from network.reports import ENGLISH_ONLY, UP_TO_DATE, WELSH_OLDER, translation_statuses
from tests.groups.factories import national_staff_user

pytestmark = pytest.mark.django_db


def welsh_about() -> tuple[Page, Page]:
    about = Page.objects.get(slug="about", locale=Locale.get_default())
    welsh = about.copy_for_translation(Locale.objects.get(language_code="cy"), copy_parents=True)
    welsh.save_revision().publish()
    return about, welsh


def status_of(page: Page) -> str:
    return translation_statuses().get(pk=page.pk).status


def test_statuses_say_which_pages_need_a_translator(demo_site):
    about, welsh = welsh_about()
    assert status_of(Page.objects.get(slug="news", locale=Locale.get_default())) == ENGLISH_ONLY
    assert status_of(welsh) == UP_TO_DATE
    Page.objects.filter(pk=welsh.pk).update(
        last_published_at=timezone.now() - datetime.timedelta(days=3)
    )
    about.specific.save_revision().publish()  # the English changes after the Welsh was published
    assert status_of(welsh) == WELSH_OLDER


def test_national_staff_see_the_report_and_its_export(client, demo_site):
    welsh_about()
    client.force_login(national_staff_user())
    response = client.get(reverse("translation_status_report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "In English only" in html and "News" in html
    export = client.get(reverse("translation_status_report") + "?export=csv")
    assert export.status_code == 200
    assert b"In English only" in b"".join(export.streaming_content)


def test_local_editors_are_refused_the_report(client, demo_site):
    editor = get_user_model().objects.create_user("someone", "someone@example.org", "pw")
    add_group_editor(LocalGroupPage.objects.get(slug="southampton"), editor)
    client.force_login(editor)
    assert client.get(reverse("translation_status_report")).status_code == 403
