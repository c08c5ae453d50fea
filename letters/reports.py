"""Admin reports for national staff: letter downloads by letter, constituency, format and day
(counts only), as a table, a small bar chart and CSV; and every constituency's letter as a ZIP.

Only users with `letters.view_letter_reports` (national staff) see the menu item or the views.
"""

import csv
import datetime

from django import forms
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail.admin.menu import MenuItem

from core.spreadsheets import spreadsheet_cell
from letters.export import iter_letters_zip, zip_filename
from letters.models import Constituency, DownloadFormat, LetterDownload, LetterPage

PERMISSION = "letters.view_letter_reports"
DEFAULT_DAYS = 30
TABLE_ROWS_MAX = 500


def require_report_permission(request: HttpRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


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


def download_report(request: HttpRequest) -> HttpResponse:
    """The report page, or its CSV when `export=csv`."""
    require_report_permission(request)
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


def letters_zip(request: HttpRequest, page_id: int) -> StreamingHttpResponse:
    """Every constituency's Word letter for one live letter page, streamed as a ZIP."""
    require_report_permission(request)
    letter_page = get_object_or_404(LetterPage.objects.live(), pk=page_id)
    response = StreamingHttpResponse(iter_letters_zip(letter_page), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{zip_filename(letter_page)}"'
    return response


class LetterReportsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PERMISSION)


def admin_urls() -> list:
    return [
        path("reports/letter-downloads/", download_report, name="letters_download_report"),
        path("reports/letter-downloads/<int:page_id>/zip/", letters_zip, name="letters_zip"),
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
