import xml.etree.ElementTree as ET

import pytest

from groups.models import LocalGroupPage
from network.models import NewsIndexPage, NewsPage
from tests.groups.factories import GroupUpdatePageFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[tuple[str, str]]:
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return [
        (entry.find(f"{ATOM}title").text, entry.find(f"{ATOM}author/{ATOM}name").text)
        for entry in feed.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def news(demo_site):
    NewsIndexPage.objects.get().add_child(
        instance=NewsPage(title="National news item", slug="national-news-item", date="2026-02-01")
    )
    GroupUpdatePageFactory(
        parent=LocalGroupPage.objects.get(slug="southampton"),
        title="Southampton update",
        date="2025-05-01",
    )


def test_national_feed_has_news_and_every_groups_updates_newest_first(client, news):
    assert entries(client.get("/news/feed/")) == [
        ("National news item", "City of Sanctuary"),
        ("Southampton update", "City of Sanctuary Southampton"),
        ("What has happened since the resolution was passed?", "Ipswich Town of Sanctuary"),
    ]


def test_group_feed_has_only_that_groups_updates(client, news):
    assert entries(client.get("/groups/southampton/feed/")) == [
        ("Southampton update", "City of Sanctuary Southampton")
    ]


def test_feed_links_use_the_visitors_host(client, news):
    body = client.get("/news/feed/").content.decode()
    assert 'href="http://testserver/news/national-news-item/"' in body


def test_unpublished_updates_stay_out_of_feeds(client, news):
    update = (
        LocalGroupPage.objects.get(slug="southampton")
        .get_children()
        .get(slug__startswith="update-")
    )
    update.unpublish()
    assert ("Southampton update", "City of Sanctuary Southampton") not in entries(
        client.get("/news/feed/")
    )
