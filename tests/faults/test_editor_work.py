"""No editor work is lost: drafts are revisions, and two editors on one page are warned.

(import_constituencies and sync_mps are all-or-nothing: tests/letters/test_importers.py and
tests/letters/test_members_api.py test_*_changes_nothing.)
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(db):
    users = get_user_model().objects
    return (
        users.create_superuser("amina", "amina@example.org", "x"),
        users.create_superuser("bryn", "bryn@example.org", "x"),
    )


def test_a_saved_draft_is_a_revision_and_the_live_page_is_untouched(client, demo_site, editors):
    about = Page.objects.get(url_path="/home/about/").specific
    live_title = about.title
    about.title = "About us (draft, not yet approved)"
    revision = about.save_revision(user=editors[0])
    about.refresh_from_db()
    assert about.title == live_title
    assert about.has_unpublished_changes
    assert about.latest_revision == revision
    assert revision.as_object().title == "About us (draft, not yet approved)"
    assert client.get("/about/").content.decode().count(live_title) >= 1
    # Publishing later brings the draft out exactly as it was saved.
    revision.publish(user=editors[1])
    assert b"About us (draft, not yet approved)" in client.get("/about/").content


def test_a_second_editor_is_told_someone_else_is_editing(client, demo_site, editors):
    about = Page.objects.get(url_path="/home/about/")
    ping = lambda session: reverse(  # noqa: E731
        "wagtailadmin_editing_sessions:ping",
        args=("wagtailcore", "page", str(about.pk), session),
    )
    client.force_login(editors[0])
    first = client.post(ping(0), {"is_editing": "1"}).json()
    client.force_login(editors[1])
    second = client.post(ping(0), {"is_editing": "1"}).json()
    assert first["session_id"] != second["session_id"]
    others = [session["user"] for session in second["other_sessions"]]
    assert "amina" in " ".join(others).lower()


def test_a_locked_page_refuses_other_editors(client, demo_site, editors):
    about = Page.objects.get(url_path="/home/about/").specific
    client.force_login(editors[0])
    assert client.post(reverse("wagtailadmin_pages:lock", args=[about.pk])).status_code == 302
    about.refresh_from_db()
    assert about.locked and about.locked_by == editors[0]
    lock = about.get_lock()
    assert lock.for_user(editors[1])  # another editor is blocked ...
    assert "amina" in str(lock.get_message(editors[1])).lower()
    assert not lock.for_user(editors[0])  # ... the editor who locked it is not
