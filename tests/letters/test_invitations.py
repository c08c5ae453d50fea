"""letters/invitations.py: "I've sent it" counted once per browser, rate-limited, storing
nothing about the visitor, and the public counter on the (page-cached) letter pages."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.utils import timezone
from wagtail.models import Locale

from letters.invitations import constituencies_sent, cookie_name
from letters.models import Constituency, InvitationSent, LetterPage

pytestmark = pytest.mark.django_db

LETTER_URL = "/letters/invite-your-mp-sanctuary-in-parliament-2018/"
PREVIEW_URL = LETTER_URL + "southampton-test/"
SENT_URL = PREVIEW_URL + "sent/"


@pytest.fixture
def letter_page(open_campaign) -> LetterPage:
    """The demo invitation, its campaign open (only an open campaign counts invitations)."""
    return open_campaign


def sent_count(letter_page: LetterPage, slug: str = "southampton-test") -> int:
    rows = InvitationSent.objects.filter(letter=letter_page, constituency__slug=slug)
    return sum(row.count for row in rows)


def test_sent_page_asks_to_confirm_with_a_form_and_is_never_cached(client, letter_page):
    response = client.get(SENT_URL)
    assert response.status_code == 200
    assert b'<form method="post"' in response.content
    assert b"csrfmiddlewaretoken" in response.content
    assert "no-store" in response["Cache-Control"]
    assert b"Nothing about you is stored" in response.content
    assert sent_count(letter_page) == 0  # showing the form counts nothing


def test_after_the_campaign_closes_nothing_is_counted_and_the_page_says_why(demo_site):
    """The demo's 2018 invitation closed when its event ended: a late "I've sent it" (a page
    left open, a bot) changes no count and offers no button, whatever the constituency."""
    from django.test import Client

    closed = LetterPage.objects.get(slug="invite-your-mp-sanctuary-in-parliament-2018")
    assert closed.is_closed
    for slug in ("southampton-test", "southampton-itchen"):
        url = f"{LETTER_URL}{slug}/sent/"
        response = Client().post(url)
        assert response.status_code == 409
        assert b"This campaign closed on" in response.content
        assert b"Thank you for inviting your MP" not in response.content
        assert b'<form method="post"' not in Client().get(url).content
        assert sent_count(closed, slug) == 0
    assert not Client().post(SENT_URL).cookies.get(cookie_name(closed))


def test_visitor_says_sent_twice_for_the_same_constituency_counted_once(client, letter_page):
    first = client.post(SENT_URL)
    assert first.status_code == 200
    assert b"Thank you for inviting your MP" in first.content
    assert b'href="/near/"' in first.content
    assert f'href="{PREVIEW_URL}"'.encode() in first.content
    second = client.post(SENT_URL)
    assert second.status_code == 200
    assert b"already counted, once" in second.content
    assert client.get(SENT_URL).content.count(b"already told us") == 1
    assert sent_count(letter_page) == 1


def test_one_browser_counts_once_per_constituency_and_another_browser_counts_again(
    client, letter_page, django_user_model
):
    client.post(SENT_URL)
    client.post(LETTER_URL + "southampton-itchen/sent/")
    client.post(LETTER_URL + "southampton-itchen/sent/")
    assert sent_count(letter_page) == 1
    assert sent_count(letter_page, "southampton-itchen") == 1
    client.cookies.clear()
    client.post(SENT_URL)
    assert sent_count(letter_page) == 2


def test_nothing_about_the_visitor_is_stored_and_the_cookie_holds_only_constituency_ids(
    client, letter_page
):
    client.post(
        SENT_URL,
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Agent-Unique-7",
    )
    southampton = Constituency.objects.get(slug="southampton-test")
    row = InvitationSent.objects.get(letter=letter_page)
    fields = {field.name for field in InvitationSent._meta.get_fields()}
    assert fields == {"id", "letter", "constituency", "date", "count"}
    assert (row.constituency_id, row.count) == (southampton.pk, 1)
    cookie = client.cookies[cookie_name(letter_page)]
    # Django's signed cookie: "<value>:<timestamp>:<signature>", the value a constituency id.
    value, _timestamp, _signature = cookie.value.split(":")
    assert value == str(southampton.pk)
    request = RequestFactory().get("/", HTTP_COOKIE=f"{cookie.key}={cookie.value}")
    assert constituencies_sent(request, letter_page) == {southampton.pk}
    assert cookie["httponly"]
    assert cookie["path"] == LETTER_URL
    assert "203.0.113.9" not in cookie.value and "Agent" not in cookie.value
    assert set(client.cookies) <= {cookie_name(letter_page), "csrftoken"}


def test_a_tampered_cookie_counts_as_none(client, letter_page):
    client.cookies[cookie_name(letter_page)] = "1,2,3"  # not signed
    client.post(SENT_URL)
    assert sent_count(letter_page) == 1


# The figure: a thousand clicks from one client.
CLICKS = 1000


def test_a_thousand_clicks_from_one_client_are_rate_limited_and_counted_within_the_limit(
    client, letter_page, settings, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)  # all the clicks in one limit window
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invitation-sent": (5, 3600)}
    cache.clear()
    statuses = []
    for _ in range(CLICKS):
        client.cookies.clear()  # a bot that drops the cookie every time
        statuses.append(client.post(SENT_URL).status_code)
    assert statuses.count(200) == 5
    assert statuses.count(429) == CLICKS - 5
    assert sent_count(letter_page) == 5
    # Another client is counted; showing the form is never limited.
    assert client.get(SENT_URL).status_code == 200
    client.cookies.clear()
    assert client.post(SENT_URL, REMOTE_ADDR="198.51.100.7").status_code == 200
    assert sent_count(letter_page) == 6


ONE_CLICK_FORM = f'<form method="post" action="{SENT_URL}" class="sent-it">'
CLICK = {"one_click": "1"}  # what the button sends


def test_the_preview_stays_cacheable_with_its_one_click_button(client, letter_page):
    first = client.get(PREVIEW_URL)
    assert first["X-Page-Cache"] == "miss"
    assert not first.cookies
    assert b"csrfmiddlewaretoken" not in first.content
    assert ONE_CLICK_FORM.encode() in first.content
    assert client.get(PREVIEW_URL)["X-Page-Cache"] == "hit"


def browser() -> Client:
    """A client that checks CSRF tokens as the site does for a browser."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
    ],
    ids=["sec-fetch-site", "with-origin"],
)
def test_one_click_on_the_cached_preview_counts_without_a_csrf_token(letter_page, headers):
    """The button of the page-cached preview (no token in it) counts at once, without
    JavaScript, when the browser says the click comes from the site itself; once per browser."""
    visitor = browser()
    assert ONE_CLICK_FORM.encode() in visitor.get(PREVIEW_URL).content
    assert visitor.get(PREVIEW_URL)["X-Page-Cache"] == "hit"
    first = visitor.post(SENT_URL, CLICK, **headers)
    assert first.status_code == 200
    assert b"Thank you for inviting your MP" in first.content
    assert "no-store" in first["Cache-Control"]
    assert visitor.post(SENT_URL, CLICK, **headers).status_code == 200
    assert sent_count(letter_page) == 1
    welsh = visitor.post("/cy" + SENT_URL, CLICK, **headers)  # the same browser, in Welsh
    assert welsh.status_code == 200 and sent_count(letter_page) == 1


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"HTTP_SEC_FETCH_SITE": "cross-site"}, 403),
        ({"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://testserver"}, 403),
        ({"HTTP_SEC_FETCH_SITE": "none"}, 403),
        # A browser that sends no Sec-Fetch-Site is shown the confirming page, whoever sent it.
        ({"HTTP_ORIGIN": "https://attacker.example"}, 303),
        ({"HTTP_ORIGIN": "null"}, 303),
    ],
    ids=["cross-site", "same-site-subdomain", "typed", "other-origin", "opaque-origin"],
)
def test_a_click_from_another_site_counts_nothing(letter_page, headers, status):
    """A page elsewhere that posts the form for its visitors is refused (Django's CSRF check
    applies: it has no token), or at most leads to the confirming page; nothing is counted."""
    response = browser().post(SENT_URL, CLICK, **headers)
    assert response.status_code == status
    assert sent_count(letter_page) == 0
    assert InvitationSent.objects.count() == 0


@pytest.mark.parametrize(
    "headers", [{}, {"HTTP_ORIGIN": "http://testserver"}], ids=["no-header", "origin-only"]
)
def test_a_browser_that_says_nowhere_goes_to_the_confirming_page_and_counts_there(
    letter_page, headers
):
    """No Sec-Fetch-Site (an older browser; Origin alone is not taken): the click leads to the
    confirming page, whose form carries a CSRF token; its button counts."""
    visitor = browser()
    response = visitor.post(SENT_URL, CLICK, **headers)
    assert response.status_code == 303 and response["Location"] == SENT_URL
    assert sent_count(letter_page) == 0
    confirm = visitor.get(SENT_URL)
    token = confirm.context["csrf_token"]
    assert visitor.post(SENT_URL, {"csrfmiddlewaretoken": str(token)}).status_code == 200
    assert sent_count(letter_page) == 1


def test_other_pages_keep_the_csrf_check(letter_page):
    """Only `…/sent/` addresses take a same-origin POST without a token; a personalised
    download still needs one, same origin or not."""
    response = browser().post(
        PREVIEW_URL + "txt/",
        {"name": "Ada", "address": "1 High St"},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 403


def test_unknown_constituency_and_wrong_method_are_refused_cleanly(client, letter_page):
    assert client.post(LETTER_URL + "nowhere-at-all/sent/").status_code == 404
    assert client.put(SENT_URL).status_code == 405
    assert InvitationSent.objects.count() == 0


@pytest.mark.parametrize("url", [LETTER_URL, PREVIEW_URL])
def test_counter_is_correct_and_fresh_within_a_minute_on_cached_pages(
    client, letter_page, time_machine, url
):
    # The start of the next minute, inside the open campaign (open_campaign: 30 days from now).
    next_minute = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    time_machine.move_to(next_minute, tick=False)
    first = client.get(url)
    assert b"No one has told us they sent this letter yet" in first.content
    assert first["X-Page-Cache"] == "miss"
    assert "max-age=30" in first["Cache-Control"]

    visitor = client.__class__()
    visitor.post(SENT_URL)
    visitor.post(LETTER_URL + "southampton-itchen/sent/")
    visitor.cookies.clear()
    visitor.post(SENT_URL)

    time_machine.shift(10)
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"  # a click purges nothing
    assert b"No one has told us" in cached.content

    time_machine.shift(21)  # our copy is at most 30 s old, a browser's 30 s more
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert b"3 people</strong> in 2 constituencies have invited their MP." in fresh.content


def test_counter_speaks_of_one_person_in_one_constituency(client, letter_page):
    client.post(SENT_URL)
    page = client.get(LETTER_URL)
    assert b"1 person</strong> in 1 constituency has invited their MP." in page.content


@pytest.fixture
def welsh_letter(letter_page) -> LetterPage:
    """The letter's Welsh version, published (its parents translated too)."""
    welsh = letter_page.copy_for_translation(
        Locale.objects.get(language_code="cy"), copy_parents=True
    )
    welsh.title = "Gwahoddwch eich AS"
    welsh.save_revision().publish()
    return welsh


def test_a_click_on_the_welsh_page_counts_for_the_same_campaign_once_in_either_language(
    client, letter_page, welsh_letter
):
    welsh_sent = welsh_letter.get_url() + "southampton-test/sent/"
    assert welsh_sent.startswith("/cy/")
    response = client.post(welsh_sent)
    assert response.status_code == 200
    assert sent_count(letter_page) == 1  # the English letter's count: the campaign's
    assert not InvitationSent.objects.filter(letter=welsh_letter).exists()
    # One cookie per language, each for its own letter page, listing the same constituency.
    cookies = {name: response.cookies[name] for name in response.cookies}
    assert cookies[cookie_name(letter_page)]["path"] == LETTER_URL
    assert cookies[cookie_name(welsh_letter)]["path"] == welsh_letter.get_url()
    request = RequestFactory().get(
        "/", HTTP_COOKIE="; ".join(f"{name}={cookie.value}" for name, cookie in cookies.items())
    )
    seat = Constituency.objects.get(slug="southampton-test").pk
    assert constituencies_sent(request, letter_page) == {seat}
    assert constituencies_sent(request, welsh_letter) == {seat}

    client.post(SENT_URL)  # the same browser, now in English
    assert sent_count(letter_page) == 1
    assert b"already told us" in client.get(SENT_URL).content
    # And the other way round: English first, then Welsh.
    client.post(LETTER_URL + "southampton-itchen/sent/")
    client.post(welsh_letter.get_url() + "southampton-itchen/sent/")
    assert sent_count(letter_page, "southampton-itchen") == 1


def test_the_counter_shows_the_same_figure_on_the_english_and_welsh_pages(
    client, letter_page, welsh_letter
):
    client.post(SENT_URL)
    client.__class__().post(welsh_letter.get_url() + "southampton-test/sent/")
    client.__class__().post(welsh_letter.get_url() + "southampton-itchen/sent/")
    english = client.get(LETTER_URL).content.decode()
    welsh = client.get(welsh_letter.get_url()).content.decode()
    assert "3 people</strong> in 2 constituencies have invited their MP." in english
    assert "Mae <strong>3 o bobl</strong> mewn 2 etholaeth wedi gwahodd eu AS." in welsh
    preview = client.get(welsh_letter.get_url() + "southampton-test/").content.decode()
    assert "Mae <strong>3 o bobl</strong> mewn 2 etholaeth wedi gwahodd eu AS." in preview
