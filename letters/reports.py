"""Admin reports for national staff: letter downloads by letter, constituency, format and day
(counts only), as a table, a small bar chart and CSV; and every constituency's letter as a ZIP,
prepared by the background worker (letters/export.py) and downloaded here.

Only users with `letters.view_letter_reports` (national staff) see the menu item or the views.
"""

import csv
import datetime
import functools
from collections.abc import Callable

from django import forms
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe
from django.views.defaults import permission_denied
from wagtail.admin.menu import MenuItem

from core.spreadsheets import spreadsheet_cell
from letters.export import abandon_stalled_exports, request_letters_zip, zip_filename
from letters.models import Constituency, DownloadFormat, LetterDownload, LetterExport, LetterPage

PERMISSION = "letters.view_letter_reports"
DEFAULT_DAYS = 30
TABLE_ROWS_MAX = 500
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


class DownloadReportFilters(forms.Form):
    letter = forms.ModelChoiceField(
        queryset=LetterPage.objects.order_by("title"), required=False, empty_label="All letters"
    )
    format = forms.ChoiceField(
        choices=[("", "All formats"), *DownloadFormat.choices], required=False
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def downloads(self):
        """The filtered download counts; the last 30 days when no dates are given."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to - datetime.timedelta(days=DEFAULT_DAYS - 1)
        rows = LetterDownload.objects.filter(date__gte=date_from, date__lte=date_to)
        if data.get("letter"):
            rows = rows.filter(letter=data["letter"])
        if data.get("format"):
            rows = rows.filter(format=data["format"])
        return rows, date_from, date_to


@report_view
def download_report(request: HttpRequest) -> HttpResponse:
    """The report page, or its CSV when `export=csv`."""
    filters = DownloadReportFilters(request.GET or None)
    rows, date_from, date_to = filters.downloads()
    table = rows.order_by("-date", "letter__title", "constituency__name", "format").values_list(
        "date", "letter__title", "constituency__name", "format", "count"
    )
    if request.GET.get("export") == "csv":
        return _csv_response(table, date_from, date_to)

    by_day = list(rows.values("date").annotate(total=Sum("count")).order_by("date"))
    busiest = max((day["total"] for day in by_day), default=0)
    by_format = list(rows.values("format").annotate(total=Sum("count")).order_by("format"))
    table_rows = list(table[: TABLE_ROWS_MAX + 1])
    query = request.GET.copy()
    query["export"] = "csv"
    return TemplateResponse(
        request,
        "letters/admin/download_report.html",
        {
            "page_title": "Letter downloads",
            "header_icon": "download",
            "filters": filters,
            "date_from": date_from,
            "date_to": date_to,
            "by_day": by_day,
            "busiest": busiest,
            "by_format": by_format,
            "total": sum(day["total"] for day in by_day),
            "rows": table_rows[:TABLE_ROWS_MAX],
            "more_rows": len(table_rows) > TABLE_ROWS_MAX,
            "csv_url": f"?{query.urlencode()}",
            "letters": LetterPage.objects.live().order_by("title"),
            "constituency_count": Constituency.objects.count(),
        },
    )


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _csv_response(table, date_from: datetime.date, date_to: datetime.date) -> HttpResponse:
    writer = csv.writer(_Echo())
    header = ["date", "letter", "constituency", "format", "downloads"]
    lines = (
        writer.writerow([spreadsheet_cell(cell) for cell in row])
        for row in [header, *([d.isoformat(), *rest] for d, *rest in table.iterator())]
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="letter-downloads-{date_from.isoformat()}-to-'
        f'{date_to.isoformat()}.csv"'
    )
    return response


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
        path("reports/letter-downloads/", download_report, name="letters_download_report"),
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


def report_permissions():
    return Permission.objects.filter(
        content_type__app_label="letters", codename="view_letter_reports"
    )
