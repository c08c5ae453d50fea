"""A letter campaign's open and close dates (LetterPage.opens_at / closes_at, defaulting from
its event): a closed invitation is never offered as current by any page or API answer, and
closing, a moment on the clock rather than a publish, changes what the page cache serves."""

import datetime

import pytest
from django.core.cache import cache

from events.models import EventPage
from letters.models import LetterKind, LetterPage, Postcode, next_campaign_change
from tests.conftest import DEMO_LETTER_SLUG

pytestmark = pytest.mark.django_db

LETTER_URL = f"/letters/{DEMO_LETTER_SLUG}/"
PREVIEW_URL = LETTER_URL + "southampton-itchen/"
NOW = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)
# Within the page cache's 10 minutes, and the same day: only the close itself can end a copy.
CLOSES = NOW + datetime.timedelta(minutes=5)

# Every answer that offers a letter as current, and how it links to the demo invitation.
OFFERING_ANSWERS = [
    ("/near/?postcode=SO14+7LY", f'href="{PREVIEW_URL}"'),
    ("/api/v3/near/?postcode=SO14+7LY", None),
    ("/find-your-mp/?q=Ipswich", f'href="{LETTER_URL}ipswich/"'),
    ("/", f'href="{LETTER_URL}"'),
]


@pytest.fixture
def so14(demo_site) -> None:
    """SO14 7LY (Southampton Itchen) in the imported postcode table: no service is asked."""
    Postcode.objects.create(
        postcode="SO14 7LY", gss_code="E14001499", latitude=50.90395, longitude=-1.39779
    )


@pytest.fixture
def invitation(demo_site) -> LetterPage:
    return LetterPage.objects.get(slug=DEMO_LETTER_SLUG)


def offers(client, url: str, link: str | None) -> bool:
    """Whether the answer offers the letter as current: a link to it, or in the API (link
    None) an item of `letters`."""
    response = client.get(url)
    assert response.status_code == 200, url
    if link is None:
        return any(
            letter["preview_url"].endswith(PREVIEW_URL) for letter in response.json()["letters"]
        )
    return link in response.content.decode()


def index_lists(client) -> tuple[str, str]:
    """The letters index split in two: (current campaigns, closed campaigns)."""
    page = client.get("/letters/").content.decode()
    current, _, closed = page.partition('id="closed-campaigns"')
    return current, closed


def test_demo_2018_invitation_is_closed_and_offered_nowhere_as_current(client, so14, invitation):
    assert (
        invitation.campaign_closes == EventPage.objects.get(slug="sanctuary-in-parliament-2018").end
    )
    assert invitation.is_closed and not invitation.is_open
    for url, link in OFFERING_ANSWERS:
        assert not offers(client, url, link), url
    current, closed = index_lists(client)
    # The event's follow-up letters are the current campaign now.
    assert LETTER_URL not in current and "/letters/follow-up-" in current
    assert LETTER_URL in closed and "This campaign closed on 12 November 2018" in closed
    note = "This campaign closed on 12 November 2018; the event has passed."
    for url in (LETTER_URL, PREVIEW_URL, PREVIEW_URL + "sent/"):
        assert note in client.get(url).content.decode(), url
    # The preview is kept as a record: its downloads are labelled archived, and "I've sent
    # it" and the email sign-up are not offered.
    preview = client.get(PREVIEW_URL).content.decode()
    assert "Download the archived letter" in preview and "I've sent my letter" not in preview
    sent = client.get(PREVIEW_URL + "sent/").content.decode()
    assert 'id="email-title"' not in sent


def test_an_open_campaign_is_offered_until_it_closes_then_nowhere_with_no_publish(
    client, so14, invitation, time_machine
):
    time_machine.move_to(NOW, tick=False)
    invitation.closes_at = CLOSES
    invitation.save(update_fields=["closes_at"])
    cache.clear()
    assert next_campaign_change() == CLOSES
    for url, link in OFFERING_ANSWERS:
        assert offers(client, url, link), url
        assert offers(client, url, link), url  # now from the page cache
    assert client.get(OFFERING_ANSWERS[0][0])["X-Page-Cache"] == "hit"
    assert LETTER_URL in index_lists(client)[0]
    assert "This campaign closed" not in client.get(LETTER_URL).content.decode()

    time_machine.move_to(CLOSES + datetime.timedelta(seconds=1), tick=False)
    for url, link in OFFERING_ANSWERS:
        assert not offers(client, url, link), url
    current, closed = index_lists(client)
    assert LETTER_URL not in current and LETTER_URL in closed
    assert "This campaign closed on 1 March 2027" in client.get(LETTER_URL).content.decode()


def test_a_request_the_page_cache_does_not_see_reads_no_current_letter_after_the_close(
    client, invitation, time_machine, django_user_model
):
    """An editor's request skips the page cache, yet reads the current letters kept for the
    content generation: the close starts a new generation for it too."""
    time_machine.move_to(NOW, tick=False)
    invitation.closes_at = CLOSES
    invitation.save(update_fields=["closes_at"])
    link = f'href="{LETTER_URL}ipswich/"'
    assert offers(client, "/find-your-mp/?q=Ipswich", link)  # builds the kept value
    client.force_login(django_user_model.objects.create_user("reader", password="x" * 20))
    assert offers(client, "/find-your-mp/?q=Ipswich", link)
    time_machine.move_to(CLOSES + datetime.timedelta(seconds=1), tick=False)
    assert not offers(client, "/find-your-mp/?q=Ipswich", link)


def test_a_campaign_not_yet_open_is_not_offered_until_its_open_date(
    client, invitation, time_machine
):
    time_machine.move_to(NOW, tick=False)
    invitation.opens_at = NOW + datetime.timedelta(minutes=1)
    invitation.closes_at = CLOSES
    invitation.save(update_fields=["opens_at", "closes_at"])
    link = f'href="{LETTER_URL}ipswich/"'
    assert next_campaign_change() == invitation.opens_at
    assert not offers(client, "/find-your-mp/?q=Ipswich", link)
    time_machine.move_to(NOW + datetime.timedelta(minutes=2), tick=False)
    assert offers(client, "/find-your-mp/?q=Ipswich", link)


def test_a_closed_invitation_points_to_the_follow_up_letters_of_its_event(client, invitation):
    follow_up = invitation.get_parent().add_child(
        instance=LetterPage(
            title="Meet your MP after Sanctuary in Parliament 2018",
            slug="meet-your-mp-2018",
            kind=LetterKind.FOLLOW_UP_NOT_ATTENDED,
            event=invitation.event,
        )
    )
    # A follow-up opens when its event ends and stays open until staff close it.
    assert follow_up.campaign_opens == invitation.event.end and follow_up.is_open
    page = client.get(LETTER_URL).content.decode()
    assert "use the follow-up letter" in page
    assert 'href="/letters/meet-your-mp-2018/"' in page
    assert offers(client, "/find-your-mp/?q=Ipswich", 'href="/letters/meet-your-mp-2018/ipswich/"')
    assert "/letters/meet-your-mp-2018/" in index_lists(client)[0]


THANKS = "/letters/thank-your-mp-sanctuary-in-parliament-2018/"
FOLLOW_UP = "/letters/follow-up-your-mp-sanctuary-in-parliament-2018/"


@pytest.mark.parametrize(
    ("url", "constituency_slug"),
    [
        ("/near/?postcode=SO14+7LY", "southampton-itchen"),
        ("/api/v3/near/?postcode=SO14+7LY", "southampton-itchen"),
        ("/find-your-mp/?q=Ipswich", "ipswich"),
    ],
)
def test_each_constituency_is_offered_only_the_follow_up_its_mps_answer_calls_for(
    client, so14, invitation, url, constituency_slug
):
    """Both follow-ups of the demo event are open; a constituency whose MP came is offered the
    thanks, every other one the follow-up (the letter page itself would redirect to it)."""
    from letters.models import Constituency, MPAnswer

    def offered() -> set[str]:
        body = client.get(url).content.decode()
        return {letter for letter in (THANKS, FOLLOW_UP) if letter + constituency_slug in body}

    assert offered() == {FOLLOW_UP}
    MPAnswer.objects.create(
        letter=invitation,  # an answer recorded on the invitation counts for its whole event
        constituency=Constituency.objects.get(slug=constituency_slug),
        answer=MPAnswer.Answer.ATTENDED,
        date=invitation.event.start.date(),
    )
    cache.clear()
    assert offered() == {THANKS}
