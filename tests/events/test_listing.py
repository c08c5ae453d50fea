"""events/listing.py: which events a listing shows, in what order, with which filters."""

import pytest
from django.test import RequestFactory

from events.listing import EventFilterForm, EventListing, GroupEventFilterForm
from events.models import EventPage

from .conftest import add_event, uk

# Every test here uses `tree`: the demo's events are deleted once for the module.
pytestmark = pytest.mark.usefixtures("tree_for_the_module")

# The fixed moment the listings are looked at: just after midnight, 21 June 2027 (BST).
NOW = uk(2027, 6, 21, 0, 0)


def slugs(listing: EventListing) -> list[str]:
    return [event.slug for event in listing.page.object_list]


def listing_for(query: dict | None = None, now=NOW, **kwargs) -> EventListing:
    return EventListing(RequestFactory().get("/events/", query or {}), now=now, **kwargs)


@pytest.fixture
def events(tree):
    """Events on either side of the midnight between 20 and 21 June 2027."""
    add_event(tree.index, "last-year", uk(2026, 6, 20, 10), tags=["Refugee Week"])
    add_event(tree.southampton, "saturday-lunch", uk(2027, 6, 19, 12), tags=["Refugee Week"])
    add_event(tree.ipswich, "sunday-late", uk(2027, 6, 20, 21), end=uk(2027, 6, 20, 23, 59))
    add_event(tree.southampton, "across-midnight", uk(2027, 6, 20, 22), end=uk(2027, 6, 21, 2))
    add_event(tree.index, "monday-morning", uk(2027, 6, 21, 9), tags=["Refugee Week"])
    add_event(tree.ipswich, "next-year", uk(2028, 6, 19, 18), tags=["Refugee Week"])
    return tree


def test_upcoming_come_first_soonest_first_then_past_latest_first(events):
    listing = listing_for()

    assert slugs(listing) == [
        "across-midnight",  # started before midnight but has not ended: still upcoming
        "monday-morning",
        "next-year",
        "sunday-late",  # ended at 23:59, a minute before the clock
        "saturday-lunch",
        "last-year",
    ]
    assert [event.slug for event in listing.upcoming] == slugs(listing)[:3]
    assert [event.slug for event in listing.past] == slugs(listing)[3:]


def test_an_event_moves_from_upcoming_to_past_when_the_clock_passes_its_end(events):
    before = listing_for(now=uk(2027, 6, 20, 23, 59))
    after = listing_for(now=uk(2027, 6, 21, 2, 1))

    assert "sunday-late" in [event.slug for event in before.upcoming]
    assert "across-midnight" in [event.slug for event in before.upcoming]
    assert "sunday-late" in [event.slug for event in after.past]
    assert "across-midnight" in [event.slug for event in after.past]
    assert slugs(after)[:2] == ["monday-morning", "next-year"]


def test_tag_filter_keeps_the_upcoming_then_past_order(events):
    listing = listing_for({"tag": "refugee-week"})

    assert slugs(listing) == ["monday-morning", "next-year", "saturday-lunch", "last-year"]
    assert listing.filters.ignored == []


def test_group_filter_shows_only_that_groups_events(events):
    listing = listing_for({"group": events.ipswich.pk})

    assert slugs(listing) == ["next-year", "sunday-late"]


def test_region_filter_uses_the_organising_groups_region(events):
    listing = listing_for({"region": "south-east"})

    assert slugs(listing) == ["across-midnight", "saturday-lunch"]


def test_national_only_leaves_out_every_groups_events(events):
    listing = listing_for({"national": "on"})

    assert slugs(listing) == ["monday-morning", "last-year"]
    assert all(event.organiser is None for event in listing.page.object_list)


def test_filters_combine(events):
    listing = listing_for({"tag": "refugee-week", "region": "south-east"})

    assert slugs(listing) == ["saturday-lunch"]


def test_feed_holds_only_the_upcoming_matching_events_soonest_first(events):
    listing = listing_for({"tag": "refugee-week"})

    assert [event.slug for event in listing.upcoming_for_feed()] == [
        "monday-morning",
        "next-year",
    ]


def test_group_listing_is_limited_to_the_events_it_is_given(events):
    listing = listing_for(
        {"tag": "refugee-week"},
        events=EventPage.objects.filter(organiser=events.southampton),
        form_class=GroupEventFilterForm,
    )

    assert slugs(listing) == ["saturday-lunch"]


def test_drafts_are_not_listed(events):
    draft = EventPage.objects.get(slug="next-year")
    draft.unpublish()

    assert "next-year" not in slugs(listing_for())


def test_bad_filter_values_are_ignored_with_a_message_and_good_ones_still_apply(events):
    listing = listing_for({"tag": "no-such-topic", "region": "atlantis", "group": "x"})

    assert len(slugs(listing)) == 6
    assert len(listing.filters.ignored) == 3
    assert any("Topic" in message for message in listing.filters.ignored)

    partly_bad = listing_for({"tag": "refugee-week", "region": "atlantis"})
    assert slugs(partly_bad) == ["monday-morning", "next-year", "saturday-lunch", "last-year"]
    assert len(partly_bad.filters.ignored) == 1


def test_listing_is_paginated(tree):
    for day in range(1, 26):
        add_event(tree.index, f"day-{day}", uk(2027, 7, day, 10))

    first = listing_for()
    second = listing_for({"page": "2"})

    assert first.count == 25
    assert slugs(first)[:2] == ["day-1", "day-2"]
    assert slugs(second) == [f"day-{day}" for day in range(21, 26)]


def test_filter_form_offers_only_tags_in_use_on_live_events(events):
    form = EventFilterForm()

    assert [value for value, _ in form.fields["tag"].choices] == ["", "refugee-week"]


def test_events_page_lists_and_filters_over_http(client, tree):
    add_event(tree.index, "far-future", uk(2099, 1, 1, 10), tags=["Campaigning"])
    add_event(tree.southampton, "long-ago", uk(2001, 1, 1, 10))

    html = client.get("/events/").content.decode()
    filtered = client.get("/events/", {"tag": "campaigning"}).content.decode()

    assert html.index("Upcoming events") < html.index("Far future") < html.index("Past events")
    assert html.index("Past events") < html.index("Long ago")
    assert "Far future" in filtered
    assert "Long ago" not in filtered


def test_group_events_page_lists_only_that_groups_events(client, tree):
    add_event(tree.southampton, "southampton-picnic", uk(2099, 6, 20, 12))
    add_event(tree.ipswich, "ipswich-film-night", uk(2099, 6, 21, 19))

    response = client.get("/groups/southampton/events/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Southampton picnic" in html
    assert "Ipswich film night" not in html
    assert 'href="/groups/southampton/events/ical/"' in html


def test_group_events_page_of_an_unknown_or_unpublished_group_is_404(client, tree):
    tree.ipswich.unpublish()

    assert client.get("/groups/nowhere/events/").status_code == 404
    assert client.get("/groups/ipswich/events/").status_code == 404
