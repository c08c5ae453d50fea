"""Staff reports: download counts (table, chart, CSV and XLSX), staff only. The all-letters
ZIP: test_letter_exports.py."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from letters.downloads import count_download
from letters.models import Constituency, LetterDownload, LetterPage

pytestmark = pytest.mark.django_db

REPORT_URL = "/admin/reports/letter-downloads/"


@pytest.fixture
def letter_page(demo_site) -> LetterPage:
    return LetterPage.objects.get(slug="invite-your-mp-sanctuary-in-parliament-2018")


def admin_user(django_user_model, username: str, *codenames: str):
    user = django_user_model.objects.create_user(username=username, password="pw")
    group = Group.objects.create(name=f"{username} group")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(codename__in=codenames),
    )
    user.groups.add(group)
    return user


@pytest.fixture
def national_staff(django_user_model):
    return admin_user(django_user_model, "national", "view_letter_reports")


@pytest.fixture
def group_editor(django_user_model):
    return admin_user(django_user_model, "editor")


def test_counting_adds_to_one_row_per_letter_constituency_format_and_day(letter_page):
    southampton_test = Constituency.objects.get(slug="southampton-test")
    for _ in range(3):
        count_download(letter_page, southampton_test, "docx")
    count_download(letter_page, southampton_test, "pdf")
    rows = LetterDownload.objects.order_by("format").values_list("format", "count", "date")
    today = timezone.localdate()
    assert list(rows) == [("docx", 3, today), ("pdf", 1, today)]


@pytest.mark.parametrize("url", [REPORT_URL, f"{REPORT_URL}?export=csv"])
def test_anonymous_visitor_cannot_see_the_report(client, letter_page, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("suffix", ["", "?export=csv"])
def test_user_without_the_reports_permission_is_refused(client, letter_page, group_editor, suffix):
    client.force_login(group_editor)
    response = client.get(REPORT_URL + suffix)
    assert response.status_code in (302, 403)
    assert response.get("Content-Type", "").split(";")[0] != "text/csv"


def test_national_staff_see_counts_and_a_bar_per_day(client, letter_page, national_staff):
    southampton_test = Constituency.objects.get(slug="southampton-test")
    today = timezone.localdate()
    LetterDownload.objects.create(
        letter=letter_page, constituency=southampton_test, format="docx", date=today, count=7
    )
    LetterDownload.objects.create(
        letter=letter_page,
        constituency=southampton_test,
        format="pdf",
        date=today - datetime.timedelta(days=1),
        count=2,
    )
    client.force_login(national_staff)
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Southampton Test" in content
    assert '<meter min="0" max="7" value="7">' in content
    assert '<meter min="0" max="7" value="2">' in content
    assert "9 downloads" in content


def test_report_runs_the_same_queries_for_few_or_many_rows(client, letter_page, national_staff):
    client.force_login(national_staff)
    constituencies = list(Constituency.objects.all())
    today = timezone.localdate()
    LetterDownload.objects.create(
        letter=letter_page, constituency=constituencies[0], format="docx", date=today, count=1
    )
    client.get(REPORT_URL)
    with CaptureQueriesContext(connection) as few:
        client.get(REPORT_URL)
    LetterDownload.objects.bulk_create(
        LetterDownload(
            letter=letter_page,
            constituency=constituency,
            format=fmt,
            date=today - datetime.timedelta(days=days),
            count=days + 1,
        )
        for constituency in constituencies
        for fmt in ("pdf", "txt")
        for days in range(5)
    )
    with CaptureQueriesContext(connection) as many:
        client.get(REPORT_URL)
    assert len(many) == len(few)


def test_csv_export_has_every_row_and_defuses_formulas(client, letter_page, national_staff):
    hostile = Constituency.objects.create(
        gss_code="E14009999", name="=HYPERLINK(1)", slug="hostile", nation="england",
        region="london",
    )  # fmt: skip
    today = timezone.localdate()
    LetterDownload.objects.create(
        letter=letter_page, constituency=hostile, format="txt", date=today, count=4
    )
    client.force_login(national_staff)
    response = client.get(REPORT_URL, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["date", "letter", "constituency", "format", "downloads"]
    assert rows[1] == [today.isoformat(), letter_page.title, "'=HYPERLINK(1)", "txt", "4"]


def add_downloads(letter_page, *days_ago_and_counts: tuple[int, int]) -> None:
    southampton_test = Constituency.objects.get(slug="southampton-test")
    today = timezone.localdate()
    for days_ago, count in days_ago_and_counts:
        LetterDownload.objects.create(
            letter=letter_page,
            constituency=southampton_test,
            format="docx",
            date=today - datetime.timedelta(days=days_ago),
            count=count,
        )


def csv_counts(response) -> list[str]:
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    return [row[4] for row in rows[1:]]


def test_the_report_shows_the_last_30_days_unless_dates_are_given(
    client, letter_page, national_staff
):
    add_downloads(letter_page, (0, 3), (29, 5), (30, 11), (200, 13))
    client.force_login(national_staff)

    default = client.get(REPORT_URL, {"export": "csv"})
    old = timezone.localdate() - datetime.timedelta(days=200)
    chosen = client.get(
        REPORT_URL, {"export": "csv", "date_from": old.isoformat(), "date_to": old.isoformat()}
    )

    assert csv_counts(default) == ["3", "5"]
    assert csv_counts(chosen) == ["13"]
    assert (
        f"letter-downloads-{old.isoformat()}-to-{old.isoformat()}.csv"
        in (chosen["Content-Disposition"])
    )
    assert "8 downloads" in client.get(REPORT_URL).content.decode()


def test_a_date_that_is_not_a_date_shows_the_default_period_not_an_error(
    client, letter_page, national_staff
):
    add_downloads(letter_page, (0, 3))
    client.force_login(national_staff)
    response = client.get(REPORT_URL, {"date_from": "2024-13-45"})
    assert response.status_code == 200
    assert "3 downloads" in response.content.decode()


def test_the_report_filters_by_format(client, letter_page, national_staff):
    add_downloads(letter_page, (0, 3))
    LetterDownload.objects.create(
        letter=letter_page,
        constituency=Constituency.objects.get(slug="southampton-test"),
        format="pdf",
        date=timezone.localdate(),
        count=4,
    )
    client.force_login(national_staff)
    response = client.get(REPORT_URL, {"export": "csv", "format": "pdf"})
    assert csv_counts(response) == ["4"]


def test_xlsx_export_has_every_row_with_dates_and_numbers_typed(
    client, letter_page, national_staff
):
    add_downloads(letter_page, (0, 3), (1, 5))
    client.force_login(national_staff)
    response = client.get(REPORT_URL, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    today = timezone.localdate()
    assert rows[0] == ["date", "letter", "constituency", "format", "downloads"]
    assert [(row[0], row[2], row[4]) for row in rows[1:]] == [
        (today, "Southampton Test", 3),
        (today - datetime.timedelta(days=1), "Southampton Test", 5),
    ]


def test_the_report_page_offers_csv_xlsx_and_each_live_letters_zip(
    client, letter_page, national_staff
):
    client.force_login(national_staff)
    html = client.get(REPORT_URL, {"format": "pdf"}).content.decode()
    assert f'action="{reverse("letters_zip", args=[letter_page.pk])}"' in html
    assert "export=csv" in html and "export=xlsx" in html
    assert 'name="date_from"' in html and 'name="date_to"' in html
