import os
import subprocess
import sys

from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page

from events.models import EventPage
from groups.models import AchievementPage, GroupUpdatePage, LocalGroupPage
from tests.conftest import REPO_ROOT


def test_load_demo_content_twice_leaves_the_same_pages(demo_site):
    pages_before = sorted(Page.objects.values_list("url_path", flat=True))
    # The suite's demo has no Welsh pages (tests/conftest.py); nor does this second load.
    call_command("load_demo_content", without_welsh=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert sorted(Page.objects.values_list("url_path", flat=True)) == pages_before


def test_load_demo_content_gives_pictures_once_and_twice_changes_none(demo_site):
    pictured = (LocalGroupPage, AchievementPage, GroupUpdatePage, EventPage)
    pictures_before = {
        model.__name__: sorted(model.objects.values_list("pk", "image_id", "image_alt"))
        for model in pictured
    }
    # Every demo group, achievement, update and event has a picture; groups' are described.
    for model in pictured:
        assert not model.objects.filter(image__isnull=True).exists(), model.__name__
    assert not LocalGroupPage.objects.filter(image_alt="").exists()
    images_before = sorted(get_image_model().objects.values_list("pk", "title"))
    renditions_before = get_image_model().get_rendition_model().objects.count()
    assert all("CC0" in title for _pk, title in images_before)

    call_command("load_demo_content", without_welsh=True, stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert sorted(get_image_model().objects.values_list("pk", "title")) == images_before
    assert get_image_model().get_rendition_model().objects.count() == renditions_before
    assert {
        model.__name__: sorted(model.objects.values_list("pk", "image_id", "image_alt"))
        for model in pictured
    } == pictures_before


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_healthz_answers_ok_with_a_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_503_with_a_reason_when_the_database_is_unreachable():
    # A real, closed port: nothing listens on 127.0.0.1:9, so connecting fails at once.
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.test")
    env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:9/nowhere"
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code); print(r.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    status, body = result.stdout.strip().split("\n", 1)
    assert status == "503"
    assert '"status": "unavailable"' in body
    assert "unreachable" in body


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_sitemap_lists_demo_pages(client, demo_site):
    body = client.get("/sitemap.xml").content.decode()
    assert "/groups/southampton/" in body
    assert "/events/sanctuary-in-parliament-2018/" in body


def test_unknown_page_gets_the_friendly_404(client, demo_site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'href="/groups/"' in response.content.decode()


def test_500_page_renders_without_a_database():
    from core.faults import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()


def test_search_finds_pages_of_every_kind(client, demo_site):
    html = client.get("/search/", {"q": "Ipswich"}).content.decode()
    assert "Ipswich Town of Sanctuary" in html
    assert "What has happened since the resolution was passed?" in html


def test_search_with_an_overlong_query_shows_the_form_error(client, demo_site):
    response = client.get("/search/", {"q": "x" * 500})
    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters" in response.content.decode()
