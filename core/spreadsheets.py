"""Every CSV the site produces goes through `spreadsheet_cell`, so no cell runs as a formula.

Spreadsheets run a cell whose text starts with = + - or @ as a formula (`=HYPERLINK(...)`
sends the reader's click anywhere, `+cmd|...` has run programs through DDE). Excel and
LibreOffice skip leading spaces, tabs and line breaks, and read the full-width ＝ ＋ － ＠
as their ASCII twins, so those count too. A cell like that gets a leading apostrophe, the
escape OWASP recommends: the spreadsheet shows the text and runs nothing. `|` and `%` are
not formula starts on their own (they only matter after one of the above), so they pass.
Numbers, dates and empty values keep their type: -5 stays the number -5.

XLSX exports need nothing: Wagtail writes every text cell as a string cell, which Excel never
evaluates, so `FormulaSafeExportMixin` escapes only CSV. Wagtail's own reports (site history,
locked pages...) get the mixin through `wagtail_listing_urls`; tests/security walks every URL
to check that no exporting view lacks it.
"""

import unicodedata
from typing import Any

from django.urls import URLPattern, path
from django.views import View
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.workflows import WorkflowTasksView
from wagtail.contrib.redirects.views import IndexView as RedirectIndexView

FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")  # and full-width ＝ ＋ － ＠
# Space and line/paragraph separators (Z*), controls (Cc) and invisible format marks (Cf,
# e.g. a zero-width space or a byte-order mark) before the first visible character.
SKIPPED_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def first_visible_character(text: str) -> str:
    for character in text:
        if unicodedata.category(character) not in SKIPPED_CATEGORIES:
            return character
    return ""


def spreadsheet_cell(value: Any) -> Any:
    """The value as a spreadsheet should hold it: text that would run as a formula escaped."""
    if not isinstance(value, str):
        return value
    if first_visible_character(value) in FORMULA_STARTS:
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """For views with Wagtail's `SpreadsheetExportMixin`: CSV cells go through `spreadsheet_cell`.

    `preprocess_field_value` is the mixin's documented hook for how a value is written.
    """

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return spreadsheet_cell(value)
        return value


# Wagtail's own admin listings export page titles, usernames, log messages and redirect
# targets that editors wrote; they are served by these subclasses (same views, same URLs,
# listed in config/urls.py before Wagtail's admin URLs) so their CSV goes through
# `spreadsheet_cell` too. A listing exports from its page and from its "results/" route.
# The locked pages and workflow reports are served narrowed to an editor's pages, and escaped
# the same way, by groups/admin_views.py.
WAGTAIL_EXPORTING_LISTINGS = {
    "reports/workflow_tasks/": WorkflowTasksView,
    "reports/site-history/": LogEntriesView,
    "reports/aging-pages/": AgingPagesView,
    "redirects/": RedirectIndexView,
}


def formula_safe(view_class: type[View]) -> type[View]:
    return type(view_class.__name__, (FormulaSafeExportMixin, view_class), {})


def wagtail_listing_urls(prefix: str) -> list[URLPattern]:
    """Wagtail's exporting listings, their CSV escaped; to be listed before Wagtail's admin."""
    return [
        path(f"{prefix}{route}{results}", formula_safe(view_class).as_view(results_only=only))
        for route, view_class in WAGTAIL_EXPORTING_LISTINGS.items()
        for results, only in (("", False), ("results/", True))
    ]
