"""A group's own events listing and feed: /groups/<slug>/events/ and /groups/<slug>/events/ical/.

These are plain Django views rather than routes on the group page, so the events app owns
them without changing the groups app's model.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from wagtail.models import Site

from events.ical import feed_response
from events.listing import EventListing, GroupEventFilterForm
from events.models import EventPage
from groups.models import LocalGroupPage


def live_group(request: HttpRequest, group_slug: str) -> LocalGroupPage:
    """The published, public group with this slug on the requested site, or 404."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site")
    group = (
        LocalGroupPage.objects.visible_to_public()
        .descendant_of(site.root_page)
        .filter(slug=group_slug)
        .first()
    )
    if group is None:
        raise Http404("No such group")
    return group


def group_listing(request: HttpRequest, group: LocalGroupPage) -> EventListing:
    return EventListing(
        request, EventPage.objects.filter(organiser=group), form_class=GroupEventFilterForm
    )


def group_events(request: HttpRequest, group_slug: str) -> HttpResponse:
    group = live_group(request, group_slug)
    return render(
        request,
        "events/group_events.html",
        {"group": group, "listing": group_listing(request, group)},
    )


def group_events_ical(request: HttpRequest, group_slug: str) -> HttpResponse:
    group = live_group(request, group_slug)
    return feed_response(
        request,
        group_listing(request, group).upcoming_for_feed(),
        name=f"{group.title} events",
        filename=f"{group.slug}-events",
    )
