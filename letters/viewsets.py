"""The constituency listing national staff use in the admin: search, filters, CSV/XLSX export.

Access follows the model permissions (letters.view_constituency, change_constituency...),
which only national staff hold.
"""

import django_filters
from django.db.models import QuerySet
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from core.choices import Nation, Region
from core.spreadsheets import FormulaSafeExportMixin
from letters.models import Constituency


def party_choices() -> list[tuple[str, str]]:
    parties = (
        Constituency.objects.exclude(current_mp_party="")
        .order_by("current_mp_party")
        .values_list("current_mp_party", flat=True)
        .distinct()
    )
    return [(party, party) for party in parties]


class ConstituencyFilterSet(WagtailFilterSet):
    nation = django_filters.ChoiceFilter(choices=Nation.choices)
    region = django_filters.ChoiceFilter(choices=Region.choices)
    current_mp_party = django_filters.ChoiceFilter(label="Party", choices=party_choices)
    uncovered = django_filters.BooleanFilter(label="No group covers it", method="filter_uncovered")

    class Meta:
        model = Constituency
        fields = ["nation", "region", "current_mp_party"]

    def filter_uncovered(
        self, queryset: QuerySet[Constituency], name: str, value: bool | None
    ) -> QuerySet[Constituency]:
        if value is None:
            return queryset
        if value:
            return queryset.filter(groups__isnull=True)
        return queryset.filter(groups__isnull=False).distinct()


class ConstituencyIndexView(FormulaSafeExportMixin, IndexView):
    """The listing; its CSV export escapes cells a spreadsheet would run as formulas."""


class ConstituencyViewSet(ModelViewSet):
    model = Constituency
    index_view_class = ConstituencyIndexView
    icon = "site"
    menu_label = "Constituencies"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "gss_code", "region", "current_mp_name", "current_mp_party"]
    list_per_page = 50
    search_fields = ["name", "gss_code", "current_mp_name"]
    search_backend_name = None  # the model is not in the search index; use the ORM
    filterset_class = ConstituencyFilterSet
    list_export = [
        "gss_code",
        "name",
        "slug",
        "nation",
        "region",
        "current_mp_name",
        "current_mp_full_title",
        "current_mp_party",
        "current_mp_member_id",
        "current_mp_email",
        "mp_updated_at",
    ]
    export_filename = "constituencies"
    form_fields = [
        "name",
        "slug",
        "gss_code",
        "nation",
        "region",
        "current_mp_name",
        "current_mp_full_title",
        "current_mp_party",
        "current_mp_member_id",
        "current_mp_email",
    ]


constituency_viewset = ConstituencyViewSet("constituencies")
