"""The site chrome (network settings, menu, newest letter) kept per content generation, on Redis."""

import pytest
from wagtail.models import Site

from network.models import NetworkSettings, StandardPage


@pytest.fixture
def chrome(settings, redis_cache):
    settings.SITE_CHROME_CACHE_ENABLED = True
    settings.PAGE_CACHE_ENABLED = False  # each page rendered: what the chrome saves a render
    return redis_cache


def test_chrome_saves_the_settings_and_menu_lookups_every_page_makes(
    client, demo_site, settings, chrome, django_assert_num_queries
):
    client.get("/about/")
    # The content generation, Wagtail's Site and home page lookups, routing (two), the
    # restriction check; the settings and the menu come from the chrome.
    with django_assert_num_queries(7):  # and the active Locale (Wagtail's routing)
        cached = client.get("/about/")
    settings.SITE_CHROME_CACHE_ENABLED = False
    # No generation read; the settings, the menu and the hidden sections (core/query.py).
    with django_assert_num_queries(11):
        uncached = client.get("/about/")
    assert cached.content == uncached.content
    assert 'aria-label="Main"' in cached.content.decode()


def test_changed_settings_show_on_the_next_request(
    client, demo_site, chrome, django_capture_on_commit_callbacks
):
    client.get("/about/")
    network = NetworkSettings.for_site(Site.objects.get(is_default_site=True))
    network.network_name = "Sanctuary Network Renamed"
    with django_capture_on_commit_callbacks(execute=True):
        network.save()
    assert "Sanctuary Network Renamed" in client.get("/about/").content.decode()


def test_a_page_added_to_the_menu_shows_on_the_next_request(
    client, demo_site, chrome, django_capture_on_commit_callbacks
):
    client.get("/about/")
    page = demo_site.add_child(
        instance=StandardPage(title="Volunteer with us", slug="volunteer", live=False)
    )
    page.show_in_menus = True
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    menu = client.get("/about/").content.decode().split('aria-label="Main"')[1].split("</nav>")[0]
    assert "Volunteer with us" in menu


def test_a_changed_site_hostname_is_seen_at_once(
    client, demo_site, chrome, django_capture_on_commit_callbacks
):
    # The demo's default site is the test client's own host (testserver): this one is another.
    assert client.get("/about/", HTTP_HOST="127.0.0.1").status_code == 200
    other_root = demo_site.add_child(instance=StandardPage(title="Elsewhere", slug="elsewhere"))
    site = Site.objects.get(is_default_site=True)
    with django_capture_on_commit_callbacks(execute=True):
        Site.objects.create(hostname="127.0.0.1", port=80, root_page=other_root)
    # The new, exact-host site now answers for 127.0.0.1: its root is "Elsewhere".
    response = client.get("/", HTTP_HOST="127.0.0.1")
    assert "Elsewhere" in response.content.decode()
    assert site.pk != Site.objects.get(hostname="127.0.0.1").pk


def test_the_current_letter_is_looked_up_once_per_generation(
    client, demo_site, chrome, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from groups.models import LocalGroupPage
    from letters.models import LetterIndexPage, LetterPage
    from tests.groups.test_pages import GROUP_PAGE_QUERIES

    client.get("/groups/southampton/")
    # The settings, the menu, the newest letter and the hidden sections come from the cache; the
    # content generation they are kept for is one query. The demo's Southampton has a picture
    # (GROUP_PAGE_QUERIES counts a group without one): its image and its renditions, one each.
    # The group's lists (achievements, updates, events, its count of awards) are kept for the
    # generation too: four queries fewer.
    with django_assert_num_queries(GROUP_PAGE_QUERIES - 5 + 2 - 4):
        client.get("/groups/southampton/")

    letter = LetterPage(title="Invite your MP to Refugee Week", slug="refugee-week-letter")
    LetterIndexPage.objects.get().add_child(instance=letter)
    with django_capture_on_commit_callbacks(execute=True):
        letter.save_revision().publish()

    group = LocalGroupPage.objects.get(slug="southampton")
    seat = group.constituencies.order_by("name").first()
    html = client.get("/groups/southampton/").content.decode()
    assert f"/letters/refugee-week-letter/{seat.slug}/" in html
