"""The admin's home for local editors and national staff: Wagtail dashboard panels.

A local editor sees only their own group's pages (`editable_group_pages`): each panel is given
those groups by the hook (groups/wagtail_hooks.py), which looks them up once per request, and
filters by their subtrees, so nothing of another group's can reach the page. National staff
see the network's review queue and the groups that have gone quiet. Each panel runs a fixed
number of queries however much content there is (tests/groups/test_dashboard.py counts them).

The invitation counts read the letters app's models, which sit above groups: that panel is in
letters/dashboard.py.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState, get_default_page_content_type

from events.models import EventPage
from groups.models import AchievementPage, GroupStatus, GroupUpdatePage, LocalGroupPage
from groups.permissions import editable_group_pages

# How many rows a panel lists at most; it says how many more there are.
PANEL_ROWS = 20


def months_from(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), on the month's last day where it is shorter."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for last_day in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


def in_subtrees(groups: Sequence[LocalGroupPage], include_self: bool = True) -> Q:
    """Pages in (or, without `include_self`, below) the given group pages' subtrees."""
    if not groups:
        return Q(pk__in=[])
    parts = []
    for group in groups:
        below = Q(path__startswith=group.path, depth__gt=group.depth)
        parts.append(below | Q(pk=group.pk) if include_self else below)
    return reduce(or_, parts)


def in_moderation() -> Exists:
    """Whether a page has a workflow in progress (awaiting review), in the same query."""
    return Exists(
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            base_content_type_id=get_default_page_content_type().pk,
            object_id=Cast(OuterRef("pk"), output_field=CharField(max_length=255)),
        )
    )


def page_status(page: Page) -> str:
    """In words, as Wagtail's listings say it: in moderation, draft, live + draft or live."""
    if page.awaiting_review:
        return "In moderation"
    if not page.live:
        return "Draft"
    if page.has_unpublished_changes:
        return "Live + draft"
    return "Live"


@dataclass
class Rows:
    """A panel's rows (at most PANEL_ROWS) and how many there are in all."""

    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def first_rows(queryset: QuerySet) -> Rows:
    """The first PANEL_ROWS rows and the total, in one query (the count is asked only when
    the list is full)."""
    items = list(queryset[: PANEL_ROWS + 1])
    if len(items) <= PANEL_ROWS:
        return Rows(items, len(items))
    return Rows(items[:PANEL_ROWS], queryset.count())


class GroupPanel(Component):
    """A panel about the editor's own groups; shows nothing for a user who has none."""

    heading = ""
    panel_id = ""

    def __init__(self, groups: Sequence[LocalGroupPage]) -> None:
        self.groups = list(groups)

    def render_html(self, parent_context: Mapping[str, Any] | None = None) -> str:
        if not self.groups:
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        return {
            "heading": self.heading,
            "panel_id": self.panel_id,
            "groups": self.groups,
        }


class GroupPagesPanel(GroupPanel):
    """Every page of the editor's group with its status, drafts and what awaits review first."""

    name = "group_pages"
    order = 100
    template_name = "groups/dashboard/group_pages.html"
    heading = "Your group's pages"
    panel_id = "group-pages"

    def get_context_data(self, parent_context=None) -> dict:
        context = super().get_context_data(parent_context)
        pages = (
            Page.objects.filter(in_subtrees(self.groups))
            .annotate(awaiting_review=in_moderation())
            .only(
                "title",
                "draft_title",
                "live",
                "has_unpublished_changes",
                "latest_revision_created_at",
                "path",
                "depth",
                "content_type",
            )
        )
        # What needs doing first: awaiting review, then drafts (never published, then changed
        # since publishing), then the most recently edited.
        context["pages"] = first_rows(
            pages.order_by(
                "-awaiting_review",
                "live",
                "-has_unpublished_changes",
                "-latest_revision_created_at",
                "path",
            )
        )
        for page in context["pages"].items:
            page.status_label = page_status(page)
        return context


class ExpiringAwardsPanel(GroupPanel):
    """Awards that expire in the next three months: time to apply for renewal."""

    name = "expiring_awards"
    order = 110
    template_name = "groups/dashboard/expiring_awards.html"
    heading = "Awards expiring in the next three months"
    panel_id = "expiring-awards"

    def get_context_data(self, parent_context=None) -> dict:
        context = super().get_context_data(parent_context)
        today = timezone.localdate()
        context["until"] = months_from(today, 3)
        context["awards"] = first_rows(
            AchievementPage.objects.filter(
                in_subtrees(self.groups, include_self=False),
                expires_on__gte=today,
                expires_on__lte=context["until"],
            )
            .order_by("expires_on", "pk")
            .only("title", "draft_title", "expires_on", "path", "depth")
        )
        return context


class EventsMissingDetailsPanel(GroupPanel):
    """Upcoming events a visitor cannot yet get to: no venue (nor online link), or no booking."""

    name = "events_missing_details"
    order = 120
    template_name = "groups/dashboard/events_missing_details.html"
    heading = "Events without a venue or booking link"
    panel_id = "events-missing-details"

    def get_context_data(self, parent_context=None) -> dict:
        context = super().get_context_data(parent_context)
        events = first_rows(
            EventPage.objects.filter(
                in_subtrees(self.groups, include_self=False), end__gte=timezone.now()
            )
            .filter(Q(venue_name="", online_url="") | Q(booking_url=""))
            .order_by("start", "pk")
            .only("title", "draft_title", "start", "venue_name", "online_url", "booking_url")
        )
        for event in events.items:
            event.missing = [
                what
                for what, lacking in (
                    ("a venue or online link", not (event.venue_name or event.online_url)),
                    ("a booking link", not event.booking_url),
                )
                if lacking
            ]
        context["events"] = events
        return context


class StalePagesPanel(GroupPanel):
    """Pages not updated for a year. Updates (dated news) and past events record the past, so
    they are left out."""

    name = "stale_pages"
    order = 130
    template_name = "groups/dashboard/stale_pages.html"
    heading = "Pages not updated for a year"
    panel_id = "stale-pages"

    def get_context_data(self, parent_context=None) -> dict:
        context = super().get_context_data(parent_context)
        year_ago = timezone.now() - datetime.timedelta(days=365)
        past_events = EventPage.objects.filter(pk=OuterRef("pk"), end__lt=timezone.now())
        context["pages"] = first_rows(
            Page.objects.filter(in_subtrees(self.groups))
            .annotate(
                updated_at=Coalesce(
                    "latest_revision_created_at", "last_published_at", "first_published_at"
                )
            )
            .filter(updated_at__lt=year_ago)
            .exclude(
                Q(pk__in=GroupUpdatePage.objects.filter(in_subtrees(self.groups)).values("pk"))
                | Exists(past_events)
            )
            .order_by("updated_at", "pk")
            .only("title", "draft_title")
        )
        return context


def editor_groups(request) -> list[LocalGroupPage]:
    """The group pages this request's local editor works on, looked up once per request."""
    groups = getattr(request, "sanctuary_editor_groups", None)
    if groups is None:
        groups = list(
            editable_group_pages(request.user)
            .order_by("title", "pk")
            .only("title", "draft_title", "path", "depth", "url_path", "slug")
        )
        request.sanctuary_editor_groups = groups
    return groups


# National staff


class ReviewQueueByGroupPanel(Component):
    """Everything awaiting review, under the group it belongs to (national pages on their own)."""

    name = "review_queue_by_group"
    order = 100
    template_name = "groups/dashboard/review_queue.html"

    def get_context_data(self, parent_context=None) -> dict:
        waiting = list(
            Page.objects.annotate(awaiting_review=in_moderation())
            .filter(awaiting_review=True)
            .order_by("path")
            .only("title", "draft_title", "path", "depth", "latest_revision_created_at")
        )
        ancestor_paths = {
            page.path[: Page.steplen * depth]
            for page in waiting
            for depth in range(1, page.depth + 1)
        }
        groups = list(
            LocalGroupPage.objects.filter(path__in=ancestor_paths)
            .order_by("title", "pk")
            .only("title", "draft_title", "path", "depth")
        )
        by_group: dict[int | None, list[Page]] = {}
        for page in waiting:
            owner = next((g for g in groups if page.path.startswith(g.path)), None)
            by_group.setdefault(owner.pk if owner else None, []).append(page)
        context = {
            "queue": [(group, by_group[group.pk]) for group in groups if group.pk in by_group],
            "national": by_group.get(None, []),
            "total": len(waiting),
        }
        return context


class QuietGroupsPanel(Component):
    """Open groups (not closed) whose newest published update is over six months old, or who
    have published none."""

    name = "quiet_groups"
    order = 110
    template_name = "groups/dashboard/quiet_groups.html"

    def get_context_data(self, parent_context=None) -> dict:
        since = months_from(timezone.localdate(), -6)
        newest_update = (
            GroupUpdatePage.objects.live()
            .filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
            .order_by("-date")
            .values("date")[:1]
        )
        groups = first_rows(
            LocalGroupPage.objects.live()
            .exclude(status=GroupStatus.CLOSED)
            .annotate(newest_update=Subquery(newest_update))
            .filter(Q(newest_update__isnull=True) | Q(newest_update__lt=since))
            # Those that never published an update first, then the quietest.
            .order_by(F("newest_update").asc(nulls_first=True), "title", "pk")
            .only("title", "draft_title", "status")
        )
        return {"groups": groups, "since": since}
