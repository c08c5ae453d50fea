import xml.etree.ElementTree as ET

import pytest

from groups.models import GroupUpdatePage, LocalGroupPage
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
    feed = client.get("/news/feed/")
    ours = [
        ("National news item", "City of Sanctuary"),  # 2026-02-01
        ("Southampton update", "City of Sanctuary Southampton"),  # 2025-05-01
        ("What has happened since the resolution was passed?", "Ipswich Town of Sanctuary"),
    ]
    assert [entry for entry in entries(feed) if entry in ours] == ours
    # Every group's updates (the demo network's too), newest first.
    updates = GroupUpdatePage.objects.live()
    assert len(entries(feed)) == NewsPage.objects.live().count() + updates.count()
    assert {author for _, author in entries(feed)} >= {update.group.title for update in updates}
    published = [
        entry.find(f"{ATOM}published").text or entry.find(f"{ATOM}updated").text
        for entry in ET.fromstring(feed.content).findall(f"{ATOM}entry")
    ]
    assert published == sorted(published, reverse=True)


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
