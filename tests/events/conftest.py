"""A small page tree for event tests: the events index and two groups in different regions."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from wagtail.models import Page, Site

from events.models import EventIndexPage, EventPage
from groups.models import LocalGroupPage
from network.models import HomePage
from tests.conftest import built_once

UK = ZoneInfo("Europe/London")


def uk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UK)


@dataclass
class EventsTree:
    home: HomePage
    index: EventIndexPage
    southampton: LocalGroupPage
    ipswich: LocalGroupPage


def publish(parent: Page, page: Page, revision: bool = True) -> Page:
    """`page` live under `parent`, published from a revision as an editor publishes it; or,
    with `revision=False`, only added live, for bulk content where revisions play no part
    (what a listing shows or a render costs), at a fraction of the cost."""
    parent.add_child(instance=page)
    if revision:
        page.save_revision().publish()
    return page


def add_event(
    parent: Page,
    slug: str,
    start: datetime.datetime,
    end=None,
    tags=(),
    revision: bool = True,
    **fields,
):
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
    return publish(parent, event, revision)


def build_tree() -> EventsTree:
    """The demo's home, events index and its two groups (Southampton in the South East,
    Ipswich in the East of England), with none of the demo's events: each test adds its own.
    The site answers to the test client's host, so feeds name events `...@testserver`."""
    EventPage.objects.all().delete()
    site = Site.objects.get(is_default_site=True)
    site.hostname = "testserver"
    site.save()
    return the_tree()


def the_tree() -> EventsTree:
    """The tree's pages, read afresh from the database."""
    return EventsTree(
        home=HomePage.objects.get(),
        index=EventIndexPage.objects.get(),
        southampton=LocalGroupPage.objects.get(slug="southampton"),
        ipswich=LocalGroupPage.objects.get(slug="ipswich"),
    )


@pytest.fixture(scope="module")
def tree_for_the_module(django_db_setup, django_db_blocker) -> Iterator[None]:
    """`build_tree()` once for a module whose every test uses `tree` (deleting the demo's
    events is most of a small test's time), rolled back when the module ends; each test's own
    events and changes are rolled back after it, as before. A module opts in with
    `pytestmark = pytest.mark.usefixtures("tree_for_the_module")`: every test in it then runs
    on the tree, so only a module whose tests all ask for `tree` may."""
    with built_once(django_db_blocker):
        build_tree()
        yield


@pytest.fixture
def tree(request, demo_site) -> EventsTree:
    """`build_tree()` for one test (or its module's, read afresh: see `tree_for_the_module`)."""
    if "tree_for_the_module" in request.fixturenames:
        return the_tree()
    return build_tree()
