"""The network settings in the admin: national staff edit them, local editors are turned away.

A local editor following a link to /admin/settings/network/networksettings/ got a server error
on PostgreSQL (Wagtail's "first site you may edit" query); run with DATABASE_URL=postgres://...
to see the difference.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from wagtail.models import Site

from tests.groups.factories import national_staff_user

SETTINGS_URL = "/admin/settings/network/networksettings/"


def test_national_staff_are_sent_to_the_settings_of_their_site(client, demo_site):
    client.force_login(national_staff_user())
    response = client.get(SETTINGS_URL)
    site = Site.objects.get(is_default_site=True)
    assert response.status_code == 302
    assert response["Location"] == f"{SETTINGS_URL}{site.pk}/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("username", ["southampton-editor", "ipswich-editor"])
def test_a_local_editor_is_told_they_may_not_open_the_network_settings(client, demo_site, username):
    client.force_login(get_user_model().objects.get(username=username))
    site = Site.objects.get(is_default_site=True)
    for url in (SETTINGS_URL, f"{SETTINGS_URL}{site.pk}/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/admin/"
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("permission" in message for message in messages)
