"""/api/v3/events/: national and local events, in the order and with the filters of /events/.

Filtering and ordering come from events/listing.py (its form, `filter_events` and
`in_listing_order`), so the API and the page agree on which events match and in what order.
The API adds a date range (`from`, `to`) for clients that draw calendars.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import field_validator
from wagtail.images.api.fields import ImageRenditionField

from core.api_contract import (
    DEFAULT_LIMIT,
    ERROR_RESPONSES,
    Limit,
    Offset,
    PageId,
    PageLink,
    ParameterError,
    absolute,
    paged_list,
    validated,
)
from core.choices import Region
from events.listing import EventFilterForm, current_time, filter_events, in_listing_order
from events.models import EventPage

router = Router(tags=["events"])

EVENT_IMAGE = ImageRenditionField("fill-1200x630")


def image_or_none(image) -> dict | None:
    """The event's picture at the API's size, or None when it has none or its file is missing
    (Wagtail's field then answers `{"error": "SourceImageIOError"}`, which is no picture)."""
    if image is None:
        return None
    representation = EVENT_IMAGE.to_representation(image)
    return representation if "url" in representation else None


TAG_MAX_LENGTH = 100


class EventFilters(Schema):
    from_date: datetime.date | None = Field(
        None, alias="from", description="Events that end on or after this day (UK time)"
    )
    to_date: datetime.date | None = Field(
        None, alias="to", description="Events that start on or before this day (UK time)"
    )
    tag: str | None = Field(None, max_length=TAG_MAX_LENGTH, description="A tag's slug")
    group: PageId | None = Field(None, description="The organising group's page id")
    region: Region | None = Field(None, description="The organising group's region")
    national: bool = Field(False, description="Only national network events")
    limit: Limit = DEFAULT_LIMIT
    offset: Offset = 0

    @field_validator("from_date", "to_date", mode="before")
    @classmethod
    def iso_day_only(cls, value: Any) -> Any:
        """A day written YYYY-MM-DD, as the schema says; pydantic would take "0" as 1970."""
        if value is None or isinstance(value, datetime.date):
            return value
        text = str(value)
        if len(text) != 10 or text[4] != "-" or text[7] != "-":
            raise ValueError("a day must be written YYYY-MM-DD")
        return text


class Organiser(PageLink):
    detail_url: str


class EventSummary(Schema):
    """An event as listings show it: a card with when, where, who and its calendar file."""

    id: int
    title: str
    slug: str
    start: datetime.datetime
    end: datetime.datetime
    strapline: str
    venue_name: str
    is_national: bool
    is_past: bool
    organiser: Organiser | None
    tags: list[str]
    html_url: str | None
    ical_url: str | None
    detail_url: str
    page_url: str


class EventList(Schema):
    count: int
    items: list[EventSummary]


class ImageRendition(Schema):
    url: str
    full_url: str
    width: int
    height: int
    alt: str


class EventDetail(EventSummary):
    venue_address: str
    online_url: str
    host: str
    introduction: str
    programme: list[dict[str, Any]]
    booking_url: str
    booking_instructions: str
    image: ImageRendition | None
    body: list[dict[str, Any]]
    letters: list[PageLink]


def event_summary(request: HttpRequest, event: EventPage) -> dict[str, Any]:
    organiser = event.organiser
    html_url = event.get_full_url(request)
    return {
        "id": event.pk,
        "title": event.title,
        "slug": event.slug,
        "start": event.start,
        "end": event.end,
        "strapline": event.strapline,
        "venue_name": event.venue_name,
        "is_national": event.is_national,
        "is_past": event.is_past,
        "organiser": {
            "id": organiser.pk,
            "title": organiser.title,
            "html_url": organiser.get_full_url(request),
            "detail_url": absolute(
                request, reverse("wagtailapi_v3:group_detail", args=[organiser.slug])
            ),
        }
        if organiser is not None
        else None,
        # Prefetched with the events: reading .all() keeps the query count fixed.
        "tags": sorted(tag.name for tag in event.tags.all()),
        "html_url": html_url,
        "ical_url": f"{html_url}ical/" if html_url else None,
        "detail_url": absolute(request, reverse("wagtailapi_v3:event_detail", args=[event.pk])),
        "page_url": absolute(request, reverse("wagtailapi_v3:detail_page", args=[event.pk])),
    }


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@router.get(
    "/",
    response={200: EventList, **ERROR_RESPONSES},
    url_name="event_list",
    summary="List events: upcoming soonest first, then past latest first",
    operation_id="events_list",
)
def list_events(request: HttpRequest, filters: EventFilters = Query(...)) -> dict[str, Any]:  # noqa: B008
    form = EventFilterForm(
        {
            "tag": filters.tag or "",
            "group": filters.group or "",
            "region": filters.region or "",
            "national": "on" if filters.national else "",
        }
    )
    cleaned = validated(form)
    if filters.from_date and filters.to_date and filters.to_date < filters.from_date:
        raise ParameterError("to", "to: must be the same day as `from` or later.")
    events = filter_events(EventPage.objects.visible_to_public(), cleaned)
    if filters.from_date:
        events = events.filter(end__gte=_start_of_day(filters.from_date))
    if filters.to_date and filters.to_date < datetime.date.max:
        # The last day of the calendar bounds nothing (and has no day after it).
        events = events.filter(start__lt=_start_of_day(filters.to_date + datetime.timedelta(1)))
    ordered = in_listing_order(events, current_time())
    return paged_list(request, ordered, filters.offset, filters.limit, event_summary)


@router.get(
    "/{event_id}/",
    response={200: EventDetail, **ERROR_RESPONSES},
    url_name="event_detail",
    summary="One event, with its programme, booking details and image",
    operation_id="events_detail",
)
def get_event(request: HttpRequest, event_id: PageId) -> dict[str, Any]:
    event = (
        EventPage.objects.visible_to_public()
        .select_related("organiser", "image")
        .prefetch_related("tags")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        raise Http404(f"No published event has the id {event_id}.")
    context = {"request": request}
    return {
        **event_summary(request, event),
        "venue_address": event.venue_address,
        "online_url": event.online_url,
        "host": event.host,
        "introduction": event.introduction,
        "programme": event.programme.stream_block.get_api_representation(event.programme, context),
        "booking_url": event.booking_url,
        "booking_instructions": event.booking_instructions,
        "image": image_or_none(event.image),
        "body": event.body.stream_block.get_api_representation(event.body, context),
        "letters": [
            {"id": letter.pk, "title": letter.title, "html_url": letter.get_full_url(request)}
            for letter in event.letters.visible_to_public().order_by("title")
        ],
    }
