"""Listings and feeds cost no more queries for 50 events than for one upcoming and one past.

A page of a listing reads its upcoming and its past events in a query each (events.listing.
UpcomingThenPast): a page holding both costs the most, one query more than a page of only one
kind, whatever the number of events.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import add_event, uk

# Every test here uses `tree`: the demo's events are deleted once for the module.
pytestmark = pytest.mark.usefixtures("tree_for_the_module")

URLS = [
    "/events/",
    "/events/ical/",
    "/groups/southampton/events/",
    "/groups/southampton/events/ical/",
]
# A ceiling on what one listing costs at all (the site's header and footer included), so
# a fixed but needlessly high count does not pass unnoticed.
CEILING = 20


def add_events(tree, numbers: range) -> None:
    """Live events without revisions: a listing or feed never reads one."""
    for number in numbers:
        # Every other event is national; about half are past. The first is local and
        # upcoming, so each listing and feed has something in it even with one event.
        parent = tree.southampton if number % 2 == 0 else tree.index
        offset = datetime.timedelta(days=number // 2 * (1 if number % 4 < 2 else -1))
        add_event(
            parent,
            f"event-{number}",
            uk(2027, 6, 10, 18) + offset,
            tags=["Refugee Week", f"topic {number % 3}"],
            venue_name="Community hall",
            revision=False,
        )


def add_past_events(tree) -> None:
    """A past event in each listing (the group's and the network's), long ago: with the first
    upcoming one, the first page of each listing holds both kinds."""
    for parent in (tree.southampton, tree.index):
        add_event(parent, f"past-{parent.slug}", uk(2020, 6, 10, 18), revision=False)


def count_queries(client, url: str) -> int:
    client.get(url)  # warms Wagtail's cache of site root paths
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", URLS)
def test_listing_queries_do_not_grow_with_the_number_of_events(
    client, tree, time_machine, uncached, url
):
    # Uncached: the view is measured, not a cached copy of it.
    time_machine.move_to(uk(2027, 6, 1, 12), tick=False)
    add_events(tree, range(1))
    add_past_events(tree)
    with_one_of_each = count_queries(client, url)

    add_events(tree, range(1, 50))
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert len(queries) <= with_one_of_each
    assert with_one_of_each <= CEILING
    # A full page of a listing, or every upcoming event of a feed, was really drawn.
    marker = b"BEGIN:VEVENT" if url.endswith("ical/") else b'class="card card--event"'
    assert response.content.count(marker) >= 12
