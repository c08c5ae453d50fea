"""Events: national events under /events/ and local events under a group's page."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from network.blocks import BodyBlock


class ProgrammeItemBlock(blocks.StructBlock):
    start = blocks.TimeBlock()
    end = blocks.TimeBlock(required=False)
    title = blocks.CharBlock(max_length=200)
    description = blocks.TextBlock(required=False)

    class Meta:
        icon = "time"


class EventPageQuerySet(PageQuerySet):
    def upcoming(self, now=None):
        now = now or timezone.now()
        return self.live().public().filter(end__gte=now).order_by("start", "pk")

    def past(self, now=None):
        now = now or timezone.now()
        return self.live().public().filter(end__lt=now).order_by("-start", "-pk")


EventPageManager = PageManager.from_queryset(EventPageQuerySet)


class EventIndexPage(Page):
    """/events/: every event, national and local. One per site, edited by national staff."""

    introduction = models.TextField(blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["network.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1


class EventPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "events.EventPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class EventPage(Page):
    """One event. National staff edit those under /events/; a group's editors edit its local ones."""

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
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(BodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=EventPageTag, blank=True)

    objects = EventPageManager()

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
        FieldPanel("image"),
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

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The event must end after it starts."})

    def save(self, *args, **kwargs):
        # A local event always belongs to the group it sits under.
        from groups.models import LocalGroupPage

        if self.path and self.depth > 1:
            parent = self.get_parent()
            if parent is not None and parent.specific_class is LocalGroupPage:
                self.organiser_id = parent.pk
        return super().save(*args, **kwargs)

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @property
    def is_national(self) -> bool:
        return self.organiser_id is None
