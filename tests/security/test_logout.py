"""Signing out of the admin takes a POST from the admin's own form: a GET (an image tag or a
link on any page on the web) answers 405 and leaves the editor signed in."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGOUT_URL = "/admin/logout/"


@pytest.fixture
def signed_in(client):
    user = get_user_model().objects.create_user("editor", "editor@example.org", "pw")
    user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


@pytest.mark.parametrize("method", ["get", "head", "put", "delete"])
def test_logout_by_anything_but_post_is_refused_and_signs_nobody_out(signed_in, method):
    response = getattr(signed_in, method)(LOGOUT_URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    assert "sessionid" not in response.cookies  # the session cookie is neither cleared nor reset
    assert signed_in.get("/admin/").status_code == 200


def test_logout_by_post_signs_out_like_wagtail(signed_in):
    response = signed_in.post(LOGOUT_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_login")
    assert response.cookies["sessionid"].value == ""  # Wagtail removes the cookie
    assert signed_in.get("/admin/").status_code == 302


def test_the_admin_menu_logs_out_with_a_post_form(signed_in):
    # The account menu is rendered by the sidebar's JS from this data: an action, not a link.
    page = signed_in.get("/admin/").content.decode()
    assert reverse("wagtailadmin_logout") == LOGOUT_URL
    assert '"name": "logout", "label": "Log out"' in page
    assert '"action": "/admin/logout/", "method": "POST"' in page
