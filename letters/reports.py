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
from django.db.models import QuerySet, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.defaults import permission_denied
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from core.choices import Region
from core.spreadsheets import FormulaSafeExportMixin
from groups.permissions import editable_group_pages
from letters import attendance
from letters.attendance import AttendanceForm
from letters.campaign import (
    AreaFigures,
    campaign_rows,
    default_campaign_letter,
    figures_of_rows,
)
from letters.export import abandon_stalled_exports, request_letters_zip, zip_filename
from letters.models import (
    Constituency,
    DownloadFormat,
    LetterDownload,
    LetterExport,
    LetterPage,
)
from letters.viewsets import answerable_constituencies

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


def campaign_scope(user) -> QuerySet[Constituency] | None:
    """The constituencies a user's campaign dashboard lists: every one for holders of the
    letter reports permission (national staff); those their groups cover for a local group
    editor; None (refused) for anyone else. Applied on the server to the table, the figures,
    the chart and the exports alike, whatever the URL asks for."""
    if user.has_perm(PERMISSION):
        return Constituency.objects.all()
    if user.has_perm("letters.view_mpanswer"):
        own = answerable_constituencies(user)
        if own.exists():
            return Constituency.objects.filter(pk__in=own.values("pk"))
    return None


def user_groups(request: HttpRequest | None) -> QuerySet:
    from groups.models import LocalGroupPage

    user = getattr(request, "user", None)
    if user is not None and user.has_perm(PERMISSION):
        return LocalGroupPage.objects.order_by("title")
    if user is None or not user.is_authenticated:
        return LocalGroupPage.objects.none()
    return editable_group_pages(user).order_by("title")


class CampaignReportFilterSet(WagtailFilterSet):
    # Applied in the view's annotations (every constituency is listed for the letter chosen).
    letter = django_filters.ModelChoiceFilter(
        queryset=LetterPage.objects.order_by("-first_published_at", "title"),
        method="by_letter",
        empty_label=None,
        label="Letter",
    )
    region = django_filters.ChoiceFilter(choices=Region.choices, empty_label="All regions")
    group = django_filters.ModelChoiceFilter(
        queryset=user_groups,
        method="by_group",
        empty_label="All groups",
        label="Group",
    )

    class Meta:
        model = Constituency
        fields = ["letter", "region", "group"]

    def by_letter(self, queryset: QuerySet, name: str, value: LetterPage | None) -> QuerySet:
        return queryset

    def by_group(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(pk__in=value.constituencies.values("pk"))


# The chart's stages: each constituency is in exactly one, by its MP's latest answer, else
# by whether an invitation was sent. Okabe-Ito colours (told apart with colour blindness).
CHART_STAGES = [
    ("attended", "Attended", "#009e73"),
    ("will_attend", "Will attend", "#56b4e9"),
    ("declined", "Declined", "#d55e00"),
    ("replied", "Replied", "#0072b2"),
    ("waiting", "Invited, no answer yet", "#e69f00"),
    ("not_invited", "No invitation recorded", "#c8c8c8"),
]
CHART_LABEL_WIDTH = 200
CHART_BAR_WIDTH = 480
CHART_ROW = 26
CHART_BAR_HEIGHT = 18


def campaign_chart(areas: list[AreaFigures]) -> dict:
    """The geometry of the SVG chart: a bar per area with seats, stacked by stage, on one
    scale (the area with most seats fills the width). Areas with no seat in scope are left out."""
    shown = [area for area in areas if area.figures.constituencies]
    most = max((area.figures.constituencies for area in shown), default=1)
    bars = []
    for row, area in enumerate(shown):
        y = row * CHART_ROW
        x = float(CHART_LABEL_WIDTH)
        segments = []
        for attribute, label, colour in CHART_STAGES:
            count = getattr(area.figures, attribute)
            if not count:
                continue
            width = CHART_BAR_WIDTH * count / most
            segments.append(
                {"x": round(x, 2), "width": round(width, 2), "colour": colour,
                 "label": label, "count": count}
            )  # fmt: skip
            x += width
        bars.append(
            {"name": area.name, "y": y, "text_y": y + CHART_BAR_HEIGHT - 4,
             "end_x": round(x + 6, 2), "seats": area.figures.constituencies,
             "segments": segments}
        )  # fmt: skip
    return {
        "bars": bars,
        "stages": [{"label": label, "colour": colour} for _, label, colour in CHART_STAGES],
        "label_width": CHART_LABEL_WIDTH,
        "bar_height": CHART_BAR_HEIGHT,
        "width": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 60,
        "height": max(len(bars), 1) * CHART_ROW,
    }


class AttendedColumn(Column):
    """A checkbox per row for "Mark as attended", belonging to the form below the table
    (the `form` attribute), so the table needs no form around it and no JavaScript."""

    cell_template_name = "letters/admin/attended_cell.html"


# What visitors reported through the question email's links (VisitorAnswer), in columns of
# their own, apart from the answers staff recorded (MPAnswer).
VISITORS_REPLIED = _("Visitors say replied")
VISITORS_WILL_ATTEND = _("Visitors say will attend")


class CampaignReportView(FormulaSafeExportMixin, ReportView):
    """The campaign dashboard for one letter: per constituency, letters downloaded,
    invitations visitors said they sent, the MP's latest recorded answer, and how many
    visitors reported that the MP replied or will attend, sortable by any column; above it,
    the figures per nation and region with a chart. National staff see every constituency; a
    group's editors only their group's (`campaign_scope`)."""

    page_title = "Campaign"
    header_icon = "mail"
    results_template_name = "letters/admin/campaign_report_results.html"
    index_url_name = "letters_campaign_report"
    index_results_url_name = "letters_campaign_report_results"
    filterset_class = CampaignReportFilterSet
    default_ordering = "name"
    base_columns = [
        Column("name", label="Constituency", sort_key="name"),
        Column("region", label="Region", accessor="get_region_display", sort_key="region"),
        Column("current_mp_name", label="MP", sort_key="current_mp_name"),
        Column("downloaded", label="Letters downloaded", sort_key="downloaded"),
        Column("sent", label="Invitations sent", sort_key="sent"),
        Column("latest_answer_label", label="Latest answer", sort_key="latest_answer"),
        Column("latest_answer_date", label="Answer date", sort_key="latest_answer_date"),
        Column("visitors_replied", label=VISITORS_REPLIED, sort_key="visitors_replied"),
        Column("visitors_will_attend", label=VISITORS_WILL_ATTEND, sort_key="visitors_will_attend"),
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
        "visitors_replied",
        "visitors_will_attend",
    ]
    export_headings = {
        "gss_code": "GSS code",
        "name": "constituency",
        "current_mp_name": "MP",
        "downloaded": "letters downloaded",
        "sent": "invitations sent",
        "latest_answer_label": "latest answer",
        "latest_answer_date": "answer date",
        "visitors_replied": VISITORS_REPLIED,
        "visitors_will_attend": VISITORS_WILL_ATTEND,
    }

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.scope_for(request) is None:
            return permission_denied(request, PermissionDenied("campaign dashboard"))
        return super().dispatch(request, *args, **kwargs)

    def scope_for(self, request: HttpRequest) -> QuerySet[Constituency] | None:
        if not hasattr(self, "scope"):
            self.scope = campaign_scope(request.user)
        return self.scope

    @cached_property
    def can_record(self) -> bool:
        return self.request.user.has_perm("letters.add_mpanswer")

    @cached_property
    def columns(self) -> list[Column]:
        if self.can_record and self.letter is not None:
            return [*self.base_columns, AttendedColumn("attended", label="Attended", accessor="pk")]
        return self.base_columns

    @cached_property
    def letter(self) -> LetterPage | None:
        """The letter asked for, else the current invitation campaign."""
        if self.filters is not None:
            self.filters.is_valid()
            chosen = self.filters.form.cleaned_data.get("letter")
            if chosen is not None:
                return chosen
        return default_campaign_letter()

    def get_base_queryset(self) -> QuerySet:
        if self.letter is None:
            return Constituency.objects.none()
        return campaign_rows(self.letter, self.scope)

    def order_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.letter is None:
            return queryset
        # The name breaks ties, so equal counts keep a stable order across pages.
        return queryset.order_by(self.ordering or "name", "name")

    def get_filename(self) -> str:
        return f"campaign-{self.letter.slug}" if self.letter else "campaign"

    def get_context_data(self, *args, **kwargs) -> dict:
        context = super().get_context_data(*args, **kwargs)
        if self.is_export:
            return context
        context["letter"] = self.letter
        if self.letter is None:
            return context
        figures = figures_of_rows(self.object_list)
        context.update(
            {
                "figures": figures,
                "chart": campaign_chart(figures.regions),
                "can_record": self.can_record,
                "attendance_form": AttendanceForm(initial={"letter": self.letter.pk}),
                "record_url": reverse("letters_campaign_attendance"),
                "import_url": reverse("letters_campaign_import"),
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
        path(
            "reports/campaign/attendance/",
            attendance.mark_attended,
            name="letters_campaign_attendance",
        ),
        path(
            "reports/campaign/attendance/import/",
            attendance.import_attendance,
            name="letters_campaign_import",
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


class CampaignMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        # National staff, and group editors (who see their own group's constituencies).
        return request.user.has_perm(PERMISSION) or request.user.has_perm("letters.view_mpanswer")


def campaign_menu_item() -> MenuItem:
    return CampaignMenuItem(
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
