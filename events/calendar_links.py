"""'Add to Google Calendar' and 'Add to Outlook': links that open the provider's new-event form
filled in from the event, beside its .ics download (events/ical.py), with the same title,
times, place and description, so the three ways give the same entry.

Neither provider documents these addresses; they are the ones their own "add to calendar"
buttons have used for years. Times are in UTC (trailing Z), as in the .ics file, so each
calendar shows them in its owner's time zone. Parameters are percent-encoded with %20 for a
space: Outlook shows a '+' as a plus sign.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.http import HttpRequest

from events.ical import event_description, event_location
from events.models import EventPage

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
# Outlook on the web for Outlook.com accounts; Outlook on the desktop, and Microsoft 365
# calendars, open the .ics download.
OUTLOOK_CALENDAR = "https://outlook.live.com/calendar/0/deeplink/compose"


@dataclass(frozen=True)
class CalendarLinks:
    google: str
    outlook: str


def in_utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def with_query(base: str, params: dict[str, str]) -> str:
    present = {name: value for name, value in params.items() if value}
    return f"{base}?{urlencode(present, quote_via=quote, safe='')}"


def calendar_links(event: EventPage, request: HttpRequest) -> CalendarLinks:
    """Both links for `event`, the description in the active language (as its page is)."""
    url = event.get_full_url(request)
    title = event.title
    location = event_location(event)
    details = event_description(event, url)
    start, end = in_utc(event.start), in_utc(event.end)
    google = with_query(
        GOOGLE_CALENDAR,
        {
            "action": "TEMPLATE",
            "text": title,
            "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
            "details": details,
            "location": location,
        },
    )
    outlook = with_query(
        OUTLOOK_CALENDAR,
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": title,
            "startdt": f"{start:%Y-%m-%dT%H:%M:%SZ}",
            "enddt": f"{end:%Y-%m-%dT%H:%M:%SZ}",
            "body": details,
            "location": location,
        },
    )
    return CalendarLinks(google=google, outlook=outlook)
