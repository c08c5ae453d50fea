"""The campaign dashboard (letters/reports.py CampaignReportView): per constituency, letters
downloaded, invitations sent, the latest answer staff recorded and what visitors reported
through the question email, sortable, CSV and XLSX; the figures per nation and region with an
SVG chart; everything for national staff, a group's own constituencies for its editors,
computed in a fixed number of queries."""

import csv
import datetime
import io
import xml.etree.ElementTree as ElementTree

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.users.models import UserProfile

from core.choices import Region
from groups.models import LocalGroupPage
from letters.downloads import add_to_todays_count, count_download
from letters.models import (
    Constituency,
    InvitationSent,
    LetterKind,
    LetterPage,
    MPAnswer,
    VisitorAnswer,
)
from letters.reports import campaign_menu_item
from tests.groups.factories import national_staff_user

pytestmark = pytest.mark.django_db

REPORT_URL = "/admin/reports/campaign/"
SVG = "{http://www.w3.org/2000/svg}"
# The dashboard's queries for national staff, whatever the number of constituencies, counts
# and answers: the session and user, the content generation, the letter filter's choices,
# the current letters, the letter, the groups filter, the page of rows and its count, the
# figures per region, the admin's menu and its own lookups.
DASHBOARD_QUERY_BUDGET = 20


@pytest.fixture
def campaign(letter_page) -> dict[str, Constituency]:
    """Known data: South East (Itchen, Test, Romsey) and East of England (Ipswich, Central
    Suffolk). Test 3 downloads and 1 invitation, no answer; Itchen 1 download, 2 invitations,
    replied then will attend; Romsey attended; Ipswich declined; Central Suffolk nothing.

    Visitors' reports through the question email (apart from staff's answers): Itchen's two
    visitors say "will attend" and "replied"; Test's say "declined" and "no reply yet";
    Ipswich's one says "will attend" (staff recorded "declined"); a visitor of another campaign
    says "will attend" for Romsey, which counts for that campaign only."""
    seats = {seat.slug: seat for seat in Constituency.objects.all()}
    test, itchen = seats["southampton-test"], seats["southampton-itchen"]
    for _ in range(3):
        count_download(letter_page, test, "docx")
    count_download(letter_page, itchen, "pdf")
    for _ in range(2):
        add_to_todays_count(InvitationSent, letter=letter_page, constituency=itchen)
    add_to_todays_count(InvitationSent, letter=letter_page, constituency=test)
    today = timezone.localdate()
    answers = [
        (itchen, "replied", today - datetime.timedelta(days=3)),
        (itchen, "will-attend", today),
        (seats["romsey-and-southampton-north"], "attended", today),
        (seats["ipswich"], "declined", today),
    ]
    for seat, answer, date in answers:
        MPAnswer.objects.create(letter=letter_page, constituency=seat, answer=answer, date=date)
    visitors = [
        (itchen, "will-attend"),
        (itchen, "replied"),
        (test, "declined"),
        (test, "no-reply"),
        (seats["ipswich"], "will-attend"),
    ]
    for seat, answer in visitors:
        VisitorAnswer.objects.create(letter=letter_page, constituency=seat, answer=answer)
    VisitorAnswer.objects.create(
        letter=other_campaigns_letter(letter_page),
        constituency=seats["romsey-and-southampton-north"],
        answer="will-attend",
    )
    return seats


def other_campaigns_letter(letter_page: LetterPage) -> LetterPage:
    """A published letter with no event, so a campaign of its own (a follow-up, so that the
    demo's invitation stays the dashboard's default)."""
    other = LetterPage(
        title="Write to your MP about asylum",
        slug="write-about-asylum",
        kind=LetterKind.FOLLOW_UP_NOT_ATTENDED,
    )
    letter_page.get_parent().add_child(instance=other)
    other.save_revision().publish()
    return other


def csv_rows(client, query: str = "") -> list[list[str]]:
    response = client.get(f"{REPORT_URL}?export=csv{query}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(content)))


def area_rows(response) -> dict[str, list[int]]:
    """The "By nation and region" table: area name -> its figures."""
    soup = BeautifulSoup(response.content, "html.parser")
    table = soup.find("table", attrs={"aria-labelledby": "campaign-areas-title"})
    return {
        row.th.get_text(strip=True): [int(cell.get_text(strip=True)) for cell in row("td")]
        for row in table.tbody("tr")
    }


def chart(response) -> ElementTree.Element:
    html = response.content.decode()
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    return ElementTree.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])


def test_staff_see_each_constituencys_downloads_invitations_and_latest_answer(
    client, letter_page, campaign
):
    client.force_login(national_staff_user())
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    summary = " ".join(response.content.decode().split())
    assert (
        "In the 5 constituencies listed: 4 letters downloaded, 3 invitations sent (to 2 MPs), "
        "3 MPs with an answer recorded: 0 replied, 1 will attend, 1 declined, 1 attended"
    ) in summary
    rows = {row[1]: row for row in csv_rows(client)[1:]}
    assert len(rows) == Constituency.objects.count()
    today = timezone.localdate().isoformat()
    # downloaded, sent, latest answer, its date, visitors say replied, visitors say will attend
    assert rows["Southampton Itchen"][4:] == ["1", "2", "Will attend", today, "2", "1"]
    assert rows["Southampton Test"][4:] == ["3", "1", "", "", "1", "0"]
    assert rows["Ipswich"][4:] == ["0", "0", "Declined", today, "1", "1"]
    assert rows["Romsey and Southampton North"][4:] == ["0", "0", "Attended", today, "0", "0"]
    assert rows["Central Suffolk and North Ipswich"][4:] == ["0", "0", "", "", "0", "0"]


def test_figures_per_nation_and_region_match_the_known_data(client, letter_page, campaign):
    client.force_login(national_staff_user())
    areas = area_rows(client.get(REPORT_URL))
    # constituencies, downloaded, sent, MPs invited, replied, will attend, declined, attended
    # (MPs by the answer staff recorded), then visitors who say replied, who say will attend
    assert areas["South East"] == [3, 4, 3, 2, 0, 1, 0, 1, 3, 1]
    assert areas["East of England"] == [2, 0, 0, 0, 0, 0, 1, 0, 1, 1]
    assert areas["England"] == [5, 4, 3, 2, 0, 1, 1, 1, 4, 2]
    assert areas["All listed"] == [5, 4, 3, 2, 0, 1, 1, 1, 4, 2]
    assert "London" not in areas  # regions with no constituency listed are left out


def test_the_chart_is_valid_svg_with_a_title_a_description_and_a_bar_per_region(
    client, letter_page, campaign
):
    client.force_login(national_staff_user())
    svg = chart(client.get(REPORT_URL))
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "per region" in title.text
    assert "table" in desc.text  # the table is the chart's text alternative
    segments = {
        rect.find(f"{SVG}title").text: float(rect.get("width")) for rect in svg.iter(f"{SVG}rect")
    }
    # South East has most seats (3), so its bar is the full 480 units: 1 attended, 1 will
    # attend, 1 invited without an answer; East of England 2 seats: 1 declined, 1 not invited.
    assert segments == {
        "South East, Attended: 1": 160.0,
        "South East, Will attend: 1": 160.0,
        "South East, Invited, no answer yet: 1": 160.0,
        "East of England, Declined: 1": 160.0,
        "East of England, No invitation recorded: 1": 160.0,
    }


def test_the_table_sorts_by_invitations_sent(client, letter_page, campaign):
    client.force_login(national_staff_user())
    names = [row[1] for row in csv_rows(client, "&ordering=-sent")[1:]]
    assert names[:2] == ["Southampton Itchen", "Southampton Test"]
    names = [row[1] for row in csv_rows(client, "&ordering=-downloaded")[1:]]
    assert names[:2] == ["Southampton Test", "Southampton Itchen"]
    page = client.get(REPORT_URL, {"ordering": "-sent"})
    assert page.status_code == 200
    assert page.content.index(b"Southampton Itchen") < page.content.index(b"Southampton Test")
    # Sort links work without JavaScript: plain links with the ordering parameter.
    assert b'href="?ordering=-sent' in page.content or b"ordering=sent" in page.content


def test_xlsx_export_has_the_same_figures(client, letter_page, campaign):
    client.force_login(national_staff_user())
    response = client.get(REPORT_URL, {"export": "xlsx", "ordering": "-sent"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    headings = [cell.value for cell in sheet[1]]
    assert headings[-2:] == ["Visitors say replied", "Visitors say will attend"]
    first = [cell.value for cell in sheet[2]]
    assert first[1] == "Southampton Itchen"
    assert first[4:7] == [1, 2, "Will attend"]
    assert first[-2:] == [2, 1]


def test_the_current_invitation_is_the_default_and_another_letter_can_be_chosen(
    client, letter_page, campaign
):
    client.force_login(national_staff_user())
    assert b"Invite your MP to Sanctuary in Parliament 2018</h2>" in client.get(REPORT_URL).content
    thanks = LetterPage.objects.get(slug="thank-your-mp-sanctuary-in-parliament-2018")
    rows = {row[1]: row for row in csv_rows(client, f"&letter={thanks.pk}")[1:]}
    # Downloads and invitations are the letter's own; answers, staff's and visitors', are the
    # event's campaign's.
    assert rows["Southampton Test"][4:6] == ["0", "0"]
    assert rows["Southampton Itchen"][6] == "Will attend"
    assert rows["Southampton Itchen"][8:] == ["2", "1"]
    other = LetterPage.objects.get(slug="write-about-asylum")
    rows = {row[1]: row for row in csv_rows(client, f"&letter={other.pk}")[1:]}
    assert rows["Romsey and Southampton North"][8:] == ["1", "1"]
    assert rows["Southampton Itchen"][8:] == ["0", "0"]


def test_a_group_editor_sees_only_their_groups_constituencies(client, letter_page, campaign):
    southampton = set(
        LocalGroupPage.objects.get(slug="southampton").constituencies.values_list("name", flat=True)
    )
    client.force_login(get_user_model().objects.get(username="southampton-editor"))
    ipswich_group = LocalGroupPage.objects.get(slug="ipswich")
    for query in ["", "&region=east-of-england", f"&group={ipswich_group.pk}"]:
        listed = {row[1] for row in csv_rows(client, query)[1:]}
        assert listed <= southampton, query
        assert "Ipswich" not in listed
    page = client.get(REPORT_URL, {"region": "east-of-england"})
    assert page.status_code == 200
    assert b"Central Suffolk" not in page.content
    assert b"Ipswich</td>" not in page.content
    areas = area_rows(client.get(REPORT_URL))
    assert "East of England" not in areas
    assert areas["All listed"][0] == len(southampton)
    # Visitors' reports too: Itchen's and Test's, not Ipswich's "will attend".
    assert areas["All listed"][8:] == [3, 1]
    workbook = client.get(REPORT_URL, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    assert {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)} == southampton


def test_visitors_reports_are_columns_of_their_own_explained_apart_from_staffs_answers(
    client, letter_page, campaign
):
    client.force_login(national_staff_user())
    response = client.get(REPORT_URL)
    soup = BeautifulSoup(response.content, "html.parser")
    headings = [th.get_text(" ", strip=True) for th in soup.select("table.listing thead th")]
    for label in ("Visitors say replied", "Visitors say will attend"):
        assert headings.count(label) == 2  # the areas' table and the constituencies'
    assert "Latest answer" in headings  # staff's answers keep their own column
    note = " ".join(soup.find(id="visitor-answers-note").get_text().split())
    assert note.startswith(
        "Visitors' own reports, through the question email's links, kept apart from the "
        "answers staff recorded: 4 said their MP replied (any answer but “No reply yet”), "
        "2 that their MP will attend."
    )
    assert "count visitors, not MPs" in note


def test_the_table_sorts_by_what_visitors_say(client, letter_page, campaign):
    client.force_login(national_staff_user())
    names = [row[1] for row in csv_rows(client, "&ordering=-visitors_replied")[1:]]
    assert names[:2] == ["Southampton Itchen", "Ipswich"]  # 2, then 1 (Ipswich before Test)
    names = [row[1] for row in csv_rows(client, "&ordering=-visitors_will_attend")[1:]]
    assert names[:2] == ["Ipswich", "Southampton Itchen"]


def test_staff_who_use_the_admin_in_welsh_get_the_visitors_columns_in_welsh(
    client, letter_page, campaign
):
    user = national_staff_user()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "cy"
    profile.save()
    client.force_login(user)
    html = client.get(REPORT_URL).content.decode()
    assert "Ymwelwyr yn dweud i’r AS ateb" in html
    assert "Ymwelwyr yn dweud y bydd yr AS yn dod" in html
    assert "dywedodd 4 i’w AS ateb" in html
    assert "Visitors say replied" not in html


def test_another_groups_editor_sees_none_of_them(client, letter_page, campaign):
    client.force_login(get_user_model().objects.get(username="ipswich-editor"))
    listed = {row[1] for row in csv_rows(client)[1:]}
    assert listed
    assert not listed & {"Southampton Itchen", "Southampton Test"}
    page = client.get(REPORT_URL)
    assert b"Southampton Itchen" not in page.content


def test_a_user_with_no_group_and_no_report_right_is_refused(client, letter_page):
    user = get_user_model().objects.create_user("someone", password="x")
    client.force_login(user)
    for suffix in ["", "?export=csv", "results/"]:
        response = client.get(REPORT_URL + suffix)
        assert response.status_code in (302, 403)
        assert response.get("Content-Type", "").split(";")[0] != "text/csv"


def test_anonymous_visitors_are_sent_to_sign_in(client, letter_page):
    for suffix in ["", "?export=csv", "attendance/import/"]:
        response = client.get(REPORT_URL + suffix)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_odd_filters_and_orderings_show_the_report_never_an_error(client, letter_page, campaign):
    client.force_login(national_staff_user())
    for query in [
        {"letter": "abc"},
        {"letter": "999999"},
        {"region": "atlantis"},
        {"group": "abc"},
        {"group": "999999"},
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


def test_group_filter_lists_the_groups_constituencies(client, letter_page, campaign):
    client.force_login(national_staff_user())
    group = LocalGroupPage.objects.get(slug="ipswich")
    names = {row[1] for row in csv_rows(client, f"&group={group.pk}")[1:]}
    assert names == set(group.constituencies.values_list("name", flat=True))


def test_the_dashboard_runs_a_fixed_number_of_queries_for_650_constituencies(client, letter_page):
    client.force_login(national_staff_user())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(REPORT_URL).status_code == 200
        return len(captured)

    client.get(REPORT_URL)  # the admin's own first-request lookups
    few = queries()
    regions = Region.values
    Constituency.objects.bulk_create(
        Constituency(
            gss_code=f"E1409{number:04d}",
            name=f"Seat {number}",
            slug=f"seat-{number}",
            nation="england",
            region=regions[number % 9],
        )
        for number in range(650 - Constituency.objects.count())
    )
    assert Constituency.objects.count() == 650
    today = timezone.localdate()
    for number, seat in enumerate(Constituency.objects.all()):
        count_download(letter_page, seat, "docx")
        add_to_todays_count(InvitationSent, letter=letter_page, constituency=seat)
        answer = MPAnswer.Answer.values[number % 4]
        MPAnswer.objects.create(letter=letter_page, constituency=seat, answer=answer, date=today)
    VisitorAnswer.objects.bulk_create(
        VisitorAnswer(letter=letter_page, constituency=seat, answer="will-attend")
        for seat in Constituency.objects.all()
    )
    client.get(REPORT_URL)  # answers start a new content generation: the current letters again
    many = queries()
    assert many == few
    assert many <= DASHBOARD_QUERY_BUDGET
    areas = area_rows(client.get(REPORT_URL))
    assert areas["All listed"][:4] == [650, 650, 650, 650]
    assert sum(areas["All listed"][4:8]) == 650
    assert areas["All listed"][8:] == [650, 650]  # visitors say replied, will attend


def test_the_campaign_menu_item_is_shown_to_staff_and_group_editors(rf, letter_page):
    item = campaign_menu_item()
    users = {
        "staff": national_staff_user(),
        "editor": get_user_model().objects.get(username="ipswich-editor"),
        "someone": get_user_model().objects.create_user("someone", password="x"),
    }
    shown = {}
    for name, user in users.items():
        request = rf.get("/admin/")
        request.user = user
        shown[name] = item.is_shown(request)
    assert shown == {"staff": True, "editor": True, "someone": False}
