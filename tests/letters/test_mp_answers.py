"""MPs' answers (letters/viewsets.py): national staff record any; a group's editors only for
the constituencies their group covers, refused on the server for every other one."""

import datetime

import pytest
from django.utils import timezone

from letters.models import Constituency, LetterPage, MPAnswer
from tests.groups.factories import national_staff_user

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/mp-answers/new/"
INDEX_URL = "/admin/mp-answers/"


@pytest.fixture
def other_seat(demo_site, southampton_seats) -> Constituency:
    return Constituency.objects.exclude(pk__in=[seat.pk for seat in southampton_seats]).first()


def answer_form(letter_page: LetterPage, constituency: Constituency, **extra) -> dict:
    return {
        "letter": letter_page.pk,
        "constituency": constituency.pk,
        "answer": "will-attend",
        "date": timezone.localdate().isoformat(),
        **extra,
    }


def answer_for(letter_page, constituency, user=None) -> MPAnswer:
    return MPAnswer.objects.create(
        letter=letter_page,
        constituency=constituency,
        answer="replied",
        date=timezone.localdate(),
        recorded_by=user,
    )


def test_southampton_editor_records_an_answer_for_southampton(
    client, letter_page, southampton_editor, southampton_seats
):
    client.force_login(southampton_editor)
    form = client.get(ADD_URL)
    assert form.status_code == 200
    for seat in southampton_seats:
        assert f'<option value="{seat.pk}"'.encode() in form.content
    response = client.post(ADD_URL, answer_form(letter_page, southampton_seats[0]))
    assert response.status_code == 302
    answer = MPAnswer.objects.get()
    assert (answer.constituency, answer.answer) == (southampton_seats[0], "will-attend")
    assert answer.recorded_by == southampton_editor
    assert answer.recorded_at is not None


def test_southampton_editor_is_refused_for_another_groups_constituency(
    client, letter_page, southampton_editor, other_seat
):
    client.force_login(southampton_editor)
    assert f'<option value="{other_seat.pk}"'.encode() not in client.get(ADD_URL).content
    response = client.post(ADD_URL, answer_form(letter_page, other_seat))
    assert response.status_code == 200  # the form again, with the error
    assert b"Select a valid choice" in response.content
    assert not MPAnswer.objects.exists()


def test_southampton_editor_cannot_see_edit_or_delete_another_groups_answers(
    client, letter_page, southampton_editor, other_seat, southampton_seats
):
    theirs = answer_for(letter_page, other_seat)
    ours = answer_for(letter_page, southampton_seats[0])
    client.force_login(southampton_editor)
    listing = client.get(INDEX_URL)
    assert listing.status_code == 200
    assert other_seat.name.encode() not in listing.content
    assert southampton_seats[0].name.encode() in listing.content
    for action in ["edit", "delete", "history", "history-results", "usage"]:
        url = f"{INDEX_URL}{action}/{theirs.pk}/"
        assert client.get(url).status_code == 403, action
        assert client.post(url, answer_form(letter_page, other_seat)).status_code == 403
    # Moving their own answer to another group's seat is refused too.
    moved = client.post(f"{INDEX_URL}edit/{ours.pk}/", answer_form(letter_page, other_seat))
    assert b"Select a valid choice" in moved.content
    theirs.refresh_from_db()
    ours.refresh_from_db()
    assert (theirs.constituency, theirs.answer) == (other_seat, "replied")
    assert ours.constituency == southampton_seats[0]
    assert MPAnswer.objects.count() == 2


def test_national_staff_record_for_every_constituency(client, letter_page, demo_site):
    staff = national_staff_user()
    client.force_login(staff)
    seats = list(Constituency.objects.all())
    for seat in seats:
        assert client.post(ADD_URL, answer_form(letter_page, seat)).status_code == 302
    assert MPAnswer.objects.filter(recorded_by=staff).count() == len(seats)
    other = MPAnswer.objects.first()
    edit = client.post(
        f"{INDEX_URL}edit/{other.pk}/",
        answer_form(letter_page, other.constituency, answer="attended"),
    )
    assert edit.status_code == 302


def test_a_date_in_the_future_is_refused_with_a_message(client, letter_page, southampton_seats):
    client.force_login(national_staff_user())
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        ADD_URL, answer_form(letter_page, southampton_seats[0], date=tomorrow.isoformat())
    )
    assert b"The date cannot be in the future." in response.content
    assert not MPAnswer.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, letter_page):
    response = client.get(ADD_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_answer_that_does_not_exist_is_not_found(client, letter_page):
    client.force_login(national_staff_user())
    for url in [f"{INDEX_URL}edit/999999/", f"{INDEX_URL}edit/abc/", f"{INDEX_URL}delete/0/"]:
        assert client.get(url).status_code == 404
