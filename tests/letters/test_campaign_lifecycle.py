"""A letter campaign's open and close dates (LetterPage.opens_at / closes_at, defaulting from
its event): a closed invitation is never offered as current by any page or API answer, and
closing, a moment on the clock rather than a publish, changes what the page cache serves."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Locale

from events.models import EventPage
from letters.models import (
    LetterDownload,
    LetterKind,
    LetterPage,
    Postcode,
    next_campaign_change,
)
from tests.campaign_day import DEMO_LETTER_SLUG

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
    # The preview is kept as a record: no download, no way to send it (personalise, email),
    # and no "I've sent it" or email sign-up.
    preview = client.get(PREVIEW_URL).content.decode()
    for offer in (*SENDING_OFFERS, "I've sent my letter"):
        assert offer not in preview, offer
    assert "kept as a record" in preview and 'id="preview-title"' in preview
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


# What a preview offers for sending the letter: its files, the form, the email to the MP.
SENDING_OFFERS = ['id="download-title"', "/docx/", "/personalise/", "subject=", 'id="send-title"']
CLOSED_REFUSALS = [
    ("get", PREVIEW_URL + "docx/", {}),
    ("get", PREVIEW_URL + "pdf/", {}),
    ("get", PREVIEW_URL + "txt/", {}),
    ("get", PREVIEW_URL + "pdf/?language=en", {}),
    ("post", PREVIEW_URL + "txt/", {"name": "Ada", "address": "1 High Street"}),
    ("post", PREVIEW_URL, {"name": "Ada", "address": "1 High Street"}),
    ("get", PREVIEW_URL + "personalise/", {}),
    ("get", "/cy" + PREVIEW_URL + "docx/", {}),
]


@pytest.mark.parametrize(("method", "url", "data"), CLOSED_REFUSALS)
def test_a_closed_campaigns_letter_is_never_downloaded_and_nothing_is_counted(
    client, invitation, method, url, data
):
    """After the close the letter is a record, not a letter to send: every file, format,
    language and personalised download answers 410 with the archive note and the follow-up
    letters, and nothing is counted."""
    assert invitation.is_closed
    response = getattr(client, method)(url, data)
    assert response.status_code == 410
    page = response.content.decode()
    assert "closed on 12 November 2018" in page or "12 Tachwedd 2018" in page
    assert FOLLOW_UP in page and "Ada" not in page
    assert "no-cache" in response["Cache-Control"]
    assert not LetterDownload.objects.filter(letter=invitation).exists()


def test_a_download_served_until_the_close_is_refused_from_the_close_on(
    client, invitation, time_machine
):
    """A moment on the clock, not a publish, ends the downloads; the preview, from the page
    cache before the close, stops offering them at the close as well."""
    time_machine.move_to(NOW, tick=False)
    invitation.closes_at = CLOSES
    invitation.save(update_fields=["closes_at"])
    cache.clear()
    assert client.get(PREVIEW_URL + "docx/").status_code == 200
    for _ in range(2):  # the second from the page cache
        assert 'id="download-title"' in client.get(PREVIEW_URL).content.decode()
    downloads = LetterDownload.objects.get(letter=invitation)

    time_machine.move_to(CLOSES + datetime.timedelta(seconds=1), tick=False)
    assert client.get(PREVIEW_URL + "docx/").status_code == 410
    assert 'id="download-title"' not in client.get(PREVIEW_URL).content.decode()
    downloads.refresh_from_db()
    assert downloads.count == 1
    api = client.get(f"/api/v3/letters/{DEMO_LETTER_SLUG}/southampton-itchen/").json()
    assert api["downloads"] is None and api["preview_url"].endswith(PREVIEW_URL)


def test_a_follow_up_letter_staff_have_closed_is_not_downloaded_either(client, demo_site):
    """Any letter whose campaign has closed, not only an invitation: staff close the follow-up
    (the right one for a constituency whose MP's answer is not recorded)."""
    follow_up = LetterPage.objects.get(slug=FOLLOW_UP.strip("/").rsplit("/", 1)[-1])
    assert client.get(FOLLOW_UP + "southampton-itchen/txt/").status_code == 200
    follow_up.closes_at = datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    follow_up.save(update_fields=["closes_at"])
    assert client.get(FOLLOW_UP + "southampton-itchen/txt/").status_code == 410
    preview = client.get(FOLLOW_UP + "southampton-itchen/").content.decode()
    assert 'id="download-title"' not in preview and "closed on 1 January 2019" in preview


@pytest.fixture
def welsh_copy(open_invitation) -> LetterPage:
    """The invitation's Welsh translation, published, open as the English is."""
    welsh = open_invitation.copy_for_translation(
        Locale.objects.get(language_code="cy"), copy_parents=True
    )
    welsh.save_revision().publish()
    return welsh


WELSH_PREVIEW = "/cy" + PREVIEW_URL


def refusals_through_the_welsh_copy(client) -> list[int]:
    """What the Welsh copy answers for a file, a personalised file, "sent" and an address."""
    return [
        client.get(WELSH_PREVIEW + "txt/?language=en").status_code,
        client.post(WELSH_PREVIEW + "docx/", {"name": "Ada", "address": "1 High St"}).status_code,
        client.post(WELSH_PREVIEW + "sent/").status_code,
        client.post(
            WELSH_PREVIEW + "email/", {"email": "ada@example.org", "consent": "on"}
        ).status_code,
    ]


@pytest.mark.parametrize("welsh_synced", [True, False], ids=["synced", "stale-welsh-dates"])
def test_closing_the_english_letter_closes_its_welsh_copy_too(
    client, open_invitation, welsh_copy, welsh_synced
):
    """The campaign's dates are the English letter's: closing it closes the Welsh copy at
    once (its dates follow), and even a Welsh copy whose own dates say open (edited apart)
    serves, counts and takes nothing."""
    from letters.models import EmailSignup, InvitationSent

    assert client.get(WELSH_PREVIEW + "txt/?language=en").status_code == 200
    open_invitation.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    open_invitation.save(update_fields=["closes_at"])
    welsh_copy.refresh_from_db()
    assert welsh_copy.closes_at == open_invitation.closes_at and welsh_copy.is_closed
    if not welsh_synced:
        LetterPage.objects.filter(pk=welsh_copy.pk).update(
            closes_at=timezone.now() + datetime.timedelta(days=30)
        )
        welsh_copy.refresh_from_db()
        assert not welsh_copy.is_closed
    cache.clear()
    downloads = LetterDownload.objects.get(letter=open_invitation).count

    assert refusals_through_the_welsh_copy(client) == [410, 410, 409, 410]
    assert LetterDownload.objects.get(letter=open_invitation).count == downloads
    assert not InvitationSent.objects.exists() and not EmailSignup.objects.exists()
