"""Sign-in throttling on the admin (django-axes): per username and address, per address across
usernames (core/sign_in.py), then released."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def three_failures(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 6
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user(
        "editor", "editor@example.org", PASSWORD, is_staff=True, is_superuser=True
    )


def sign_in(client, password: str, username: str = "editor", address: str = "203.0.113.5"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_right_password_signs_in(client, editor):
    assert sign_in(client, PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_repeated_failures_lock_out_even_the_right_password(client, editor):
    for _ in range(2):
        assert sign_in(client, "wrong").status_code == 200  # the form again, with an error
    locked = sign_in(client, "wrong")
    assert locked.status_code == 429
    assert b"Sign-in paused" in locked.content
    refused = sign_in(client, PASSWORD)
    assert refused.status_code == 429
    assert client.get("/admin/").status_code == 302  # still not signed in


def test_lockout_is_per_username_and_address(client, editor):
    for _ in range(3):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD, address="198.51.100.9").status_code == 302


def test_lockout_is_released_after_the_cool_off(client, editor):
    for _ in range(3):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 429
    # Move the failures into the past rather than waiting 15 minutes.
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    assert sign_in(client, PASSWORD).status_code == 302


def test_staff_can_release_a_lockout_at_once(client, editor):
    for _ in range(3):
        sign_in(client, "wrong")
    call_command("axes_reset_username", "editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sign_in(client, PASSWORD).status_code == 302


def test_success_clears_earlier_failures(client, editor):
    for _ in range(2):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        assert sign_in(client, "wrong").status_code == 200


def test_force_login_bypasses_axes_for_the_rest_of_the_suite(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_one_address_trying_many_usernames_is_locked_out(client, editor):
    # Two failures each for three usernames: under the per-username limit (3) every time,
    # but six from one address, the per-address limit.
    for username in ("alice", "bob"):
        for _ in range(2):
            assert sign_in(client, "wrong", username=username).status_code == 200
    assert sign_in(client, "wrong", username="carol").status_code == 200
    assert sign_in(client, "wrong", username="dave").status_code == 429
    # Locked for every username from that address, even the right password...
    assert sign_in(client, PASSWORD).status_code == 429
    assert client.get("/admin/").status_code == 302
    # ...and for nobody elsewhere.
    assert sign_in(client, PASSWORD, address="198.51.100.9").status_code == 302


def test_failures_under_the_address_limit_do_not_lock_the_address(client, editor):
    for username in ("alice", "bob", "carol", "dave", "erin"):
        assert sign_in(client, "wrong", username=username).status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302


def test_signing_in_does_not_clear_the_address_failures(client, editor):
    for username in ("alice", "bob", "carol", "dave", "erin"):
        sign_in(client, "wrong", username=username)
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "wrong", username="frank").status_code == 429


def test_address_lockout_is_released_after_the_cool_off(client, editor):
    for number in range(6):
        sign_in(client, "wrong", username=f"user{number}")
    assert sign_in(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    assert sign_in(client, PASSWORD).status_code == 302


def test_staff_can_release_an_address_at_once(client, editor):
    for number in range(6):
        sign_in(client, "wrong", username=f"user{number}")
    call_command("axes_reset_ip", "203.0.113.5", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sign_in(client, PASSWORD).status_code == 302
