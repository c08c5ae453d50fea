"""events/ical.py: calendar files that parse, keep their times across a clock change, and update."""

import datetime

import icalendar
import pytest

from events.models import EventPage

from .conftest import add_event, uk

# Every test here uses `tree`: the demo's events are deleted once for the module.
pytestmark = pytest.mark.usefixtures("tree_for_the_module")

UTC = datetime.UTC
# The clocks go forward at 01:00 GMT on Sunday 28 March 2027.
DST_START = uk(2027, 3, 27, 18, 0)  # GMT: 18:00 UTC
DST_END = uk(2027, 3, 28, 10, 0)  # BST: 09:00 UTC


@pytest.fixture
def weekend_retreat(tree, time_machine) -> EventPage:
    # Look at the feeds from a fixed moment before the event, whatever today's date is.
    time_machine.move_to(uk(2027, 3, 1, 9), tick=False)
    return add_event(
        tree.southampton,
        "weekend-retreat",
        DST_START,
        end=DST_END,
        title="Weekend retreat",
        venue_name="Quaker Meeting House",
        venue_address="Ordnance Road\nSouthampton SO15 2AZ",
        introduction="Two days of rest and planning.",
        tags=["Training"],
    )


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def only_event(calendar: icalendar.Calendar, uid: str) -> icalendar.Event:
    matching = [event for event in calendar.events if str(event["UID"]) == uid]
    assert len(matching) == 1, [str(event["UID"]) for event in calendar.events]
    return matching[0]


def assert_times_round_trip(event: icalendar.Event) -> None:
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start, end) == (
        datetime.datetime(2027, 3, 27, 18, 0, tzinfo=UTC),
        datetime.datetime(2027, 3, 28, 9, 0, tzinfo=UTC),
    )
    assert start == DST_START and end == DST_END
    assert end - start == datetime.timedelta(hours=15)  # not 16: the clocks went forward


EVENT_URL = "/groups/southampton/weekend-retreat/ical/"
FEEDS = ["/events/ical/", "/groups/southampton/events/ical/"]


def test_event_download_parses_and_keeps_utc_times_across_the_clock_change(client, weekend_retreat):
    response = client.get(EVENT_URL)
    event = only_event(parse(response), f"event-{weekend_retreat.pk}@testserver")

    assert_times_round_trip(event)
    assert b"DTSTART:20270327T180000Z" in response.content
    assert b"DTEND:20270328T090000Z" in response.content
    assert str(event["SUMMARY"]) == "Weekend retreat"
    assert str(event["LOCATION"]) == "Quaker Meeting House, Ordnance Road, Southampton SO15 2AZ"
    assert str(event["URL"]) == "http://testserver/groups/southampton/weekend-retreat/"
    assert "Saturday 27 March 2027, 18:00 to Sunday 28 March 2027, 10:00" in str(
        event["DESCRIPTION"]
    )
    assert "DTSTAMP" in event
    assert response["Content-Disposition"] == 'attachment; filename="weekend-retreat.ics"'


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_parse_and_keep_utc_times_across_the_clock_change(client, weekend_retreat, url):
    response = client.get(url)
    calendar = parse(response)

    assert_times_round_trip(only_event(calendar, f"event-{weekend_retreat.pk}@testserver"))
    assert response["Content-Disposition"].startswith("attachment; filename=")


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_can_be_subscribed_to(client, weekend_retreat, url):
    calendar = parse(client.get(url))

    assert str(calendar["X-WR-CALNAME"])
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar.decoded("REFRESH-INTERVAL") == datetime.timedelta(hours=12)
    assert str(calendar["METHOD"]) == "PUBLISH"


def test_uid_is_the_same_in_the_download_and_the_feeds_and_survives_edits(client, weekend_retreat):
    uid = f"event-{weekend_retreat.pk}@testserver"
    only_event(parse(client.get(EVENT_URL)), uid)

    weekend_retreat.title = "Weekend retreat (moved room)"
    weekend_retreat.save_revision().publish()

    for url in [EVENT_URL, *FEEDS]:
        assert str(only_event(parse(client.get(url)), uid)["SUMMARY"]).endswith("(moved room)")


def test_feeds_hold_only_upcoming_events(client, tree, weekend_retreat):
    add_event(tree.southampton, "last-autumn", uk(2026, 10, 1, 18))

    for url in FEEDS:
        summaries = [str(event["SUMMARY"]) for event in parse(client.get(url)).events]
        assert summaries == ["Weekend retreat"]


def test_events_feed_applies_the_listing_filters(client, tree, weekend_retreat):
    add_event(tree.index, "national-day", uk(2027, 5, 1, 10), tags=["Campaigning"])

    everything = parse(client.get("/events/ical/"))
    national = parse(client.get("/events/ical/", {"national": "on"}))
    training = parse(client.get("/events/ical/", {"tag": "training"}))

    assert len(everything.events) == 2
    assert [str(event["SUMMARY"]) for event in national.events] == ["National day"]
    assert [str(event["SUMMARY"]) for event in training.events] == ["Weekend retreat"]
