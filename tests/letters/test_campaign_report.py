"""The campaign dashboard's table (letters/reports.py CampaignReportView): per constituency,
letters downloaded, invitations sent and the latest answer; sortable; CSV and XLSX; staff only."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from letters.downloads import add_to_todays_count, count_download
from letters.models import Constituency, InvitationSent, LetterPage, MPAnswer
from tests.groups.factories import national_staff_user

pytestmark = pytest.mark.django_db

REPORT_URL = "/admin/reports/campaign/"


@pytest.fixture
def letter_page(demo_site) -> LetterPage:
    return LetterPage.objects.get(slug="invite-your-mp-sanctuary-in-parliament-2018")


@pytest.fixture
def campaign(letter_page) -> dict[str, Constituency]:
    test = Constituency.objects.get(slug="southampton-test")
    itchen = Constituency.objects.get(slug="southampton-itchen")
    for _ in range(3):
        count_download(letter_page, test, "docx")
    count_download(letter_page, itchen, "pdf")
    for _ in range(2):
        add_to_todays_count(InvitationSent, letter=letter_page, constituency=itchen)
    add_to_todays_count(InvitationSent, letter=letter_page, constituency=test)
    today = timezone.localdate()
    MPAnswer.objects.create(
        letter=letter_page,
        constituency=itchen,
        answer="replied",
        date=today - datetime.timedelta(days=3),
    )
    MPAnswer.objects.create(
        letter=letter_page, constituency=itchen, answer="will-attend", date=today
    )
    return {"test": test, "itchen": itchen}


def csv_rows(client, query: str = "") -> list[list[str]]:
    response = client.get(f"{REPORT_URL}?export=csv{query}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(content)))


def test_staff_see_each_constituencys_downloads_invitations_and_latest_answer(
    client, letter_page, campaign
):
    client.force_login(national_staff_user())
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    summary = " ".join(response.content.decode().split())
    assert "4 letters downloaded, 3 invitations sent, 1 MP with an answer recorded" in summary
    rows = {row[1]: row for row in csv_rows(client)[1:]}
    assert len(rows) == Constituency.objects.count()
    today = timezone.localdate().isoformat()
    assert rows["Southampton Itchen"][4:] == ["1", "2", "Will attend", today]
    assert rows["Southampton Test"][4:] == ["3", "1", "", ""]
    assert rows["Ipswich"][4:] == ["0", "0", "", ""]


def test_the_table_sorts_by_invitations_sent(client, letter_page, campaign):
    client.force_login(national_staff_user())
    names = [row[1] for row in csv_rows(client, "&ordering=-sent")[1:]]
    assert names[:2] == ["Southampton Itchen", "Southampton Test"]
    names = [row[1] for row in csv_rows(client, "&ordering=-downloaded")[1:]]
    assert names[:2] == ["Southampton Test", "Southampton Itchen"]
    page = client.get(REPORT_URL, {"ordering": "-sent"})
    assert page.status_code == 200
    assert page.content.index(b"Southampton Itchen") < page.content.index(b"Southampton Test")


def test_xlsx_export_has_the_same_figures(client, letter_page, campaign):
    client.force_login(national_staff_user())
    response = client.get(REPORT_URL, {"export": "xlsx", "ordering": "-sent"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    first = [cell.value for cell in sheet[2]]
    assert first[1] == "Southampton Itchen"
    assert first[4:7] == [1, 2, "Will attend"]


def test_a_group_editor_is_refused_the_campaign_report(client, letter_page, campaign):
    editor = get_user_model().objects.get(username="southampton-editor")
    client.force_login(editor)
    for suffix in ["", "?export=csv", "results/"]:
        response = client.get(REPORT_URL + suffix)
        assert response.status_code == 403
        assert response.get("Content-Type", "").split(";")[0] != "text/csv"


def test_anonymous_visitors_are_sent_to_sign_in(client, letter_page):
    response = client.get(REPORT_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_odd_filters_and_orderings_show_the_report_never_an_error(client, letter_page, campaign):
    client.force_login(national_staff_user())
    for query in [
        {"letter": "abc"},
        {"letter": "999999"},
        {"region": "atlantis"},
        {"ordering": "password"},
        {"ordering": "-latest_answer"},
        {"p": "-1"},
    ]:
        assert client.get(REPORT_URL, query).status_code == 200, query


def test_region_filter_lists_only_that_regions_constituencies(client, letter_page, campaign):
    client.force_login(national_staff_user())
    names = {row[1] for row in csv_rows(client, "&region=east-of-england")[1:]}
    assert names == set(
        Constituency.objects.filter(region="east-of-england").values_list("name", flat=True)
    )
    assert "Southampton Itchen" not in names


def test_the_report_runs_the_same_queries_however_many_answers_and_counts(client, letter_page):
    client.force_login(national_staff_user())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(REPORT_URL).status_code == 200
        return len(captured)

    client.get(REPORT_URL)  # the admin's own first-request lookups
    empty = queries()
    today = timezone.localdate()
    for seat in Constituency.objects.all():
        count_download(letter_page, seat, "docx")
        add_to_todays_count(InvitationSent, letter=letter_page, constituency=seat)
        MPAnswer.objects.create(
            letter=letter_page, constituency=seat, answer="declined", date=today
        )
    assert queries() == empty
