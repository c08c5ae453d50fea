"""A small page tree for event tests: the events index and two groups in different regions."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from core.choices import Region
from events.models import EventIndexPage, EventPage
from groups.models import GroupIndexPage, LocalGroupPage
from network.models import HomePage

UK = ZoneInfo("Europe/London")


def uk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UK)


@dataclass
class EventsTree:
    home: HomePage
    index: EventIndexPage
    southampton: LocalGroupPage
    ipswich: LocalGroupPage


def publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def add_event(parent: Page, slug: str, start: datetime.datetime, end=None, tags=(), **fields):
    """A published event under `parent`; two hours long unless `end` says otherwise."""
    event = EventPage(
        title=fields.pop("title", slug.replace("-", " ").capitalize()),
        slug=slug,
        start=start,
        end=end or start + datetime.timedelta(hours=2),
        **fields,
    )
    if tags:
        event.tags.add(*tags)
    return publish(parent, event)


@pytest.fixture
def tree(db) -> EventsTree:
    # Wagtail caches site root paths; a cache left by another test would change query counts.
    cache.clear()
    root = Page.get_first_root_node()
    home = HomePage(title="City of Sanctuary", slug="network-home")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    index = publish(home, EventIndexPage(title="Events", slug="events"))
    groups = publish(home, GroupIndexPage(title="Groups", slug="groups"))
    southampton = publish(
        groups,
        LocalGroupPage(
            title="City of Sanctuary Southampton", slug="southampton", region=Region.SOUTH_EAST
        ),
    )
    ipswich = publish(
        groups,
        LocalGroupPage(
            title="Ipswich Town of Sanctuary", slug="ipswich", region=Region.EAST_OF_ENGLAND
        ),
    )
    return EventsTree(home=home, index=index, southampton=southampton, ipswich=ipswich)
