"""The /groups/ directory and the achievements lists (the network's and each group's): filters
without JavaScript."""

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from core.filters import ListingFilters
from core.pagination import paginate
from core.pictures import prefetch_renditions, with_pictures
from core.places import PostcodePlace, locate_postcode
from core.query import ACHIEVEMENT_ITEM_FIELDS, CARD_FIELDS, GROUP_CARD_FIELDS
from core.widgets import PlainSelect
from groups.map import GroupsMap, group_markers
from groups.models import (
    AchievementKind,
    AchievementPage,
    GroupKind,
    GroupStatus,
    LocalGroupPage,
    Nation,
    Region,
    attach_groups,
)

GROUPS_PER_PAGE = 20


def with_any(choices, label: str) -> list[tuple[str, str]]:
    return [("", label), *choices]


class GroupDirectoryForm(forms.Form):
    q = forms.CharField(label=_("Group name"), max_length=100, required=False)
    nation = forms.ChoiceField(
        widget=PlainSelect,
        label=_("Nation"),
        choices=with_any(Nation.choices, _("Any nation")),
        required=False,
    )
    region = forms.ChoiceField(
        widget=PlainSelect,
        label=_("Region"),
        choices=with_any(Region.choices, _("Any region")),
        required=False,
    )
    kind = forms.ChoiceField(
        widget=PlainSelect,
        label=_("Kind"),
        choices=with_any(GroupKind.choices, _("Any kind")),
        required=False,
    )
    status = forms.ChoiceField(
        widget=PlainSelect,
        label=_("Status"),
        choices=with_any(GroupStatus.choices, _("Any status but closed")),
        required=False,
    )
    near = forms.CharField(
        label=_("Near a postcode"),
        max_length=20,
        required=False,
        help_text=_("Sorts groups by distance, for example SO14 7LY"),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
    )


def filter_groups(groups: QuerySet[LocalGroupPage], cleaned: dict) -> QuerySet[LocalGroupPage]:
    """The directory's filters (nation, region, kind, status, part of the name), for /groups/
    and the API alike; only the filters that validated are in `cleaned`. Closed groups are
    listed (and mapped) only when asked for by status: their pages stay, as a record."""
    if not cleaned.get("status"):
        groups = groups.exclude(status=GroupStatus.CLOSED)
    for name in ("nation", "region", "kind", "status"):
        if cleaned.get(name):
            groups = groups.filter(**{name: cleaned[name]})
    if query := cleaned.get("q", "").strip():
        groups = groups.filter(title__icontains=query)
    return groups


def sort_groups(
    groups: QuerySet[LocalGroupPage], cleaned: dict
) -> tuple[QuerySet[LocalGroupPage], PostcodePlace | None]:
    """By name; or, given `near`, nearest that postcode first (groups without a location last).

    Also returns the postcode's lookup when one was asked for: a caller says why a postcode
    that could not be placed left the list in name order.
    """
    near = cleaned.get("near", "").strip()
    if not near:
        return groups.order_by("title", "pk"), None
    place = locate_postcode(near)
    if not place.located:
        return groups.order_by("title", "pk"), place
    return groups.near(place.latitude, place.longitude), place


class GroupDirectory:
    def __init__(self, request: HttpRequest, index_page) -> None:
        self.filters = ListingFilters(GroupDirectoryForm, request)
        groups = filter_groups(
            LocalGroupPage.objects.visible_to_public().child_of(index_page), self.filters.cleaned
        )
        groups, self.place = sort_groups(groups, self.filters.cleaned)
        # The postcode groups are sorted from, when they are.
        self.near = self.place if self.place is not None and self.place.located else None
        if self.place is not None and self.near is None:
            self.filters.ignored.append(
                gettext("We could not sort groups by distance: %(reason)s")
                % {"reason": self.place.message}
            )
        # What a card shows, and no more (group rows carry bodies); counted once, by the pages.
        self.page = paginate(
            request,
            with_pictures(groups).only(*GROUP_CARD_FIELDS, "nation", "status"),
            per_page=GROUPS_PER_PAGE,
        )
        self.page.object_list = list(self.page.object_list)
        prefetch_renditions(self.page.object_list)
        self.count = self.page.paginator.count
        self.map = directory_map(request, groups)


def directory_map(request: HttpRequest, groups: QuerySet[LocalGroupPage]) -> GroupsMap:
    """Every group the filters match that has a location (not only this page's): one query."""
    located = groups.filter(latitude__isnull=False, longitude__isnull=False).only(
        *CARD_FIELDS, "latitude", "longitude"
    )
    markers = group_markers(located, request)
    count = len(markers)
    return GroupsMap(
        markers=markers,
        title=gettext("Map of local groups in England, Scotland, Wales and Northern Ireland"),
        description=ngettext(
            "%(count)s group with a location on the map, a link to its page. The list above "
            "has every group.",
            "%(count)s groups with a location on the map, each a link to its page. The list "
            "above has every group.",
            count,
        )
        % {"count": count},
    )


ACHIEVEMENTS_PER_PAGE = 30


def in_groups_of(groups) -> Exists:
    """A filter for pages whose parent is one of `groups`, in the same query (no id lists)."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    return Exists(groups.filter(path=parent_path))


class AchievementListForm(forms.Form):
    kind = forms.ChoiceField(
        widget=PlainSelect,
        label=_("Kind of achievement"),
        choices=with_any(AchievementKind.choices, _("All kinds")),
        required=False,
    )
    region = forms.ChoiceField(
        widget=PlainSelect,
        label=_("Region"),
        choices=with_any(Region.choices, _("Any region")),
        required=False,
    )
    current = forms.BooleanField(label=_("Current awards only"), required=False)


class GroupAchievementListForm(AchievementListForm):
    """One group's achievements: its region is known."""

    region = None


class AchievementListing:
    """Achievements newest first, across all groups or one group's; e.g. every School award."""

    def __init__(self, request: HttpRequest, group: LocalGroupPage | None = None) -> None:
        self.group = group
        self.show_group = group is None  # each item names its group in the network's list
        if group is None:
            self.filters = ListingFilters(AchievementListForm, request)
            achievements = AchievementPage.objects.visible_to_public()
        else:
            self.filters = ListingFilters(GroupAchievementListForm, request)
            achievements = group.achievements()
        if kind := self.filters.cleaned.get("kind"):
            achievements = achievements.filter(kind=kind)
            self.kind_label = AchievementKind(kind).label
        else:
            self.kind_label = ""
        if region := self.filters.cleaned.get("region"):
            achievements = achievements.filter(
                in_groups_of(LocalGroupPage.objects.filter(region=region))
            )
        if self.filters.cleaned.get("current"):
            today = timezone.localdate()
            achievements = achievements.filter(
                Q(expires_on__isnull=True) | Q(expires_on__gte=today)
            )
        self.count = achievements.count()
        self.page = paginate(
            request,
            with_pictures(achievements)
            .order_by("-date_achieved", "-pk")
            .only(*CARD_FIELDS, *ACHIEVEMENT_ITEM_FIELDS),
            per_page=ACHIEVEMENTS_PER_PAGE,
        )
        self.page.object_list = list(self.page.object_list)
        prefetch_renditions(self.page.object_list)
        if group is None:
            self.page.object_list = attach_groups(self.page.object_list)
