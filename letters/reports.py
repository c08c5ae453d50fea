"""Admin reports for national staff: letter downloads by letter, constituency, format and day
(counts only), as a table with a small bar chart, exported as CSV or XLSX by Wagtail's own
`ReportView`; and every constituency's letter as a ZIP, prepared by the background worker
(letters/export.py) and downloaded here.

Only users with `letters.view_letter_reports` (national staff) see the menu item or the views.
"""

import datetime
import functools
from collections.abc import Callable

import django_filters
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views.decorators.http import require_http_methods, require_safe
from django.views.defaults import permission_denied
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from core.choices import Region
from core.spreadsheets import FormulaSafeExportMixin
from letters.export import abandon_stalled_exports, request_letters_zip, zip_filename
from letters.models import (
    Constituency,
    DownloadFormat,
    InvitationSent,
    LetterDownload,
    LetterExport,
    LetterPage,
    MPAnswer,
)

PERMISSION = "letters.view_letter_reports"
DEFAULT_DAYS = 30
# Rows a spreadsheet export reads from the database at a time: a year of counts is many rows.
EXPORT_CHUNK_ROWS = 2000
# The ZIP page reloads itself this often while the worker writes (no JavaScript needed).
REFRESH_SECONDS = 2
# A queued export the worker has not started after this long suggests no worker is running.
WORKER_LATE_AFTER = datetime.timedelta(minutes=1)


def report_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse users without the report permission before anything else, the method included,
    with a 403 (Wagtail's admin would turn a raised PermissionDenied into a redirect)."""

    @functools.wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm(PERMISSION):
            return permission_denied(request, PermissionDenied("letter reports"))
        return view(request, *args, **kwargs)

    return checked


def as_date(value: datetime.date | None) -> datetime.date | None:
    """django-filter's date range gives the start and end of each day as local datetimes."""
    return value.date() if isinstance(value, datetime.datetime) else value


class DownloadReportFilterSet(WagtailFilterSet):
    letter = django_filters.ModelChoiceFilter(
        queryset=LetterPage.objects.order_by("title"), empty_label="All letters"
    )
    format = django_filters.ChoiceFilter(choices=DownloadFormat.choices, empty_label="All formats")
    # ?date_from=...&date_to=...; with neither, the report shows the last 30 days.
    date = django_filters.DateFromToRangeFilter(label="Date", widget=DateRangePickerWidget)

    class Meta:
        model = LetterDownload
        fields = ["letter", "format", "date"]


class LetterDownloadsReportView(FormulaSafeExportMixin, ReportView):
    """Download counts per letter, constituency, format and day, newest first."""

    page_title = "Letter downloads"
    header_icon = "download"
    template_name = "letters/admin/download_report.html"
    results_template_name = "letters/admin/download_report_results.html"
    index_url_name = "letters_download_report"
    index_results_url_name = "letters_download_report_results"
    filterset_class = DownloadReportFilterSet
    columns = [
        Column("date", label="Date"),
        Column("letter", label="Letter", accessor="letter.title"),
        Column("constituency", label="Constituency", accessor="constituency.name"),
        Column("format", label="Format"),
        Column("count", label="Downloads"),
    ]
    list_export = ["date", "letter.title", "constituency.name", "format", "count"]
    export_headings = {
        "date": "date",
        "letter.title": "letter",
        "constituency.name": "constituency",
        "format": "format",
        "count": "downloads",
    }

    @method_decorator(report_view)
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def period(self) -> tuple[datetime.date, datetime.date]:
        """The dates asked for; the last 30 days when none are given (or they are invalid)."""
        dates = None
        if self.filters.is_valid():
            dates = self.filters.form.cleaned_data.get("date")
        date_to = as_date(dates and dates.stop) or timezone.localdate()
        date_from = as_date(dates and dates.start) or date_to - datetime.timedelta(
            days=DEFAULT_DAYS - 1
        )
        return date_from, date_to

    def get_base_queryset(self) -> QuerySet:
        return LetterDownload.objects.select_related("letter", "constituency").order_by(
            "-date", "letter__title", "constituency__name", "format"
        )

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        date_from, date_to = self.period
        return super().filter_queryset(queryset).filter(date__gte=date_from, date__lte=date_to)

    def get_filename(self) -> str:
        date_from, date_to = self.period
        return f"letter-downloads-{date_from.isoformat()}-to-{date_to.isoformat()}"

    def as_spreadsheet(self, queryset: QuerySet, spreadsheet_format: str) -> HttpResponse:
        # Read in chunks as the file is written, rather than every row at once.
        return super().as_spreadsheet(
            queryset.iterator(chunk_size=EXPORT_CHUNK_ROWS), spreadsheet_format
        )

    def get_context_data(self, *args, **kwargs) -> dict:
        context = super().get_context_data(*args, **kwargs)
        if self.is_export:
            return context
        rows = self.object_list.order_by()
        by_day = list(rows.values("date").annotate(total=Sum("count")).order_by("date"))
        context.update(
            {
                "date_from": self.period[0],
                "date_to": self.period[1],
                "by_day": by_day,
                "busiest": max((day["total"] for day in by_day), default=0),
                "by_format": list(
                    rows.values("format").annotate(total=Sum("count")).order_by("format")
                ),
                "total": sum(day["total"] for day in by_day),
            }
        )
        if not self.results_only:
            context["letters"] = LetterPage.objects.live().order_by("title")
            context["constituency_count"] = Constituency.objects.count()
        return context


def count_for_letter(model: type[LetterDownload | InvitationSent], letter: LetterPage) -> Coalesce:
    """A constituency's total of a per-day counter for one letter, as a subquery (0 if none)."""
    totals = (
        model.objects.filter(letter=letter, constituency=OuterRef("pk"))
        .order_by()
        .values("constituency")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=IntegerField()), Value(0))


def total_count(model: type[LetterDownload | InvitationSent], rows: dict) -> int:
    return model.objects.filter(**rows).aggregate(total=Sum("count"))["total"] or 0


class CampaignReportFilterSet(WagtailFilterSet):
    # Applied in the view's annotations (every constituency is listed for the letter chosen).
    letter = django_filters.ModelChoiceFilter(
        queryset=LetterPage.objects.order_by("-first_published_at", "title"),
        method="by_letter",
        empty_label=None,
        label="Letter",
    )
    region = django_filters.ChoiceFilter(choices=Region.choices, empty_label="All regions")

    class Meta:
        model = Constituency
        fields = ["letter", "region"]

    def by_letter(self, queryset: QuerySet, name: str, value: LetterPage | None) -> QuerySet:
        return queryset


class CampaignReportView(FormulaSafeExportMixin, ReportView):
    """The campaign per constituency for one letter: letters downloaded, invitations visitors
    said they sent, and the MP's latest recorded answer. Sortable by any column."""

    page_title = "Campaign"
    header_icon = "mail"
    results_template_name = "letters/admin/campaign_report_results.html"
    index_url_name = "letters_campaign_report"
    index_results_url_name = "letters_campaign_report_results"
    filterset_class = CampaignReportFilterSet
    default_ordering = "name"
    columns = [
        Column("name", label="Constituency", sort_key="name"),
        Column("region", label="Region", accessor="get_region_display", sort_key="region"),
        Column("current_mp_name", label="MP", sort_key="current_mp_name"),
        Column("downloaded", label="Letters downloaded", sort_key="downloaded"),
        Column("sent", label="Invitations sent", sort_key="sent"),
        Column("latest_answer_label", label="Latest answer", sort_key="latest_answer"),
        Column("latest_answer_date", label="Answer date", sort_key="latest_answer_date"),
    ]
    list_export = [
        "gss_code",
        "name",
        "region",
        "current_mp_name",
        "downloaded",
        "sent",
        "latest_answer_label",
        "latest_answer_date",
    ]
    export_headings = {
        "gss_code": "GSS code",
        "name": "constituency",
        "current_mp_name": "MP",
        "downloaded": "letters downloaded",
        "sent": "invitations sent",
        "latest_answer_label": "latest answer",
        "latest_answer_date": "answer date",
    }

    @method_decorator(report_view)
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def letter(self) -> LetterPage | None:
        """The letter asked for, else the newest one."""
        if self.filters.is_valid() and self.filters.form.cleaned_data.get("letter"):
            return self.filters.form.cleaned_data["letter"]
        return LetterPage.objects.order_by("-first_published_at", "-pk").first()

    def get_base_queryset(self) -> QuerySet:
        answers = MPAnswer.objects.filter(letter=self.letter, constituency=OuterRef("pk")).order_by(
            "-date", "-recorded_at"
        )
        latest = Subquery(answers.values("answer")[:1])
        return Constituency.objects.annotate(
            downloaded=count_for_letter(LetterDownload, self.letter),
            sent=count_for_letter(InvitationSent, self.letter),
            latest_answer=latest,
            latest_answer_date=Subquery(answers.values("date")[:1]),
            latest_answer_label=Case(
                *[
                    When(latest_answer=code, then=Value(label))
                    for code, label in MPAnswer.Answer.choices
                ],
                default=Value(""),
            ),
        )

    def order_queryset(self, queryset: QuerySet) -> QuerySet:
        # The name breaks ties, so equal counts keep a stable order across pages.
        return queryset.order_by(self.ordering or "name", "name")

    def get_filename(self) -> str:
        return f"campaign-{self.letter.slug}" if self.letter else "campaign"

    def get_context_data(self, *args, **kwargs) -> dict:
        context = super().get_context_data(*args, **kwargs)
        if self.is_export:
            return context
        listed = {"letter": self.letter, "constituency__in": self.object_list.values("pk")}
        context.update(
            {
                "letter": self.letter,
                "downloaded_total": total_count(LetterDownload, listed),
                "sent_total": total_count(InvitationSent, listed),
                "answered": self.object_list.exclude(latest_answer=None).count(),
            }
        )
        return context


@report_view
@require_http_methods(["GET", "HEAD", "POST"])
def letters_zip(request: HttpRequest, page_id: int) -> HttpResponse:
    """Every constituency's Word letter for one live letter page as a ZIP, built by the
    background worker: POST asks for it, GET shows how far it has got, then its download."""
    letter_page = get_object_or_404(LetterPage.objects.live(), pk=page_id)
    if request.method == "POST":
        request_letters_zip(letter_page, request.user)
        return redirect("letters_zip", page_id=letter_page.pk)
    abandon_stalled_exports()
    exports = letter_page.exports.select_related("requested_by")
    export = exports.order_by("-created_at").first()
    # While a new one is written, the last finished one can still be downloaded.
    ready = exports.filter(status=LetterExport.Status.DONE).order_by("-created_at").first()
    return TemplateResponse(
        request,
        "letters/admin/letters_zip.html",
        {
            "page_title": f"All letters: {letter_page.title}",
            "header_icon": "download",
            "letter_page": letter_page,
            "export": export,
            "ready": ready,
            "refresh_seconds": REFRESH_SECONDS,
            "waiting_long": bool(
                export
                and export.status == LetterExport.Status.QUEUED
                and timezone.now() - export.created_at > WORKER_LATE_AFTER
            ),
        },
    )


@report_view
@require_safe
def letters_zip_file(request: HttpRequest, page_id: int, export_id: int) -> FileResponse:
    """A finished export's ZIP, from storage no public URL reaches."""
    export = get_object_or_404(
        LetterExport.objects.filter(letter__live=True, status=LetterExport.Status.DONE),
        pk=export_id,
        letter_id=page_id,
    )
    try:
        file = export.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("This ZIP has been removed; prepare a new one") from missing
    return FileResponse(
        file,
        as_attachment=True,
        filename=zip_filename(export.letter),
        content_type="application/zip",
    )


class LetterReportsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PERMISSION)


def admin_urls() -> list:
    return [
        path(
            "reports/letter-downloads/",
            LetterDownloadsReportView.as_view(),
            name="letters_download_report",
        ),
        path(
            "reports/letter-downloads/results/",
            LetterDownloadsReportView.as_view(results_only=True),
            name="letters_download_report_results",
        ),
        path("reports/campaign/", CampaignReportView.as_view(), name="letters_campaign_report"),
        path(
            "reports/campaign/results/",
            CampaignReportView.as_view(results_only=True),
            name="letters_campaign_report_results",
        ),
        path("reports/letter-downloads/<int:page_id>/zip/", letters_zip, name="letters_zip"),
        path(
            "reports/letter-downloads/<int:page_id>/zip/<int:export_id>/",
            letters_zip_file,
            name="letters_zip_file",
        ),
    ]


def reports_menu_item() -> MenuItem:
    return LetterReportsMenuItem(
        "Letter downloads",
        reverse("letters_download_report"),
        name="letter-downloads",
        icon_name="download",
        order=900,
    )


def campaign_menu_item() -> MenuItem:
    return LetterReportsMenuItem(
        "Campaign",
        reverse("letters_campaign_report"),
        name="letters-campaign",
        icon_name="mail",
        order=890,
    )


def report_permissions():
    return Permission.objects.filter(
        content_type__app_label="letters", codename="view_letter_reports"
    )
