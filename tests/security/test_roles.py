"""The roles do what SECURITY.md says: a user made National staff the way the project
provisions staff (the "National staff" group of `ensure_national_roles`, not a superuser)
opens every admin screen the table promises them; a group editor opens none of the
national ones."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import APIToken, Site

from letters.models import LetterPage
from tests.groups.factories import national_staff_user

pytestmark = pytest.mark.django_db


def promised_urls() -> dict[str, str]:
    """SECURITY.md's "National staff" row, screen by screen."""
    letter = LetterPage.objects.live().first()
    return {
        "see download reports": reverse("letters_download_report"),
        "download reports as CSV": reverse("letters_download_report") + "?export=csv",
        "every constituency's letter as a ZIP": reverse("letters_zip", args=[letter.pk]),
        "manage API tokens": reverse("wagtailusers_api_tokens:index"),
        "create an API token": reverse("wagtailusers_api_tokens:add"),
        "create editor accounts": reverse("wagtailusers_users:add"),
        "write letter templates": reverse("wagtailadmin_pages:edit", args=[letter.pk]),
        "constituencies": reverse("constituencies:index"),
        "network settings": reverse(
            "wagtailsettings:edit",
            args=["network", "networksettings", Site.objects.get(is_default_site=True).pk],
        ),
    }


PROMISES = (
    "see download reports",
    "download reports as CSV",
    "every constituency's letter as a ZIP",
    "manage API tokens",
    "create an API token",
    "create editor accounts",
    "write letter templates",
    "constituencies",
    "network settings",
)


@pytest.mark.parametrize("promise", PROMISES)
def test_national_staff_open_what_security_md_promises(client, demo_site, promise):
    staff = national_staff_user()
    assert not staff.is_superuser
    client.force_login(staff)
    response = client.get(promised_urls()[promise])
    assert response.status_code == 200, promise


@pytest.mark.parametrize("promise", PROMISES)
def test_group_editors_do_not_open_national_screens(client, demo_site, promise):
    client.force_login(get_user_model().objects.get(username="southampton-editor"))
    response = client.get(promised_urls()[promise])
    assert response.status_code in (302, 403), promise


def test_national_staff_create_an_api_token_for_an_editor(client, demo_site):
    client.force_login(national_staff_user())
    editor = get_user_model().objects.get(username="southampton-editor")
    response = client.post(
        reverse("wagtailusers_api_tokens:add"), {"name": "Southampton app", "user": editor.pk}
    )
    assert response.status_code in (200, 302), response.content
    assert APIToken.objects.filter(user=editor, name="Southampton app").exists()
