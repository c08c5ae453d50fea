"""Event listings: /events/ and each group's /groups/<slug>/events/, with their calendar feeds.

One piece builds every listing so the page, the group page and the iCal feeds agree on which
events match and in what order: upcoming first (soonest first), then past (latest first). The
queries are fixed in number whatever the number of events: organisers are joined, tags
prefetched, and only one page of events is fetched. A page of the listing reads the upcoming
and the past events in two queries, each in the order of the start index (ascending, then
descending), instead of sorting every event on a computed value; the counts of both come from
one query. The filter form's choices (topics, groups) are read once per content generation.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Page as PaginatorPage
from django.db.models import Case, Count, F, Q, QuerySet, Value, When, prefetch_related_objects
from django.forms.models import ModelChoiceIterator
from django.http import HttpRequest
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from core.cache import for_this_request
from core.choices import Region
from core.filters import ListingFilters
from core.pagination import paginate
from core.pictures import prefetch_renditions
from core.query import CARD_FIELDS, EVENT_CARD_FIELDS
from core.widgets import PlainSelect
from events.models import EventPage

EVENTS_PER_PAGE = 20
# A feed is for what is coming up; this bounds its size if an importer ever floods the site.
FEED_LIMIT = 500


def current_time() -> datetime.datetime:
    """The listing's clock; tests replace it to look at the site from a fixed moment."""
    return timezone.now()


def tag_choices() -> list[tuple[str, str]]:
    """Tags on public events, so the tag filter offers only tags that can match something (and
    names none that only a private event carries). Read once per content generation."""
    return [("", _("Any topic")), *for_this_request("event-tag-choices:v1", public_event_tags)]


def public_event_tags() -> list[tuple[str, str]]:
    return list(
        Tag.objects.filter(
            events_eventpagetag_items__content_object__in=EventPage.objects.visible_to_public()
        )
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )


class TagChoices(BaseChoiceIterator):
    """The topic choices of one form, read once and only when the form is drawn or a tag given.

    Feeds never draw the form, and a drawn <select> reads its choices twice.
    """

    def __init__(self) -> None:
        self.choices: list[tuple[str, str]] | None = None

    def __iter__(self):
        if self.choices is None:
            self.choices = tag_choices()
        yield from self.choices


class GroupEventFilterForm(forms.Form):
    """Filters on one group's listing, where organiser and region are already decided."""

    tag = forms.ChoiceField(
        widget=PlainSelect,
        label=_("Topic"),
        required=False,
        error_messages={"invalid_choice": _("no event has that topic.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = TagChoices()


class GroupChoiceIterator(ModelChoiceIterator):
    """The groups' ids and titles only: drawing 150 options needs no page objects. Read once
    per content generation (the field's queryset is the same for every form)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from for_this_request(
            "event-organiser-choices:v1", lambda: list(self.queryset.values_list("pk", "title"))
        )


class OrganiserGroupField(forms.ModelChoiceField):
    """A group chosen by page id; anything that cannot be a page id never reaches the database.

    SQLite raises on integers beyond 64 bits instead of matching nothing.
    """

    iterator = GroupChoiceIterator

    def to_python(self, value):
        if value not in self.empty_values and not re.fullmatch(r"[0-9]{1,9}", str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class EventFilterForm(GroupEventFilterForm):
    """Filters on /events/: topic, organising group, the group's region, national events only."""

    group = OrganiserGroupField(
        widget=PlainSelect,
        label=_("Organised by"),
        queryset=EventPage._meta.get_field("organiser")
        .related_model.objects.visible_to_public()
        .order_by("title"),
        empty_label=_("Any group"),
        required=False,
        error_messages={"invalid_choice": _("there is no such group.")},
    )
    region = forms.ChoiceField(
        widget=PlainSelect,
        label=_("Region"),
        choices=[("", _("Any region")), *Region.choices],
        required=False,
        error_messages={"invalid_choice": _("there is no such region.")},
    )
    national = forms.BooleanField(label=_("National events only"), required=False)


class EventListing:
    """One page of events matching the request's filters, split into upcoming and past."""

    def __init__(
        self,
        request: HttpRequest,
        events: QuerySet[EventPage] | None = None,
        form_class: type[forms.Form] = EventFilterForm,
        now: datetime.datetime | None = None,
    ) -> None:
        self.request = request
        self.now = now or current_time()
        self.filters = ListingFilters(form_class, request)
        base = events if events is not None else EventPage.objects.all()
        self.matching = filter_events(base.visible_to_public(), self.filters.cleaned)

    # Fetched on first use, so a feed built from the same listing never pays for the page.
    @cached_property
    def page(self) -> PaginatorPage:
        return paginate(self.request, UpcomingThenPast(self.matching, self.now), EVENTS_PER_PAGE)

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def upcoming(self) -> list[EventPage]:
        return [event for event in self.page.object_list if event.is_upcoming]

    @property
    def past(self) -> list[EventPage]:
        return [event for event in self.page.object_list if not event.is_upcoming]

    def upcoming_for_feed(self) -> QuerySet[EventPage]:
        """The matching events that have not ended, soonest first, for a calendar feed."""
        return with_related(self.matching.filter(end__gte=self.now)).order_by("start", "pk")[
            :FEED_LIMIT
        ]


def filter_events(events: QuerySet[EventPage], cleaned: dict) -> QuerySet[EventPage]:
    """Apply the filters that validated; the others were dropped with a message."""
    if tag := cleaned.get("tag"):
        events = events.filter(tags__slug=tag)
    if group := cleaned.get("group"):
        events = events.filter(organiser=group)
    if region := cleaned.get("region"):
        events = events.filter(organiser__region=region)
    if cleaned.get("national"):
        events = events.filter(organiser__isnull=True)
    return events


def with_related(events: QuerySet[EventPage]) -> QuerySet[EventPage]:
    """What a listing or feed shows of each event, fetched with the events, not per event."""
    return events.select_related("organiser").prefetch_related("tags")


class UpcomingThenPast:
    """The events that have not ended, soonest first, then those that have, latest first: one
    sequence a Paginator counts and slices. A slice reads the upcoming part and the past part
    in a query each (only the part it needs, when it lies in one), in the order of the start
    index; the sizes of both parts come from one query. Each event says `is_upcoming`.
    """

    def __init__(self, events: QuerySet[EventPage], now: datetime.datetime) -> None:
        self.events = events
        self.now = now

    @cached_property
    def sizes(self) -> tuple[int, int]:
        """(upcoming, all) matching events."""
        counts = self.events.aggregate(
            upcoming=Count("pk", filter=Q(end__gte=self.now)), total=Count("pk")
        )
        return counts["upcoming"], counts["total"]

    def count(self) -> int:
        return self.sizes[1]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[EventPage]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("UpcomingThenPast is read in slices")
        upcoming_count, total = self.sizes
        start = index.start or 0
        stop = total if index.stop is None else min(index.stop, total)
        events = []
        if start < upcoming_count:
            upcoming = self.in_part(self.events.filter(end__gte=self.now).order_by("start", "pk"))
            events += self.marked(upcoming[start : min(stop, upcoming_count)], True)
        if stop > upcoming_count:
            past = self.in_part(self.events.filter(end__lt=self.now).order_by("-start", "pk"))
            events += self.marked(
                past[max(start - upcoming_count, 0) : stop - upcoming_count], False
            )
        prefetch_related_objects(events, "tags")  # for both parts at once
        prefetch_renditions(events)
        return events

    @staticmethod
    def in_part(events: QuerySet[EventPage]) -> QuerySet[EventPage]:
        """What an event's card shows (events/includes/event_card.html), and no more."""
        return events.select_related("organiser", "image").only(
            *CARD_FIELDS, *EVENT_CARD_FIELDS, "organiser__title"
        )

    @staticmethod
    def marked(events: QuerySet[EventPage], upcoming: bool) -> list[EventPage]:
        events = list(events)
        for event in events:
            event.is_upcoming = upcoming
        return events


def in_listing_order(events: QuerySet[EventPage], now: datetime.datetime) -> QuerySet[EventPage]:
    """Upcoming events soonest first, then past events latest first, in one query (the API's
    order; a page of the listing reads them as `UpcomingThenPast`)."""
    upcoming = Q(end__gte=now)
    return (
        with_related(events)
        .annotate(
            is_upcoming=Case(When(upcoming, then=Value(True)), default=Value(False)),
            upcoming_start=Case(When(upcoming, then=F("start"))),
            past_start=Case(When(~upcoming, then=F("start"))),
        )
        .order_by(
            "-is_upcoming",
            F("upcoming_start").asc(nulls_last=True),
            F("past_start").desc(nulls_last=True),
            "pk",
        )
    )
