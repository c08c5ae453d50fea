"""Follow-up letters that follow (letters/campaign.py, letters/letter_views.py): after the
event, each constituency gets the thanks-for-coming letter where its MP's latest answer is
"attended", the follow-up after not attending otherwise, with `{mp_answer}` in words."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from letters.models import Constituency, EmailSignup, InvitationSent, LetterPage, MPAnswer
from letters.placeholders import placeholder_errors

pytestmark = pytest.mark.django_db

THANKS = "/letters/thank-your-mp-sanctuary-in-parliament-2018/"
FOLLOW_UP = "/letters/follow-up-your-mp-sanctuary-in-parliament-2018/"
EVENT_DAY = datetime.date(2018, 11, 12)


@pytest.fixture
def invitation(demo_site) -> LetterPage:
    return LetterPage.objects.get(slug="invite-your-mp-sanctuary-in-parliament-2018")


@pytest.fixture
def itchen(demo_site) -> Constituency:
    return Constituency.objects.get(slug="southampton-itchen")


def record(invitation, constituency, answer: str, date=EVENT_DAY) -> None:
    MPAnswer.objects.create(letter=invitation, constituency=constituency, answer=answer, date=date)


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


def test_without_attendance_every_constituency_gets_the_follow_up(client, invitation, itchen):
    response = client.get(f"{THANKS}southampton-itchen/")
    assert response.status_code == 302
    assert response["Location"] == f"{FOLLOW_UP}southampton-itchen/"
    letter = client.get(response["Location"])
    assert letter.status_code == 200
    assert "I wrote to invite you to Sanctuary in Parliament 2018." in text_of(letter)


def test_an_mp_recorded_as_attended_gets_the_thanks(client, invitation, itchen):
    record(invitation, itchen, "will-attend", EVENT_DAY - datetime.timedelta(days=20))
    record(invitation, itchen, "attended")
    response = client.get(f"{FOLLOW_UP}southampton-itchen/")
    assert response.status_code == 302
    assert response["Location"] == f"{THANKS}southampton-itchen/"
    letter = client.get(response["Location"])
    assert letter.status_code == 200
    assert "Thank you for coming to Sanctuary in Parliament 2018." in text_of(letter)
    # The neighbouring seat, with no answer, still gets the follow-up.
    assert client.get(f"{THANKS}southampton-test/")["Location"] == f"{FOLLOW_UP}southampton-test/"


def test_attendance_recorded_after_a_page_was_cached_is_followed_at_once(
    client, invitation, itchen
):
    first = client.get(f"{FOLLOW_UP}southampton-itchen/")
    assert first.status_code == 200
    assert client.get(f"{FOLLOW_UP}southampton-itchen/")["X-Page-Cache"] == "hit"
    record(invitation, itchen, "attended")
    assert client.get(f"{FOLLOW_UP}southampton-itchen/").status_code == 302


@pytest.mark.parametrize(
    ("answer", "sentence"),
    [
        ("declined", "Thank you for letting us know that you could not come to Sanctuary in "
         "Parliament 2018."),
        ("will-attend", "Thank you for letting us know that you hoped to come to Sanctuary in "
         "Parliament 2018."),
        ("replied", "Thank you for replying to my invitation to Sanctuary in Parliament 2018."),
    ],
)  # fmt: skip
def test_the_follow_up_says_what_the_mp_answered(client, invitation, itchen, answer, sentence):
    record(invitation, itchen, answer)
    assert sentence in text_of(client.get(f"{FOLLOW_UP}southampton-itchen/"))
    download = client.get(f"{FOLLOW_UP}southampton-itchen/txt/")
    assert download.status_code == 200
    assert sentence in " ".join(download.content.decode().split())


def test_the_latest_answer_counts(client, invitation, itchen):
    record(invitation, itchen, "attended", EVENT_DAY)
    record(invitation, itchen, "declined", EVENT_DAY + datetime.timedelta(days=1))  # corrected
    assert client.get(f"{FOLLOW_UP}southampton-itchen/").status_code == 200


def test_downloads_and_the_personalise_form_lead_to_the_right_letter(client, invitation, itchen):
    record(invitation, itchen, "attended")
    for route in ["docx/", "pdf/", "txt/", "personalise/"]:
        response = client.get(f"{FOLLOW_UP}southampton-itchen/{route}")
        assert response.status_code == 302, route
        assert response["Location"] == f"{THANKS}southampton-itchen/{route}"
    # A POST (name and address for the letter) is sent on with its body: 307.
    posted = client.post(f"{FOLLOW_UP}southampton-itchen/docx/", {"name": "A Visitor"})
    assert posted.status_code == 307
    assert posted["Location"] == f"{THANKS}southampton-itchen/docx/"
    thanks = client.post(posted["Location"], {"name": "A Visitor", "address": "1 High St"})
    assert thanks.status_code == 200
    assert thanks["Content-Disposition"].startswith('attachment; filename="thank-your-mp-')


def test_the_invitation_is_never_redirected(client, invitation, itchen):
    record(invitation, itchen, "attended")
    response = client.get(f"{invitation.url}southampton-itchen/")
    assert response.status_code == 200
    assert "{mp_answer}" not in text_of(response)


def test_the_right_letter_unpublished_serves_the_one_asked_for(client, invitation, itchen):
    record(invitation, itchen, "attended")
    LetterPage.objects.get(slug="thank-your-mp-sanctuary-in-parliament-2018").unpublish()
    response = client.get(f"{FOLLOW_UP}southampton-itchen/")
    assert response.status_code == 200
    assert "Thank you for coming to Sanctuary in Parliament 2018." in text_of(response)


def test_the_api_letter_fills_in_the_answer(client, invitation, itchen):
    record(invitation, itchen, "attended")
    response = client.get(
        "/api/v3/letters/thank-your-mp-sanctuary-in-parliament-2018/southampton-itchen/"
    )
    texts = [block.get("text") for block in response.json()["blocks"]]
    assert any(text and text.startswith("Thank you for coming to") for text in texts)


def test_mp_answer_is_a_known_placeholder_and_a_misspelling_is_refused(invitation):
    assert placeholder_errors("Dear MP, {mp_answer}") == []
    assert placeholder_errors("{mp_answers}")
    invitation.national_paragraph = "{mp_answer} and {mp_anwser}"
    with pytest.raises(ValidationError) as raised:
        invitation.full_clean()
    assert "{mp_anwser}" in str(raised.value)
    assert "{mp_answer}" in LetterPage._meta.get_field("national_paragraph").help_text


@pytest.mark.parametrize("letter", [FOLLOW_UP, THANKS])
def test_a_follow_up_letter_counts_no_invitation_and_takes_no_address(client, letter, demo_site):
    """Only an invitation is counted as sent and takes an address: a follow-up letter's emails
    would ask whether the MP will attend an event that has passed, its counter would say
    people had invited their MP, and its addresses would have no close to be deleted at."""
    for route in ("sent/", "email/"):
        for method in (client.get, client.post):
            response = method(
                f"{letter}southampton-test/{route}", {"email": "a@example.org", "consent": "on"}
            )
            assert response.status_code == 404, (method, route)
    assert EmailSignup.objects.count() == 0
    assert InvitationSent.objects.count() == 0
    for page in (letter, f"{letter}southampton-test/"):
        response = client.get(page, follow=True)
        assert response.status_code == 200
        html = response.content.decode()
        assert "/sent/" not in html and "invited their MP" not in html
        assert "be the first" not in html
