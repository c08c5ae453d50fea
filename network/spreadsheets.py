"""Every CSV the site produces goes through `spreadsheet_cell`, so no cell runs as a formula.

Spreadsheets run a cell whose text starts with = + - or @ as a formula (`=HYPERLINK(...)`
sends the reader's click anywhere, `+cmd|...` has run programs through DDE). Excel and
LibreOffice skip leading spaces, tabs and line breaks, and read the full-width ＝ ＋ － ＠
as their ASCII twins, so those count too. A cell like that gets a leading apostrophe, the
escape OWASP recommends: the spreadsheet shows the text and runs nothing. `|` and `%` are
not formula starts on their own (they only matter after one of the above), so they pass.
Numbers, dates and empty values keep their type: -5 stays the number -5.

XLSX exports need nothing: Wagtail writes every text cell as a string cell, which Excel never
evaluates, so `FormulaSafeExportMixin` escapes only CSV.
"""

import unicodedata
from typing import Any

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
