"""/api/v3/groups/: the group directory for headless clients, with the filters of /groups/.

The filters are validated by the directory's own form (groups/directory.py), so the web page
and the API accept exactly the same values; here a bad one is a 400 instead of a message.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from wagtail.api.v3.errors import ProblemDetail

from core.api_contract import (
    DEFAULT_LIMIT,
    ERROR_RESPONSES,
    Limit,
    Offset,
    PageLink,
    ParameterError,
    ProblemError,
    Slug,
    absolute,
    paged_list,
    validated,
)
from core.choices import Nation, Region
from core.query import active_content_language
from groups.directory import GroupDirectoryForm, filter_groups, sort_groups
from groups.models import GroupIndexPage, GroupKind, GroupStatus, LocalGroupPage

router = Router(tags=["groups"])

Q_MAX_LENGTH = GroupDirectoryForm.base_fields["q"].max_length
NEAR_MAX_LENGTH = GroupDirectoryForm.base_fields["near"].max_length


class GroupFilters(Schema):
    q: str | None = Field(None, max_length=Q_MAX_LENGTH, description="Part of the group name")
    nation: Nation | None = None
    region: Region | None = None
    kind: GroupKind | None = None
    status: GroupStatus | None = None
    near: str | None = Field(
        None,
        max_length=NEAR_MAX_LENGTH,
        description="A UK postcode: nearest groups first, with their distance; groups without "
        "a location last",
    )
    limit: Limit = DEFAULT_LIMIT
    offset: Offset = 0


class GroupSummary(Schema):
    """A group as the directory lists it: enough to draw a card and follow its links."""

    id: int
    title: str
    slug: str
    kind: GroupKind
    kind_label: str
    nation: Nation
    region: Region
    status: GroupStatus
    introduction: str
    html_url: str | None
    detail_url: str
    page_url: str


class GroupListItem(GroupSummary):
    distance_km: float | None = Field(
        None, description="From the `near` postcode; null without `near` or a location"
    )
    distance_miles: float | None = None


class GroupList(Schema):
    count: int
    items: list[GroupListItem]


class Contact(Schema):
    email: str
    website: str
    facebook_url: str
    instagram_url: str
    x_url: str


class Location(Schema):
    latitude: Decimal
    longitude: Decimal


class MemberOrganisation(Schema):
    name: str
    website: str


class CoveredConstituency(Schema):
    gss_code: str
    name: str
    slug: str
    detail_url: str


class AchievementSummary(PageLink):
    kind: str
    date_achieved: datetime.date
    summary: str
    count_text: str
    expires_on: datetime.date | None
    feature_in_letters: bool


class UpdateSummary(PageLink):
    date: datetime.date
    introduction: str


class EventLink(PageLink):
    start: datetime.datetime
    end: datetime.datetime
    detail_url: str


class GroupDetail(GroupSummary):
    """Everything the group's public page shows, with related pages as ids and URLs."""

    date_founded: datetime.date | None
    council_resolution_date: datetime.date | None
    council_resolution_text: str
    contact: Contact
    location: Location | None
    member_organisations: list[MemberOrganisation]
    constituencies: list[CoveredConstituency]
    achievements: list[AchievementSummary]
    updates: list[UpdateSummary]
    upcoming_events: list[EventLink]
    body: list[dict[str, Any]]


def group_summary(request: HttpRequest, group: LocalGroupPage) -> dict[str, Any]:
    return {
        "id": group.pk,
        "title": group.title,
        "slug": group.slug,
        "kind": group.kind,
        "kind_label": group.kind_label,
        "nation": group.nation,
        "region": group.region,
        "status": group.status,
        "introduction": group.introduction,
        "html_url": group.get_full_url(request),
        "detail_url": absolute(request, reverse("wagtailapi_v3:group_detail", args=[group.slug])),
        "page_url": absolute(request, reverse("wagtailapi_v3:detail_page", args=[group.pk])),
    }


def directory_groups():
    """The groups /groups/ lists: live, public, under the directory page, by name."""
    index = (
        GroupIndexPage.objects.live()
        .filter(locale__language_code=active_content_language())
        .first()
    )
    if index is None:
        return LocalGroupPage.objects.none()
    return LocalGroupPage.objects.visible_to_public().child_of(index).order_by("title", "pk")


def group_list_item(request: HttpRequest, group: LocalGroupPage) -> dict[str, Any]:
    distance_km = getattr(group, "distance_km", None)
    distance_miles = getattr(group, "distance_miles", None)
    return {
        **group_summary(request, group),
        "distance_km": None if distance_km is None else round(distance_km, 2),
        "distance_miles": None if distance_miles is None else round(distance_miles, 2),
    }


@router.get(
    "/",
    response={200: GroupList, 503: ProblemDetail, **ERROR_RESPONSES},
    url_name="group_list",
    summary="List groups (the /groups/ directory)",
    operation_id="groups_list",
)
def list_groups(request: HttpRequest, filters: GroupFilters = Query(...)) -> dict[str, Any]:  # noqa: B008
    cleaned = validated(
        GroupDirectoryForm(
            {name: getattr(filters, name) or "" for name in GroupDirectoryForm.base_fields}
        )
    )
    groups, place = sort_groups(filter_groups(directory_groups(), cleaned), cleaned)
    if place is not None and not place.located:
        if place.fault:
            raise ProblemError(
                503,
                place.message,
                [{"parameter": "near", "message": place.message, "type": "service-down"}],
            )
        raise ParameterError("near", place.message, code="not-located")
    return paged_list(request, groups, filters.offset, filters.limit, group_list_item)


@router.get(
    "/{slug}/",
    response={200: GroupDetail, **ERROR_RESPONSES},
    url_name="group_detail",
    summary="One group, with its achievements, updates and upcoming events",
    operation_id="groups_detail",
)
def get_group(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    from django.http import Http404

    from events.models import EventPage

    group = directory_groups().filter(slug=slug).first()
    if group is None:
        raise Http404(f"No group has the slug “{slug}”.")
    has_location = group.latitude is not None and group.longitude is not None
    return {
        **group_summary(request, group),
        "date_founded": group.date_founded,
        "council_resolution_date": group.council_resolution_date,
        "council_resolution_text": group.council_resolution_text,
        "contact": {
            "email": group.contact_email,
            "website": group.website,
            "facebook_url": group.facebook_url,
            "instagram_url": group.instagram_url,
            "x_url": group.x_url,
        },
        "location": {"latitude": group.latitude, "longitude": group.longitude}
        if has_location
        else None,
        "member_organisations": [
            {"name": member.name, "website": member.website}
            for member in group.member_organisations.all()
        ],
        "constituencies": [
            {
                "gss_code": constituency.gss_code,
                "name": constituency.name,
                "slug": constituency.slug,
                "detail_url": absolute(
                    request,
                    reverse("wagtailapi_v3:constituency_detail", args=[constituency.slug]),
                ),
            }
            for constituency in group.constituencies.order_by("name")
        ],
        "achievements": [
            {
                "id": achievement.pk,
                "title": achievement.title,
                "html_url": achievement.get_full_url(request),
                "kind": achievement.kind,
                "date_achieved": achievement.date_achieved,
                "summary": achievement.summary,
                "count_text": achievement.count_text,
                "expires_on": achievement.expires_on,
                "feature_in_letters": achievement.feature_in_letters,
            }
            for achievement in group.achievements()
        ],
        "updates": [
            {
                "id": update.pk,
                "title": update.title,
                "html_url": update.get_full_url(request),
                "date": update.date,
                "introduction": update.introduction,
            }
            for update in group.updates()
        ],
        "upcoming_events": [
            {
                "id": event.pk,
                "title": event.title,
                "html_url": event.get_full_url(request),
                "start": event.start,
                "end": event.end,
                "detail_url": absolute(
                    request, reverse("wagtailapi_v3:event_detail", args=[event.pk])
                ),
            }
            for event in EventPage.objects.upcoming().filter(organiser=group)
        ],
        "body": group.body.stream_block.get_api_representation(group.body, {"request": request}),
    }
