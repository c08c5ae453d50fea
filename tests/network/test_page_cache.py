"""The anonymous page cache, on real Redis: fast repeat visits, and never a stale page."""

from io import StringIO

import pytest
from django.test import RequestFactory
from wagtail.models import PageViewRestriction

from core.cache import cache_key, current_generation
from groups.models import AchievementPage, LocalGroupPage
from letters.models import LetterDownload


@pytest.fixture
def page_cache(settings, redis_cache):
    settings.PAGE_CACHE_ENABLED = True
    return redis_cache


def test_anonymous_repeat_visit_is_served_from_the_cache(
    client, demo_site, page_cache, django_assert_num_queries
):
    first = client.get("/groups/southampton/")
    assert first["X-Page-Cache"] == "miss"
    # One query: the content generation, read from the database so no change is ever missed.
    with django_assert_num_queries(1):
        second = client.get("/groups/southampton/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "max-age=60" in second["Cache-Control"]


def test_publishing_an_achievement_updates_every_page_that_lists_it(
    client, demo_site, page_cache, django_capture_on_commit_callbacks
):
    for url in ("/groups/southampton/", "/groups/achievements/", "/"):
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"

    achievement = AchievementPage.objects.get(
        slug="schools-of-sanctuary"
    ).get_latest_revision_as_object()
    achievement.title = "Twenty Schools of Sanctuary"
    achievement.date_achieved = achievement.date_achieved.replace(
        year=2026
    )  # newest, so the home page lists it
    with django_capture_on_commit_callbacks(execute=True):
        achievement.save_revision().publish()

    for url in ("/groups/southampton/", "/groups/achievements/", "/"):
        response = client.get(url)
        assert "Twenty Schools of Sanctuary" in response.content.decode(), url


def test_unpublishing_a_group_removes_it_from_the_cached_directory(
    client, demo_site, page_cache, django_capture_on_commit_callbacks
):
    assert "Ipswich Town of Sanctuary" in client.get("/groups/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        LocalGroupPage.objects.get(slug="ipswich").unpublish()
    assert "Ipswich Town of Sanctuary" not in client.get("/groups/").content.decode()
    assert client.get("/groups/ipswich/").status_code == 404


def test_logged_in_editors_bypass_the_cache(client, demo_site, page_cache, django_user_model):
    client.get("/groups/southampton/")
    editor = django_user_model.objects.get(username="southampton-editor")
    client.force_login(editor)
    response = client.get("/groups/southampton/")
    assert "X-Page-Cache" not in response


def test_requests_with_an_api_token_bypass_the_cache(client, demo_site, page_cache):
    client.get("/api/v3/groups/")
    assert client.get("/api/v3/groups/")["X-Page-Cache"] == "hit"
    response = client.get("/api/v3/groups/", HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert "X-Page-Cache" not in response


def test_admin_pages_are_private_and_never_stored(client, demo_site, page_cache, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_page_made_private_is_no_longer_served_from_the_cache(
    client, demo_site, page_cache, django_capture_on_commit_callbacks
):
    client.get("/groups/southampton/")
    assert client.get("/groups/southampton/")["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=LocalGroupPage.objects.get(slug="southampton"),
            restriction_type=PageViewRestriction.LOGIN,
        )

    response = client.get("/groups/southampton/")
    assert response.status_code == 302
    assert "/login/" in response["Location"] or "login" in response["Location"]


def test_not_found_pages_are_not_stored(client, demo_site, page_cache):
    client.get("/no-such-page/")
    assert "X-Page-Cache" not in client.get("/no-such-page/")


def test_the_cache_works_without_redis(client, demo_site, settings):
    # A Redis outage (nothing listens on port 9) leaves a working, uncached site.
    settings.PAGE_CACHE_ENABLED = True
    settings.SITE_CHROME_CACHE_ENABLED = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    response = client.get("/groups/southampton/")
    assert response.status_code == 200
    assert "City of Sanctuary Southampton" in response.content.decode()


def test_changed_mp_data_purges_pages_that_name_mps(
    client, demo_site, page_cache, shared_data, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    assert "Satvir Kaur" in client.get("/groups/southampton/").content.decode()
    assert client.get("/groups/southampton/")["X-Page-Cache"] == "hit"

    lines = (shared_data / "dfe_mp_lookup.csv").read_text(encoding="utf-8").splitlines()
    row = next(line for line in lines if line.startswith('"Southampton Test"'))
    by_election = row.replace(
        '"Satvir Kaur MP","Satvir Kaur"', '"Alex Newmember MP","Alex Newmember"'
    )
    by_election = by_election.replace('"5271"', '"99999"')
    csv_file = tmp_path / "by-election.csv"
    csv_file.write_text(lines[0] + "\r\n" + by_election + "\r\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_constituencies", str(csv_file), stdout=StringIO())

    html = client.get("/groups/southampton/").content.decode()
    assert "Alex Newmember" in html
    assert "Satvir Kaur" not in html


def test_an_event_that_ends_leaves_the_cached_pages_without_anyone_publishing(
    client, demo_site, page_cache, time_machine
):
    import datetime

    from django.utils import timezone

    from events.models import EventIndexPage, EventPage

    # Time enough for the requests before it ends, even on a busy machine.
    end = timezone.now() + datetime.timedelta(seconds=5)
    ends_soon = EventPage(
        title="Welcome breakfast ending now",
        slug="welcome-breakfast",
        start=timezone.now() - datetime.timedelta(hours=1),
        end=end,
    )
    EventIndexPage.objects.get().add_child(instance=ends_soon)
    ends_soon.save_revision().publish()  # no on_commit here: the clock alone must purge

    assert "Welcome breakfast ending now" in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"
    event_page = client.get("/events/welcome-breakfast/").content.decode()
    assert "This event has passed" not in event_page

    # The clock passes the event's end (moved, not waited for: the cache reads the moments on
    # the site's clock, which time-machine moves; Redis keeps the pages).
    time_machine.move_to(max(end, timezone.now()) + datetime.timedelta(seconds=0.5))

    home = client.get("/")
    assert home["X-Page-Cache"] == "miss"
    assert "Welcome breakfast ending now" not in home.content.decode()
    assert "This event has passed" in client.get("/events/welcome-breakfast/").content.decode()


@pytest.mark.parametrize("format_name", ["docx", "pdf", "txt"])
def test_every_download_is_counted_though_pages_are_cached(
    client, open_invitation, page_cache, format_name
):
    # A counted answer must reach the view each time: the cache may not answer for it.
    url = f"/letters/invite-your-mp-sanctuary-in-parliament-2018/southampton-itchen/{format_name}/"
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        assert response.get("X-Page-Cache") != "hit"
    counts = LetterDownload.objects.filter(format=format_name).values_list("count", flat=True)
    assert sum(counts) == 3


def test_pages_with_the_invitations_counter_expire_within_30_seconds_on_redis(
    client, open_campaign, page_cache
):
    letter = "/letters/invite-your-mp-sanctuary-in-parliament-2018/"
    for path, longest in [(letter, 30), (letter + "southampton-test/", 30), ("/about/", 600)]:
        response = client.get(path)
        assert response["X-Page-Cache"] == "miss"
        assert f"max-age={min(longest, 60)}" in response["Cache-Control"]
        ttl = page_cache.ttl(cache_key(RequestFactory().get(path)))
        assert longest - 5 < ttl <= longest, path
    # A click is counted without starting a new generation: nothing else is purged.
    generation = current_generation()
    assert client.post(letter + "southampton-test/sent/").status_code == 200  # counted
    assert current_generation() == generation
    assert client.get("/about/")["X-Page-Cache"] == "hit"
