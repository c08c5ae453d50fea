"""Staff reports: download counts (table, chart, CSV), staff only. The all-letters ZIP:
test_letter_exports.py."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
