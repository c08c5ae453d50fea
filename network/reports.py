"""Reports → Translations: for national staff, the pages that exist in one language only and
the Welsh pages older than their English source (Wagtail's `ReportView`, CSV and XLSX export).

A page and its translation share a `translation_key`; an alias (what wagtail-localize makes of
a parent not translated yet) is not a translation. "Older" compares when each was last
published: an English page published since its Welsh translation may say something the
Welsh does not yet.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Case as CaseWhen
from django.db.models import (
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.views.defaults import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale, Page

from core.spreadsheets import FormulaSafeExportMixin
from groups.permissions import is_national_staff

ENGLISH_ONLY = "english-only"
WELSH_ONLY = "welsh-only"
WELSH_OLDER = "welsh-older"
UP_TO_DATE = "up-to-date"
STATUSES = [
    (ENGLISH_ONLY, "In English only"),
    (WELSH_ONLY, "In Welsh only"),
    (WELSH_OLDER, "Welsh older than English"),
    (UP_TO_DATE, "Both, up to date"),
]
STATUS_LABELS = dict(STATUSES)


def translation_statuses() -> QuerySet:
    """Every page below the root that is not an alias, with its translation status."""
    default = Locale.get_default()
    others = Page.objects.filter(
        translation_key=OuterRef("translation_key"), alias_of__isnull=True
    ).exclude(locale=OuterRef("locale"))
    return (
        Page.objects.filter(depth__gt=1, alias_of__isnull=True)
        .select_related("locale")
        .annotate(
            translated=Exists(others),
            other_published_at=Subquery(others.values("last_published_at")[:1]),
        )
        .annotate(
            status=CaseWhen(
                When(Q(translated=False, locale=default), then=Value(ENGLISH_ONLY)),
                When(translated=False, then=Value(WELSH_ONLY)),
                When(
                    ~Q(locale=default) & Q(last_published_at__lt=F("other_published_at")),
                    then=Value(WELSH_OLDER),
                ),
                default=Value(UP_TO_DATE),
                output_field=CharField(),
            )
        )
        .annotate(
            status_label=CaseWhen(
                *(When(status=code, then=Value(label)) for code, label in STATUSES),
                output_field=CharField(),
            )
        )
    )


class TranslationStatusFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=STATUSES, empty_label="Needing attention")

    class Meta:
        model = Page
        fields = ["status"]


class TranslationStatusReportView(FormulaSafeExportMixin, ReportView):
    page_title = "Translations"
    header_icon = "globe"
    index_url_name = "translation_status_report"
    index_results_url_name = "translation_status_report_results"
    filterset_class = TranslationStatusFilterSet
    columns = [
        Column("title", label="Page"),
        Column("language", label="Language", accessor="locale.get_display_name"),
        Column("status_label", label="Status"),
        Column("last_published_at", label="Last published"),
        Column("other_published_at", label="Other language last published"),
    ]
    list_export = ["title", "url_path", "locale.language_code", "status_label", "last_published_at"]
    export_headings = {"locale.language_code": "language", "status_label": "status"}

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_national_staff(request.user):
            return permission_denied(request, PermissionDenied("translation report"))
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self) -> QuerySet:
        pages = translation_statuses().order_by("path")
        if self.request.GET.get("status") not in STATUS_LABELS:
            pages = pages.exclude(status=UP_TO_DATE)  # by default, what needs a translator
        return pages


class StaffMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return is_national_staff(request.user)


def admin_urls() -> list:
    return [
        path(
            "reports/translations/",
            TranslationStatusReportView.as_view(),
            name="translation_status_report",
        ),
        path(
            "reports/translations/results/",
            TranslationStatusReportView.as_view(results_only=True),
            name="translation_status_report_results",
        ),
    ]


def translations_menu_item() -> MenuItem:
    return StaffMenuItem(
        "Translations",
        reverse("translation_status_report"),
        name="translations",
        icon_name="globe",
        order=880,
    )
