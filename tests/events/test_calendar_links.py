"""events/calendar_links.py: 'Add to Google Calendar' and 'Add to Outlook' open the provider's
form filled in from the event, percent-encoded, in the page's language, beside the .ics link."""

from html.parser import HTMLParser

import pytest
from django.test import RequestFactory
from django.utils import translation

from events.calendar_links import calendar_links
from events.models import EventPage
from tests.network.test_welsh import welsh_translation_of

from .conftest import add_event, uk

# Every test here uses `tree`: the demo's events are deleted once for the module.
pytestmark = pytest.mark.usefixtures("tree_for_the_module")

GOOGLE = "https://calendar.google.com/calendar/render?action=TEMPLATE"
OUTLOOK = (
    "https://outlook.live.com/calendar/0/deeplink/compose"
    "?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent"
)


@pytest.fixture
def retreat(tree) -> EventPage:
    """A national event at a venue, across the night the clocks go forward, '&' in its title."""
    return add_event(
        tree.index,
        "weekend-retreat",
        uk(2027, 3, 27, 18, 0),  # GMT: 18:00 UTC
        end=uk(2027, 3, 28, 10, 0),  # BST: 09:00 UTC
        title="Rest & planning weekend",
        venue_name="Quaker Meeting House",
        venue_address="Ordnance Road\nSouthampton SO15 2AZ",
    )


@pytest.fixture
def online_talk(tree) -> EventPage:
    """An online event given a start and no end time (the end is the start)."""
    start = uk(2027, 7, 1, 19, 30)  # BST: 18:30 UTC
    return add_event(
        tree.index,
        "online-talk",
        start,
        end=start,
        title="Online talk",
        online_url="https://meet.example.org/talk?id=1&lang=en",
    )


def links_for(event: EventPage, language: str = "en-gb"):
    """The links as a request in `language` gets them (an earlier request in this thread may
    have left another language active)."""
    with translation.override(language):
        return calendar_links(event, RequestFactory().get("/"))


RETREAT_DETAILS_EN = (
    "When%3A%20Saturday%2027%20March%202027%2C%2018%3A00%20to%20Sunday%2028%20March%202027"
    "%2C%2010%3A00%20%28UK%20time%29%0A%0Ahttp%3A%2F%2Ftestserver%2Fevents%2Fweekend-retreat%2F"
)
RETREAT_LOCATION = "Quaker%20Meeting%20House%2C%20Ordnance%20Road%2C%20Southampton%20SO15%202AZ"


@pytest.mark.django_db
def test_google_link_carries_title_utc_times_details_and_venue(retreat):
    assert links_for(retreat).google == (
        f"{GOOGLE}&text=Rest%20%26%20planning%20weekend"
        "&dates=20270327T180000Z%2F20270328T090000Z"
        f"&details={RETREAT_DETAILS_EN}&location={RETREAT_LOCATION}"
    )


@pytest.mark.django_db
def test_outlook_link_carries_title_utc_times_details_and_venue(retreat):
    assert links_for(retreat).outlook == (
        f"{OUTLOOK}&subject=Rest%20%26%20planning%20weekend"
        "&startdt=2027-03-27T18%3A00%3A00Z&enddt=2027-03-28T09%3A00%3A00Z"
        f"&body={RETREAT_DETAILS_EN}&location={RETREAT_LOCATION}"
    )


ONLINE_DETAILS = (
    "When%3A%20Thursday%201%20July%202027%2C%2019%3A30%20%28UK%20time%29%0A%0A"
    "Online%3A%20https%3A%2F%2Fmeet.example.org%2Ftalk%3Fid%3D1%26lang%3Den%0A%0A"
    "http%3A%2F%2Ftestserver%2Fevents%2Fonline-talk%2F"
)
ONLINE_LOCATION = "https%3A%2F%2Fmeet.example.org%2Ftalk%3Fid%3D1%26lang%3Den"


@pytest.mark.django_db
def test_event_without_end_time_or_venue_starts_and_ends_together_online(online_talk):
    links = links_for(online_talk)

    assert links.google == (
        f"{GOOGLE}&text=Online%20talk&dates=20270701T183000Z%2F20270701T183000Z"
        f"&details={ONLINE_DETAILS}&location={ONLINE_LOCATION}"
    )
    assert links.outlook == (
        f"{OUTLOOK}&subject=Online%20talk"
        "&startdt=2027-07-01T18%3A30%3A00Z&enddt=2027-07-01T18%3A30%3A00Z"
        f"&body={ONLINE_DETAILS}&location={ONLINE_LOCATION}"
    )


@pytest.mark.django_db
def test_event_with_neither_venue_nor_online_link_has_no_location(tree):
    event = add_event(tree.index, "somewhere", uk(2027, 5, 1, 10), title="To be announced")

    links = links_for(event)

    assert "location=" not in links.google
    assert "location=" not in links.outlook


@pytest.mark.django_db
def test_links_describe_the_event_in_welsh_on_a_welsh_page(retreat):
    links = links_for(retreat, "cy")

    welsh_details = (
        "Pryd%3A%20Dydd%20Sadwrn%2027%20Mawrth%202027%2C%2018%3A00%20tan%20Dydd%20Sul%2028%20Mawrth"
        "%202027%2C%2010%3A00%20%28amser%20y%20DU%29%0A%0A"
        "http%3A%2F%2Ftestserver%2Fevents%2Fweekend-retreat%2F"
    )
    assert links.google == (
        f"{GOOGLE}&text=Rest%20%26%20planning%20weekend"
        "&dates=20270327T180000Z%2F20270328T090000Z"
        f"&details={welsh_details}&location={RETREAT_LOCATION}"
    )
    assert links.outlook == (
        f"{OUTLOOK}&subject=Rest%20%26%20planning%20weekend"
        "&startdt=2027-03-27T18%3A00%3A00Z&enddt=2027-03-28T09%3A00%3A00Z"
        f"&body={welsh_details}&location={RETREAT_LOCATION}"
    )


class CalendarLinksParser(HTMLParser):
    """The links of the page's list of calendar links: (text, href)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[list[str]] = []
        self.in_list = False
        self.in_link = False

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "ul" and "calendar-links" in (attributes.get("class") or "").split():
            self.in_list = True
        elif tag == "a" and self.in_list:
            self.in_link = True
            self.links.append(["", attributes["href"]])

    def handle_endtag(self, tag) -> None:
        if tag == "ul":
            self.in_list = False
        elif tag == "a":
            self.in_link = False

    def handle_data(self, data) -> None:
        if self.in_link:
            self.links[-1][0] += data


def calendar_links_on(html: str) -> list[tuple[str, str]]:
    parser = CalendarLinksParser()
    parser.feed(html)
    return [(text.strip(), href) for text, href in parser.links]


@pytest.mark.django_db
def test_event_page_offers_ics_google_and_outlook_side_by_side(client, retreat):
    response = client.get("/events/weekend-retreat/")

    links = links_for(retreat)
    assert calendar_links_on(response.content.decode()) == [
        ("Add to your calendar (iCal)", "/events/weekend-retreat/ical/"),
        ("Add to Google Calendar", links.google),
        ("Add to Outlook", links.outlook),
    ]


@pytest.mark.django_db
def test_welsh_event_page_offers_the_links_in_welsh(client, retreat):
    welsh_event = welsh_translation_of(retreat)
    url = welsh_event.url
    response = client.get(url)

    texts = [text for text, _href in calendar_links_on(response.content.decode())]
    assert texts == [
        "Ychwanegu at eich calendr (iCal)",
        "Ychwanegu at Google Calendar",
        "Ychwanegu at Outlook",
    ]
    google = calendar_links_on(response.content.decode())[1][1]
    assert "details=Pryd%3A%20Dydd%20Sadwrn%2027%20Mawrth%202027" in google
    assert f"http%3A%2F%2Ftestserver{url.replace('/', '%2F')}&" in google
