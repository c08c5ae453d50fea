"""Calendar files: one event's download and the subscribable feeds of upcoming events.

Times are written in UTC so every calendar app places them right without time zone data;
UIDs depend only on the page and the site, so a re-downloaded or refreshed event updates
the copy already in someone's calendar instead of duplicating it.
"""

import datetime
import uuid
from collections.abc import Iterable

import icalendar
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from wagtail.models import Site

from events.dates import event_when
from events.models import EventPage

PRODID = "-//City of Sanctuary//Network events//EN"
# How often a subscribed calendar app should fetch the feed again.
REFRESH_INTERVAL = datetime.timedelta(hours=12)
CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar_host(request: HttpRequest) -> str:
    """The site's configured host name: stable whichever address the visitor used."""
    site = Site.find_for_request(request)
    return site.hostname if site is not None else request.get_host().split(":")[0]


def event_uid(event: EventPage, host: str) -> str:
    return f"event-{event.pk}@{host}"


def event_location(event: EventPage) -> str:
    return ", ".join(event.venue_lines) or event.online_url


def event_description(event: EventPage, url: str) -> str:
    """Plain text a calendar app shows: what, when, the programme, how to book, the page."""
    paragraphs = [text for text in (event.strapline, event.introduction) if text]
    when = event_when(event.start, event.end)
    paragraphs.append(gettext("When: %(when)s (UK time)") % {"when": when})
    if event.organiser is not None:
        paragraphs.append(gettext("Organised by %(group)s") % {"group": event.organiser.title})
    if event.host:
        paragraphs.append(gettext("Hosted by %(host)s") % {"host": event.host})
    if event.online_url:
        paragraphs.append(gettext("Online: %(url)s") % {"url": event.online_url})
    if event.programme:
        items = [gettext("Programme:")]
        for item in event.programme:
            item_time = item.value["start"].strftime("%H:%M")
            if item.value["end"]:
                item_time += f" {gettext('to')} {item.value['end'].strftime('%H:%M')}"
            items.append(f"{item_time} {item.value['title']}")
        paragraphs.append("\n".join(items))
    if not event.is_past:
        if event.booking_instructions:
            paragraphs.append(gettext("Booking: %(how)s") % {"how": event.booking_instructions})
        if event.booking_url:
            paragraphs.append(gettext("Book a place: %(url)s") % {"url": event.booking_url})
    paragraphs.append(url)
    return "\n\n".join(paragraphs)


def event_component(event: EventPage, request: HttpRequest, host: str) -> icalendar.Event:
    url = event.get_full_url(request)
    revised = event.last_published_at or event.latest_revision_created_at or timezone.now()
    return icalendar.Event.new(
        uid=event_uid(event, host),
        summary=event.title,
        start=event.start.astimezone(datetime.UTC),
        end=event.end.astimezone(datetime.UTC),
        stamp=revised.astimezone(datetime.UTC),
        last_modified=revised.astimezone(datetime.UTC),
        location=event_location(event) or None,
        url=url,
        description=event_description(event, url),
        categories=[tag.name for tag in event.tags.all()],
    )


def build_calendar(
    events: Iterable[EventPage], name: str, request: HttpRequest
) -> icalendar.Calendar:
    """A VCALENDAR that calendar apps can import once or subscribe to."""
    host = calendar_host(request)
    address = request.build_absolute_uri()
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        method="PUBLISH",
        name=name,
        uid=uuid.uuid5(uuid.NAMESPACE_URL, address),
        url=address,
        source=address,
        refresh_interval=REFRESH_INTERVAL,
        subcomponents=[event_component(event, request, host) for event in events],
    )
    # RFC 7986 requires the value type on REFRESH-INTERVAL; Outlook and Google read this TTL.
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH_INTERVAL))
    return calendar


def calendar_response(calendar: icalendar.Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.ics")
    return response


def event_response(request: HttpRequest, event: EventPage) -> HttpResponse:
    """/events/<slug>/ical/: one event, to add to a calendar."""
    return calendar_response(build_calendar([event], event.title, request), event.slug)


def feed_response(
    request: HttpRequest, events: Iterable[EventPage], name: str, filename: str
) -> HttpResponse:
    """A listing's upcoming events, as a feed calendar apps refresh by themselves."""
    return calendar_response(build_calendar(events, name, request), filename)
