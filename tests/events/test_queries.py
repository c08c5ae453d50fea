"""Listings and feeds cost the same number of queries for 1 event as for 50."""

import datetime

import pytest

from events import listing

from .conftest import add_event, uk

# Counted once and pinned: a change that adds per-event queries breaks the 50-event case, and a
# change to what every listing costs shows up here as a deliberate edit.
QUERIES = {
    "/events/": 15,
    "/events/ical/": 9,
    "/groups/southampton/events/": 11,
    "/groups/southampton/events/ical/": 6,
}


@pytest.fixture
def events_of_size(tree, monkeypatch):
    monkeypatch.setattr(listing, "current_time", lambda: uk(2027, 6, 1, 12))

    def make(size: int) -> None:
        for number in range(size):
            # Every other event is national; half are past. The first is local and upcoming,
            # so each listing and feed has something in it even with one event.
            parent = tree.southampton if number % 2 == 0 else tree.index
            offset = datetime.timedelta(days=number // 2 * (1 if number % 4 < 2 else -1))
            add_event(
                parent,
                f"event-{number}",
                uk(2027, 6, 10, 18) + offset,
                tags=["Refugee Week", f"topic {number % 3}"],
                venue_name="Community hall",
            )

    return make


@pytest.mark.parametrize("size", [1, 50])
@pytest.mark.parametrize("url", list(QUERIES))
def test_listing_queries_do_not_grow_with_the_number_of_events(
    client, events_of_size, django_assert_num_queries, url, size
):
    events_of_size(size)
    assert client.get(url).status_code == 200  # warms Wagtail's site cache

    with django_assert_num_queries(QUERIES[url]):
        response = client.get(url)

    assert response.status_code == 200
    assert b"Event 0" in response.content or b"SUMMARY:Event 0" in response.content
