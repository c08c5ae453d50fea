"""The /groups/ directory: filters, name search and pagination without JavaScript."""

from django import forms
from django.http import HttpRequest

from groups.models import GroupKind, GroupStatus, LocalGroupPage, Nation, Region
from network.filters import ListingFilters
from network.pagination import paginate

GROUPS_PER_PAGE = 20


def with_any(choices, label: str) -> list[tuple[str, str]]:
    return [("", label), *choices]


class GroupDirectoryForm(forms.Form):
    q = forms.CharField(label="Group name", max_length=100, required=False)
    nation = forms.ChoiceField(
        label="Nation", choices=with_any(Nation.choices, "Any nation"), required=False
    )
    region = forms.ChoiceField(
        label="Region", choices=with_any(Region.choices, "Any region"), required=False
    )
    kind = forms.ChoiceField(
        label="Kind", choices=with_any(GroupKind.choices, "Any kind"), required=False
    )
    status = forms.ChoiceField(
        label="Status", choices=with_any(GroupStatus.choices, "Any status"), required=False
    )


class GroupDirectory:
    def __init__(self, request: HttpRequest, index_page) -> None:
        self.filters = ListingFilters(GroupDirectoryForm, request)
        groups = LocalGroupPage.objects.live().public().child_of(index_page)
        for name in ("nation", "region", "kind", "status"):
            if name in self.filters.cleaned:
                groups = groups.filter(**{name: self.filters.cleaned[name]})
        if query := self.filters.cleaned.get("q", "").strip():
            groups = groups.filter(title__icontains=query)
        self.count = groups.count()
        self.page = paginate(request, groups.order_by("title", "pk"), per_page=GROUPS_PER_PAGE)
