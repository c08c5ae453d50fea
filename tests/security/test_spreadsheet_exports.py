"""No exported cell runs as a spreadsheet formula: every CSV the site produces (the letter
downloads report, the constituencies listing, Wagtail's reports and redirects, found by
walking the URLs) goes through `spreadsheet_cell`, tested with the issue's payloads."""

import csv
import io

import openpyxl
import pytest
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.log_actions import log
from wagtail.models import Page

from core.spreadsheets import FormulaSafeExportMixin, spreadsheet_cell
from letters.models import Constituency, LetterDownload, LetterPage
from tests.groups.factories import national_staff_user

pytestmark = pytest.mark.django_db

# Text that a spreadsheet would run, and the cell it must become.
FORMULAS = {
    "equals": ('=HYPERLINK("http://example.org","x")', '\'=HYPERLINK("http://example.org","x")'),
    "plus DDE": ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    "minus": ("-2+3", "'-2+3"),
    "at": ("@SUM(1,2)", "'@SUM(1,2)"),
    "leading space": (" =1+1", "' =1+1"),
    "leading NBSP": ("\u00a0=1+1", "'\u00a0=1+1"),
    "leading tab": ("\t=1+1", "'\t=1+1"),
    "leading LF": ("\n=1+1", "'\n=1+1"),
    "leading CR": ("\r=1+1", "'\r=1+1"),
    "leading ideographic space": ("\u3000=1+1", "'\u3000=1+1"),
    "leading zero-width space": ("\u200b=1+1", "'\u200b=1+1"),
    "full-width equals": ("\uff1d1+1", "'\uff1d1+1"),
    "full-width plus": ("\uff0b1+1", "'\uff0b1+1"),
    "full-width minus": ("\uff0d1+1", "'\uff0d1+1"),
    "full-width at": ("\uff20SUM(1,2)", "'\uff20SUM(1,2)"),
}
HARMLESS = {
    "name": "Holborn and St Pancras",
    "equals inside": "a=b",
    "pipe": "|x",
    "percent": "%x",
    "empty": "",
}
CASES = {
    **FORMULAS,
    **{name: (text, text) for name, text in HARMLESS.items()},
}


@pytest.mark.parametrize(("text", "cell"), CASES.values(), ids=CASES.keys())
def test_spreadsheet_cell_escapes_exactly_the_formulas(text, cell):
    assert spreadsheet_cell(text) == cell


@pytest.mark.parametrize("number", [-5, 0, 12, -2.5, None])
def test_numbers_stay_numbers(number):
    assert spreadsheet_cell(number) == number


def hostile_constituencies() -> dict[str, Constituency]:
    """A constituency per case, named with its payload (as a bad import or edit could)."""
    return {
        name: Constituency.objects.create(
            gss_code=f"E149{number:05d}",
            name=text,
            slug=f"hostile-{number}",
            nation="england",
            region="london",
            current_mp_party=text,
            current_mp_member_id=90000 + number,
        )
        for number, (name, (text, _)) in enumerate(CASES.items())
    }


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content, newline="")))


@pytest.fixture
def staff_client(client, demo_site):
    client.force_login(national_staff_user())
    return client


def test_constituencies_csv_export_escapes_every_formula(staff_client):
    constituencies = hostile_constituencies()
    response = staff_client.get(reverse("constituencies:index"), {"export": "csv"})
    assert response.status_code == 200
    rows = csv_rows(response)
    header = rows[0]
    by_code = {row[header.index("GSS code")]: row for row in rows[1:]}
    for name, (_, cell) in CASES.items():
        row = by_code[constituencies[name].gss_code]
        assert row[header.index("Name")] == cell, name
        assert row[header.index("MP party")] == cell, name
        assert row[header.index("Members API id")] == str(constituencies[name].current_mp_member_id)


def test_constituencies_xlsx_export_keeps_text_as_text_and_numbers_as_numbers(staff_client):
    constituencies = hostile_constituencies()
    response = staff_client.get(reverse("constituencies:index"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    by_code = {row[header.index("GSS code")].value: row for row in rows[1:]}
    for name, (text, _) in CASES.items():
        row = by_code[constituencies[name].gss_code]
        name_cell = row[header.index("Name")]
        # A string cell is never evaluated: the text is kept exactly, with no apostrophe.
        assert (name_cell.value or "") == text, name
        assert name_cell.data_type in ("s", "inlineStr"), name  # not "f", a formula
        member_id = row[header.index("Members API id")]
        assert (member_id.value, member_id.data_type) == (90000 + list(CASES).index(name), "n")


def test_letter_downloads_csv_escapes_every_formula(staff_client):
    letter_page = LetterPage.objects.live().first()
    constituencies = hostile_constituencies()
    today = timezone.localdate()
    for count, constituency in enumerate(constituencies.values(), start=1):
        LetterDownload.objects.create(
            letter=letter_page, constituency=constituency, format="txt", date=today, count=count
        )
    response = staff_client.get(reverse("letters_download_report"), {"export": "csv"})
    assert response.status_code == 200
    rows = csv_rows(response)
    assert rows[0] == ["date", "letter", "constituency", "format", "downloads"]
    cells = {int(row[4]): row[2] for row in rows[1:]}
    for count, (name, (_, cell)) in enumerate(CASES.items(), start=1):
        assert cells[count] == cell, name


def exporting_routes(patterns=None, prefix: str = "") -> list[tuple[str, type]]:
    """Every URL route served by a view with Wagtail's spreadsheet export and fields to export."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += exporting_routes(pattern.url_patterns, route)
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None or not issubclass(view_class, SpreadsheetExportMixin):
            continue
        if pattern.callback.view_initkwargs.get("list_export", view_class.list_export):
            found.append((route, view_class))
    return found


def test_the_walk_finds_wagtails_listings_and_ours():
    routes = {route for route, _ in exporting_routes()}
    assert {"admin/reports/site-history/", "admin/redirects/", "admin/constituencies/"} <= routes


@pytest.mark.parametrize("route", sorted({route for route, _ in exporting_routes()}))
def test_every_exporting_route_is_served_with_escaped_csv(route):
    assert "<" not in route, f"{route}: a route with parameters needs its own test here"
    served_by = resolve(f"/{route}").func.view_class
    assert issubclass(served_by, FormulaSafeExportMixin), f"/{route} exports unescaped CSV"


def test_site_history_csv_export_escapes_every_formula(staff_client, django_user_model):
    page = Page.objects.filter(depth=2).first()
    for text, _ in CASES.values():
        log(instance=page, action="wagtail.edit", title=text)
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    staff_client.force_login(admin)
    response = staff_client.get(reverse("wagtailadmin_reports:site_history"), {"export": "csv"})
    assert response.status_code == 200
    rows = csv_rows(response)
    names = [row[rows[0].index("Name")] for row in rows[1:]]
    for name, (_, cell) in CASES.items():
        if cell:
            assert cell in names, name
