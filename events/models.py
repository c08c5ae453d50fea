"""Events: national events under /events/ and local events under a group's page."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page, PageManager
from wagtail.search import index

from core.api_fields import PageLinkField
from core.blocks import BodyBlock
from core.pages import PicturedPage, SanctuaryPageForm, SectionIndexPage
from core.query import SanctuaryPageQuerySet
from core.sharing import network_organization, shared_picture, without_context


class ProgrammeItemBlock(blocks.StructBlock):
    start = blocks.TimeBlock()
    end = blocks.TimeBlock(required=False)
    title = blocks.CharBlock(max_length=200)
    description = blocks.TextBlock(required=False)

    class Meta:
        icon = "time"


class EventPageQuerySet(SanctuaryPageQuerySet):
    # The organiser is joined because every event card names it.
    def upcoming(self, now=None):
        now = now or timezone.now()
        return (
            self.visible_to_public()
            .filter(end__gte=now)
            .select_related("organiser")
            .order_by("start", "pk")
        )


EventPageManager = PageManager.from_queryset(EventPageQuerySet)


def next_event_end() -> datetime.datetime | None:
    """When the next live event ends: it then leaves the upcoming lists (see core.cache)."""
    return EventPage.objects.live().filter(end__gt=timezone.now()).aggregate(Min("end"))["end__min"]


class EventIndexPage(RoutablePageMixin, SectionIndexPage):
    """/events/: every event, national and local. One per site, edited by national staff.

    Lists upcoming then past events with filters, and serves the feed of upcoming events at
    /events/ical/ (with the same filters) for calendar apps to subscribe to.
    """

    parent_page_types = ["network.HomePage"]
    subpage_types = ["events.EventPage"]

    def get_context(self, request, *args, **kwargs):
        from events.listing import EventListing

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = EventListing(request)
        return context

    @path("ical/", name="ical")
    def ical_feed(self, request: HttpRequest) -> HttpResponse:
        from events.ical import feed_response
        from events.listing import EventListing

        listing = EventListing(request)
        return feed_response(
            request, listing.upcoming_for_feed(), name=self.title, filename="events"
        )


class EventPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "events.EventPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class EventPageForm(SanctuaryPageForm):
    """An event under a group's page is always organised by that group (`EventPage.save`), so
    its editors (a group's own, who edit nothing else) are told so rather than offered a
    national event they cannot make."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organiser = self.fields.get("organiser")
        parent = self.parent_page
        group_model = EventPage._meta.get_field("organiser").related_model
        if organiser is not None and parent is not None and parent.specific_class is group_model:
            organiser.disabled = True
            organiser.help_text = (
                f"Organised by {parent.title}: an event added under a group's page is always "
                "that group's."
            )


class EventPage(RoutablePageMixin, PicturedPage):
    """One event. National staff edit those under /events/; a group's editors edit its local ones.

    Its calendar file is at <event url>ical/.
    """

    api_fields = [
        APIField("start"),
        APIField("end"),
        APIField("strapline"),
        APIField("venue_name"),
        APIField("venue_address"),
        APIField("online_url"),
        APIField("organiser", serializer=PageLinkField()),
        APIField("host"),
        APIField("introduction"),
        APIField("programme"),
        APIField("booking_url"),
        APIField("booking_instructions"),
        APIField("image", serializer=ImageRenditionField("fill-1200x630")),
        APIField("image_thumbnail", serializer=ImageRenditionField("fill-400x210", source="image")),
        APIField("body"),
        APIField("tags"),
    ]

    start = models.DateTimeField()
    end = models.DateTimeField()
    strapline = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'Towards a Fairer System'"
    )
    venue_name = models.CharField(max_length=200, blank=True)
    venue_address = models.TextField(blank=True, max_length=500)
    online_url = models.URLField("Online link", blank=True)
    organiser = models.ForeignKey(
        "groups.LocalGroupPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
        help_text="Leave empty for a national network event.",
    )
    host = models.CharField(max_length=200, blank=True, help_text="e.g. the APPG for Refugees")
    introduction = models.TextField(blank=True, max_length=600)
    programme = StreamField([("item", ProgrammeItemBlock())], blank=True)
    booking_url = models.URLField("Booking link", blank=True)
    booking_instructions = models.TextField(blank=True, max_length=1000)
    body = StreamField(BodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=EventPageTag, blank=True)

    objects = EventPageManager()
    base_form_class = EventPageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("strapline"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        MultiFieldPanel(
            [FieldPanel("venue_name"), FieldPanel("venue_address"), FieldPanel("online_url")],
            heading="Where",
        ),
        FieldRowPanel([FieldPanel("organiser"), FieldPanel("host")]),
        FieldPanel("introduction"),
        FieldPanel("programme"),
        MultiFieldPanel(
            [FieldPanel("booking_url"), FieldPanel("booking_instructions")], heading="Booking"
        ),
        PicturedPage.picture_panel,
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("venue_name"),
        index.FilterField("start"),
        index.FilterField("end"),
    ]
    parent_page_types = ["events.EventIndexPage", "groups.LocalGroupPage"]
    subpage_types: list[str] = []

    class Meta:
        # Listings walk events in start order (upcoming ones from now on).
        indexes = [models.Index(fields=["start", "page_ptr"], name="events_event_start_idx")]

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The event must end after it starts."})

    def save(self, *args, **kwargs):
        # A local event always belongs to the group it sits under.
        group_model = self._meta.get_field("organiser").related_model
        if self.path and self.depth > 1:
            parent = self.get_parent()
            if parent is not None and parent.specific_class is group_model:
                self.organiser_id = parent.pk
        return super().save(*args, **kwargs)

    @property
    def venue_lines(self) -> list[str]:
        """Venue name then address lines, leaving out lines the venue name already says."""
        lines = [self.venue_name.strip()] if self.venue_name.strip() else []
        for line in self.venue_address.splitlines():
            line = line.strip()
            if line and line.casefold() not in self.venue_name.casefold():
                lines.append(line)
        return lines

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @path("ical/", name="ical")
    def ical_download(self, request: HttpRequest) -> HttpResponse:
        from events.ical import event_response

        return event_response(request, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["structured_data"] = self.structured_data(request)
        return context

    def structured_data(self, request: HttpRequest) -> dict:
        """schema.org Event for search engines; only facts the page itself shows."""
        data: dict = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "startDate": self.start.isoformat(),
            "endDate": self.end.isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "url": self.get_full_url(request),
        }
        if description := self.introduction or self.strapline:
            data["description"] = description
        if picture := shared_picture(request, self.social_image()):
            data["image"] = [picture["url"]]
        places = []
        if venue := self.venue_lines:
            places.append({"@type": "Place", "name": venue[0], "address": ", ".join(venue)})
        if self.online_url:
            places.append({"@type": "VirtualLocation", "url": self.online_url})
        if places:
            data["location"] = places[0] if len(places) == 1 else places
        mode = {
            (True, False): "OfflineEventAttendanceMode",
            (False, True): "OnlineEventAttendanceMode",
            (True, True): "MixedEventAttendanceMode",
        }.get((bool(self.venue_lines), bool(self.online_url)))
        if mode:
            data["eventAttendanceMode"] = f"https://schema.org/{mode}"
        if self.organiser is not None:
            organiser = {"name": self.organiser.title, "url": self.organiser.get_full_url(request)}
            data["organizer"] = {"@type": "Organization", **organiser}
        else:
            data["organizer"] = without_context(network_organization(request))
        if self.booking_url and not self.is_past:
            data["offers"] = {"@type": "Offer", "url": self.booking_url}
        return data

    @property
    def is_national(self) -> bool:
        return self.organiser_id is None
