"""The event page: dates in UK time, programme, past events, and its schema.org data."""

import datetime
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.dates import event_when
from events.models import EventPage

from .conftest import add_event, uk

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (uk(2018, 11, 12, 12), uk(2018, 11, 12, 16), "Monday 12 November 2018, 12:00 to 16:00"),
        # Stored in UTC, shown in British Summer Time.
        (
            datetime.datetime(2027, 6, 19, 10, tzinfo=UTC),
            datetime.datetime(2027, 6, 19, 16, tzinfo=UTC),
            "Saturday 19 June 2027, 11:00 to 17:00",
        ),
        (
            uk(2027, 3, 27, 18),
            uk(2027, 3, 28, 10),
            "Saturday 27 March 2027, 18:00 to Sunday 28 March 2027, 10:00",
        ),
        (uk(2027, 1, 5, 9, 30), uk(2027, 1, 5, 9, 30), "Tuesday 5 January 2027, 09:30"),
    ],
)
def test_event_dates_read_in_uk_time_with_the_day_of_the_week(start, end, expected):
    assert str(event_when(start, end)) == expected


def test_event_dates_do_not_depend_on_the_active_time_zone():
    with timezone.override("America/New_York"):
        assert str(event_when(uk(2018, 11, 12, 12), uk(2018, 11, 12, 16))) == (
            "Monday 12 November 2018, 12:00 to 16:00"
        )


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.fixture
def parliament(tree) -> EventPage:
    return add_event(
        tree.index,
        "sanctuary-in-parliament-2018",
        uk(2018, 11, 12, 12),
        end=uk(2018, 11, 12, 16),
        title="Sanctuary in Parliament 2018",
        venue_name="Attlee Suite, Portcullis House",
        venue_address="Bridge Street\nWestminster\nLondon SW1A 2LW",
        host="The APPG for Refugees",
        booking_url="https://example.org/book",
        booking_instructions="Groups register with the national office.",
        programme=[
            ("item", {"start": datetime.time(12, 15), "end": None, "title": "Opening"}),
            (
                "item",
                {
                    "start": datetime.time(12, 30),
                    "end": datetime.time(13, 30),
                    "title": "Cross-party MP and refugee panel",
                },
            ),
        ],
    )


def test_event_page_shows_uk_dates_and_the_timed_programme(client, parliament):
    text = visible_text(client.get(parliament.url).content.decode())

    assert "Monday 12 November 2018, 12:00 to 16:00" in text
    assert "12:15 Opening" in text
    assert "12:30 to 13:30 Cross-party MP and refugee panel" in text
    assert "Attlee Suite, Portcullis House" in text


def test_the_same_dates_appear_in_listings(client, parliament):
    text = visible_text(client.get("/events/").content.decode())

    assert "Monday 12 November 2018, 12:00 to 16:00" in text


def test_a_past_event_says_it_has_passed_and_hides_booking(client, parliament):
    html = client.get(parliament.url).content.decode()

    assert "This event has passed" in html
    assert "Book a place" not in html
    assert "https://example.org/book" not in html
    assert "register with the national office" not in html


def test_an_upcoming_event_offers_booking(client, tree):
    event = add_event(
        tree.southampton,
        "future-gathering",
        uk(2099, 6, 20, 12),
        booking_url="https://example.org/book",
    )

    html = client.get(event.url).content.decode()

    assert "This event has passed" not in html
    assert 'href="https://example.org/book"' in html


def structured_data(html: str) -> dict:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    return json.loads(found[0])


def test_event_page_has_schema_org_event_data(client, parliament):
    data = structured_data(client.get(parliament.url).content.decode())

    assert data["@type"] == "Event"
    assert data["name"] == "Sanctuary in Parliament 2018"
    assert datetime.datetime.fromisoformat(data["startDate"]) == uk(2018, 11, 12, 12)
    assert datetime.datetime.fromisoformat(data["endDate"]) == uk(2018, 11, 12, 16)
    assert data["location"]["name"] == "Attlee Suite, Portcullis House"
    assert data["url"].endswith("/events/sanctuary-in-parliament-2018/")
    assert "offers" not in data  # booking has closed


def test_editor_text_cannot_break_out_of_the_structured_data(client, tree):
    hostile = "</script><script>alert('x')</script> & <b>"
    event = add_event(tree.index, "hostile", uk(2099, 1, 1, 10), introduction=hostile)

    html = client.get(event.url).content.decode()

    assert "<script>alert" not in html
    assert structured_data(html)["description"] == hostile


@pytest.mark.parametrize(("parent", "slug"), [("index", "ical"), ("southampton", "events")])
def test_an_event_cannot_take_the_address_of_a_feed_or_listing(tree, parent, slug):
    # The feed (/events/ical/) and a group's listing (<group>/events/) are routes of the parent.
    event = add_event(getattr(tree, parent), "not-yet", uk(2099, 1, 1, 10))
    event.slug = slug

    with pytest.raises(ValidationError) as error:
        event.clean()

    assert "slug" in error.value.message_dict
