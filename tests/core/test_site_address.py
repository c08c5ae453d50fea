"""Absolute links name the host the visitor asked (core/pages.py `get_url_parts`), and the
Site record's address (set by the demo loader from WAGTAILADMIN_BASE_URL) where there is no
request: `make run` serves http://127.0.0.1:8000, and its links must say so.

The suite's demo Site is the test client's own host (testserver), so these tests ask on
another host, 127.0.0.1:8000, as a browser does with `make run`.
"""

import json
import re

import icalendar
import pytest
from wagtail.models import Site

from events.models import EventPage
from groups.models import LocalGroupPage
from network import demo as network_demo
from network.models import HomePage

HOST = "127.0.0.1:8000"
ORIGIN = f"http://{HOST}"


def on_host(client, path: str):
    response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200, (path, response.status_code)
    return response


def absolute_links(text: str) -> set[str]:
    """The scheme and host of every absolute http(s) link, schema.org's own left out."""
    hosts = set(re.findall(r"https?://[^/\"'<>\s\\]+", text))
    return hosts - {"https://schema.org", "http://www.sitemaps.org", "http://www.w3.org"}


@pytest.mark.django_db
def test_the_sitemap_links_to_the_requests_host(client, demo_site):
    xml = on_host(client, "/sitemap.xml").content.decode()
    assert f"<loc>{ORIGIN}/about/</loc>" in xml
    assert absolute_links(xml) == {ORIGIN}


@pytest.mark.django_db
def test_feeds_link_to_the_requests_host(client, demo_site):
    for path, page in (("/news/feed/", "/news/"), ("/groups/ipswich/feed/", "/groups/ipswich/")):
        body = on_host(client, path).content.decode()
        assert f'<link href="{ORIGIN}{page}" rel="alternate"/>' in body
        assert f'href="{ORIGIN}/groups/ipswich/' in body  # an entry: Ipswich's update
        assert absolute_links(body) == {ORIGIN}, path


@pytest.mark.django_db
def test_calendar_files_link_to_the_requests_host(client, demo_site):
    event = EventPage.objects.get(slug="sanctuary-in-parliament-2018")
    one = icalendar.Calendar.from_ical(on_host(client, f"{event.get_url()}ical/").content)
    [component] = one.walk("VEVENT")
    assert str(component["URL"]) == f"{ORIGIN}{event.get_url()}"
    listing = on_host(client, "/events/ical/").content.decode()
    assert "localhost" not in listing and "testserver/" not in listing


@pytest.mark.django_db
def test_the_api_gives_html_urls_on_the_requests_host(client, demo_site):
    group = on_host(client, "/api/v3/groups/southampton/").json()
    assert group["html_url"] == f"{ORIGIN}/groups/southampton/"
    event = EventPage.objects.get(slug="sanctuary-in-parliament-2018")
    event_json = on_host(client, f"/api/v3/events/{event.pk}/").json()
    assert event_json["html_url"] == f"{ORIGIN}{event.get_url()}"
    # Wagtail's own pages endpoint, through the same page method.
    southampton = LocalGroupPage.objects.get(slug="southampton")
    page_json = on_host(client, f"/api/v3/pages/{southampton.pk}/").json()
    assert page_json["meta"]["html_url"] == f"{ORIGIN}/groups/southampton/"
    # A page's link to another page (an APIField whose serializer is handed no request).
    local_event = EventPage.objects.filter(organiser=southampton).first()
    event_page_json = on_host(client, f"/api/v3/pages/{local_event.pk}/").json()
    assert event_page_json["organiser"]["html_url"] == f"{ORIGIN}/groups/southampton/"


@pytest.mark.django_db
def test_json_ld_and_share_tags_link_to_the_requests_host(client, demo_site):
    event = EventPage.objects.get(slug="sanctuary-in-parliament-2018")
    page = on_host(client, event.get_url()).content.decode()
    [data] = [
        json.loads(script)
        for script in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
    ]
    assert data["url"] == f"{ORIGIN}{event.get_url()}"
    head = page.split("</head>", 1)[0]
    assert f'<link rel="canonical" href="{ORIGIN}{event.get_url()}">' in head
    assert absolute_links(head) == {ORIGIN}


@pytest.mark.django_db
def test_a_cached_page_never_carries_another_hosts_links(client, demo_site):
    first = client.get("/about/")
    assert first["X-Page-Cache"] == "miss"
    other = client.get("/about/", HTTP_HOST=HOST)
    assert other["X-Page-Cache"] == "miss"  # its own entry, not the first host's
    assert f'<link rel="canonical" href="{ORIGIN}/about/">' in other.content.decode()
    again = client.get("/about/")
    assert again["X-Page-Cache"] == "hit"
    assert '<link rel="canonical" href="http://testserver/about/">' in again.content.decode()


@pytest.mark.django_db
def test_without_a_request_links_use_the_site_records_address(demo_site, settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    network_demo.load()  # as `make run` does, with its default address
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    assert HomePage.objects.get(locale__language_code="en-gb").full_url == f"{ORIGIN}/"
    group = LocalGroupPage.objects.get(slug="southampton")
    assert group.get_full_url() == f"{ORIGIN}/groups/southampton/"


@pytest.mark.parametrize(
    "address, host",
    [
        ("http://127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("https://www.cityofsanctuary.org/", ("www.cityofsanctuary.org", 443)),
        ("http://localhost", ("localhost", 80)),
    ],
)
def test_the_demo_site_takes_its_address_from_the_setting(settings, address, host):
    settings.WAGTAILADMIN_BASE_URL = address
    assert network_demo.configured_host() == host
