"""Recording which MPs attended (letters/attendance.py): ticked in the campaign dashboard or
imported from a CSV file; staff for any constituency, a group's editors only for theirs,
checked on the server; one bad line or constituency and nothing is recorded."""

import datetime
import html

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from letters.models import Constituency, MPAnswer
from tests.groups.factories import national_staff_user

pytestmark = pytest.mark.django_db

MARK_URL = "/admin/reports/campaign/attendance/"
IMPORT_URL = "/admin/reports/campaign/attendance/import/"
EVENT_DAY = datetime.date(2018, 11, 12)  # Sanctuary in Parliament 2018, the demo event


@pytest.fixture
def ipswich(demo_site) -> Constituency:
    return Constituency.objects.get(slug="ipswich")


def upload(text: str | bytes, name: str = "attended.csv") -> SimpleUploadedFile:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def attended() -> list[tuple[str, str, datetime.date]]:
    return sorted(
        MPAnswer.objects.filter(answer="attended").values_list(
            "constituency__slug", "recorded_by__username", "date"
        )
    )


def test_staff_tick_mps_as_attended_on_the_events_day(client, letter_page, southampton_seats):
    staff = national_staff_user()
    client.force_login(staff)
    page = client.get("/admin/reports/campaign/")
    assert b'id="attendance-form"' in page.content
    assert (
        f'form="attendance-form" name="constituency" value="{southampton_seats[0].pk}"'.encode()
        in page.content
    )
    response = client.post(
        MARK_URL,
        {"letter": letter_page.pk, "constituency": [seat.pk for seat in southampton_seats[:2]]},
    )
    assert response.status_code == 302
    assert attended() == sorted((seat.slug, "staff", EVENT_DAY) for seat in southampton_seats[:2])
    shown = client.get(response["Location"])
    assert b"Recorded 2 MPs as attended on 12 November 2018" in shown.content


def test_ticking_again_leaves_those_already_attended_and_says_so(client, letter_page, ipswich):
    client.force_login(national_staff_user())
    client.post(MARK_URL, {"letter": letter_page.pk, "constituency": [ipswich.pk]})
    response = client.post(
        MARK_URL, {"letter": letter_page.pk, "constituency": [ipswich.pk]}, follow=True
    )
    assert MPAnswer.objects.filter(answer="attended").count() == 1
    assert b"Already recorded as attended, left as they were: Ipswich." in response.content


def test_an_editor_ticks_their_own_and_is_refused_for_another_groups(
    client, letter_page, southampton_editor, southampton_seats, ipswich
):
    client.force_login(southampton_editor)
    response = client.post(
        MARK_URL, {"letter": letter_page.pk, "constituency": [southampton_seats[0].pk]}
    )
    assert response.status_code == 302
    assert attended() == [(southampton_seats[0].slug, "southampton-editor", EVENT_DAY)]
    # One of another group's constituencies among theirs: nothing at all is recorded.
    refused = client.post(
        MARK_URL,
        {"letter": letter_page.pk, "constituency": [southampton_seats[1].pk, ipswich.pk]},
        follow=True,
    )
    assert b"Nothing was recorded." in refused.content
    assert b"only for your group" in refused.content
    assert attended() == [(southampton_seats[0].slug, "southampton-editor", EVENT_DAY)]


def test_ticking_needs_the_csrf_token(letter_page, ipswich):
    client = Client(enforce_csrf_checks=True)
    client.force_login(national_staff_user())
    response = client.post(MARK_URL, {"letter": letter_page.pk, "constituency": [ipswich.pk]})
    assert response.status_code == 403
    assert not MPAnswer.objects.exists()


def test_bad_ticks_record_nothing_and_never_fail(client, letter_page, ipswich):
    client.force_login(national_staff_user())
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    for data in [
        {"letter": letter_page.pk},
        {"letter": letter_page.pk, "constituency": ["abc"]},
        {"letter": "999999", "constituency": [ipswich.pk]},
        {"letter": letter_page.pk, "constituency": [ipswich.pk], "date": tomorrow.isoformat()},
        {"letter": letter_page.pk, "constituency": [ipswich.pk], "date": "31/02/2018"},
    ]:
        response = client.post(MARK_URL, data, follow=True)
        assert response.status_code == 200, data
        assert b"Nothing was recorded." in response.content, data
    assert client.get(MARK_URL).status_code == 405
    assert not MPAnswer.objects.exists()


def test_an_admin_user_without_the_answer_rights_cannot_record(client, letter_page, ipswich):
    user = get_user_model().objects.create_user("someone", password="x")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(user)
    response = client.post(MARK_URL, {"letter": letter_page.pk, "constituency": [ipswich.pk]})
    assert response.status_code == 403
    response = client.post(IMPORT_URL, {"letter": letter_page.pk, "file": upload("E14001302\n")})
    assert response.status_code == 403
    assert client.get("/admin/reports/campaign/").status_code == 403
    assert not MPAnswer.objects.exists()


def test_importing_codes_and_names_records_each_mp_as_attended(client, letter_page):
    client.force_login(national_staff_user())
    form = client.get(IMPORT_URL)
    assert form.status_code == 200
    assert b'enctype="multipart/form-data"' in form.content
    csv_file = "code\nE14001499\n\nsouthampton test\n  Ipswich ,extra column\n"
    response = client.post(IMPORT_URL, {"letter": letter_page.pk, "file": upload(csv_file)})
    assert response.status_code == 200
    assert b"Recorded 3 MPs as attended on 12 November 2018" in response.content
    assert attended() == [
        ("ipswich", "staff", EVENT_DAY),
        ("southampton-itchen", "staff", EVENT_DAY),
        ("southampton-test", "staff", EVENT_DAY),
    ]


def test_an_import_with_a_bad_line_records_nothing_and_names_each_line(client, letter_page):
    client.force_login(national_staff_user())
    csv_file = "E14001499\nE14009999\nSouthampton Itchen\nNarnia North\n"
    response = client.post(IMPORT_URL, {"letter": letter_page.pk, "file": upload(csv_file)})
    assert response.status_code == 400
    text = " ".join(response.content.decode().split())
    assert "Line 2: “E14009999” is not a constituency code or name we know." in text
    assert "Line 3: Southampton Itchen is already on line 1." in text
    assert "Line 4: “Narnia North” is not a constituency code or name we know." in text
    assert not MPAnswer.objects.exists()


def test_an_editor_cannot_import_another_groups_constituency(
    client, letter_page, southampton_editor
):
    client.force_login(southampton_editor)
    response = client.post(
        IMPORT_URL, {"letter": letter_page.pk, "file": upload("E14001499\nE14001302\n")}
    )
    assert response.status_code == 400
    text = html.unescape(" ".join(response.content.decode().split()))
    assert "Line 2: Ipswich is not one of your group's constituencies" in text
    assert not MPAnswer.objects.exists()
    ok = client.post(IMPORT_URL, {"letter": letter_page.pk, "file": upload("E14001499\n")})
    assert ok.status_code == 200
    assert attended() == [("southampton-itchen", "southampton-editor", EVENT_DAY)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfeE\x00", "not UTF-8"),
        (b"", "The submitted file is empty."),
        (b"code\n\n", "The file lists no constituencies."),
        (b"E14001499\x00\n", "binary data"),
        (b"E14001499\n" * 2001, "at most 2000 are read"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_message(client, letter_page, data, message):
    client.force_login(national_staff_user())
    response = client.post(IMPORT_URL, {"letter": letter_page.pk, "file": upload(data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MPAnswer.objects.exists()


def test_an_import_for_a_day_in_the_future_is_refused(client, letter_page):
    client.force_login(national_staff_user())
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        IMPORT_URL, {"letter": letter_page.pk, "date": future, "file": upload("E14001499\n")}
    )
    assert response.status_code == 400
    assert b"is in the future" in response.content
    assert not MPAnswer.objects.exists()
