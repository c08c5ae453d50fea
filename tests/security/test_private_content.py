"""Private means private everywhere: a page with a view restriction (password, login, groups),
under a private group, or under a group page unpublished on its own, is in no public output.

Each test first checks that the item IS in every output that lists it (so it fails without the
rule), then makes it private one way, then checks that it is in none of them: letters in every
format for every constituency its group covers, the home page, the directory, news, events,
calendars, feeds, achievements lists, the sitemap, search and the API.
"""

import datetime
import functools
import io
from collections.abc import Callable

import docx
import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader
from wagtail.api.v3.routers import pages as wagtail_pages_router
from wagtail.models import Page, PageViewRestriction

from config.api import pages_for_caller
from core.query import visible_to_public, visible_to_public_for_search
from events.models import EventPage
from groups.models import AchievementKind, AchievementPage, GroupUpdatePage, LocalGroupPage
from letters.models import LetterPage
from tests.events.conftest import publish

pytestmark = pytest.mark.django_db

LETTER = "invite-your-mp-sanctuary-in-parliament-2018"
# In each private item's title and summary (the search form echoes its lower-case query), and
# in its slug for the sitemap, which lists only addresses. Nowhere in the demo content.
MARK = "Quokka"
SLUG_MARK = "wombat"


@pytest.fixture
def site(demo_site, open_invitation, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "letter-download": (10_000, 60)}
    cache.clear()
    return demo_site


@pytest.fixture
def southampton(site) -> LocalGroupPage:
    return LocalGroupPage.objects.get(slug="southampton")


def add_item(group: LocalGroupPage, content: str) -> Page:
    """A newest-of-its-kind page under the group, so every list shows it first."""
    today = timezone.localdate()
    if content == "achievement":
        page = AchievementPage(
            title="Quokka award",
            slug="wombat-award",
            kind=AchievementKind.SCHOOL,
            date_achieved=today,
            summary="The Quokka school award for welcome.",
            feature_in_letters=True,
        )
    elif content == "update":
        page = GroupUpdatePage(
            title="Quokka update", slug="wombat-update", date=today, introduction="Quokka news."
        )
    else:
        start = timezone.now() + datetime.timedelta(hours=1)
        page = EventPage(
            title="Quokka event",
            slug="wombat-event",
            start=start,
            end=start + datetime.timedelta(hours=2),
            introduction="A Quokka gathering.",
            organiser=group,
        )
        page.tags.add("Quokka walks")  # the /events/ topic filter offers public events' tags
    return publish(group, page)


def restrict(page: Page, restriction_type: str) -> None:
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type, password="sesame"
    )
    if restriction_type == PageViewRestriction.GROUPS:
        restriction.groups.set([Group.objects.create(name="Quokka keepers")])


PRIVACY: dict[str, Callable[[Page, LocalGroupPage], None]] = {
    "password": lambda item, group: restrict(item, PageViewRestriction.PASSWORD),
    "login": lambda item, group: restrict(item, PageViewRestriction.LOGIN),
    "groups": lambda item, group: restrict(item, PageViewRestriction.GROUPS),
    "private group": lambda item, group: restrict(group, PageViewRestriction.LOGIN),
    "group unpublished on its own": lambda item, group: group.unpublish(),
}


# Read out once per file: the same letter comes back byte for byte in many of these tests (the
# renderers are deterministic), and pypdf takes three times as long to read a PDF as the site
# takes to make it. Every response is still fetched and read; the same bytes give the same text.
@functools.cache
def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


@functools.cache
def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def read(client: Client, url: str) -> str:
    """What a visitor gets at `url`, as text (Word and PDF letters read out), lines unwrapped."""
    response = client.get(url, follow=True)
    text = response.content.decode(errors="replace")
    if url.endswith("/docx/") and response.status_code == 200:
        text = docx_text(response.content)
    if url.endswith("/pdf/") and response.status_code == 200:
        text = pdf_text(response.content)
    return " ".join(text.split())


def letter_urls(group: LocalGroupPage) -> list[str]:
    """Every letter output for every constituency the group covers, and the API's letters."""
    urls = []
    for slug in group.constituencies.values_list("slug", flat=True):
        preview = f"/letters/{LETTER}/{slug}/"
        urls += [preview, f"{preview}personalise/"]
        urls += [f"{preview}{fmt}/" for fmt in ("docx", "pdf", "txt")]
        urls.append(f"/api/v3/letters/{LETTER}/{slug}/")
    assert len(urls) == 3 * 6
    return urls


def outputs(content: str, item: Page, group: LocalGroupPage) -> list[str]:
    """The public outputs that list this kind of content (and so would show the item)."""
    model = type(item)._meta.label
    everywhere = [
        item.url,
        "/sitemap.xml",
        f"/search/?q={MARK.lower()}",
        f"/api/v3/pages/?type={model}&limit=50",
        f"/api/v3/pages/{item.pk}/",
        f"/api/v3/pages/find/?html_path={item.url}",
        group.url,
    ]
    if content == "achievement":
        return [
            *everywhere,
            *letter_urls(group),
            "/",
            "/groups/achievements/",
            f"{group.url}achievements/",
        ]
    if content == "update":
        return [
            *everywhere,
            "/news/",
            "/news/feed/",
            f"{group.url}feed/",
            f"/api/v3/groups/{group.slug}/",
        ]
    return [
        *everywhere,
        f"{item.url}ical/",
        "/",
        "/events/",
        "/events/ical/",
        f"{group.url}events/",
        f"{group.url}events/ical/",
        "/api/v3/events/",
        f"/api/v3/events/{item.pk}/",
        f"/api/v3/groups/{group.slug}/",
    ]


def showing(client: Client, urls: list[str], mark: str) -> list[str]:
    """The outputs that show `mark` (the sitemap, which has only addresses: the slug)."""
    return [
        url
        for url in urls
        if (SLUG_MARK if url == "/sitemap.xml" and mark == MARK else mark) in read(client, url)
    ]


def check_made_private(
    client: Client, group: LocalGroupPage, content: str, privacy: str, committed
) -> None:
    item = add_item(group, content)
    urls = outputs(content, item, group)
    assert showing(client, urls, MARK) == urls  # while public, every output shows it

    with committed(execute=True):  # the cached chrome is renewed once the change commits
        PRIVACY[privacy](item, group)

    assert showing(client, urls, MARK) == []


@pytest.mark.parametrize("privacy", PRIVACY)
@pytest.mark.parametrize("content", ["achievement", "update", "event"])
def test_private_content_is_in_no_public_output(
    client, southampton, content, privacy, django_capture_on_commit_callbacks, uncached
):
    """Uncached: every output is rendered afresh. The next test runs with the caches on."""
    check_made_private(client, southampton, content, privacy, django_capture_on_commit_callbacks)


@pytest.mark.parametrize("privacy", PRIVACY)
@pytest.mark.parametrize("content", ["achievement", "update", "event"])
def test_with_the_site_chrome_cached_the_first_restriction_or_unpublishing_counts_at_once(
    client, southampton, settings, content, privacy, django_capture_on_commit_callbacks
):
    """With the site chrome (menu, settings, newest letter) cached for the content generation,
    the first restriction, on the item or on its group, or an unpublishing, counts on the
    next request."""
    settings.SITE_CHROME_CACHE_ENABLED = True
    check_made_private(client, southampton, content, privacy, django_capture_on_commit_callbacks)


GROUP_PRIVACY = ["private group", "group unpublished on its own"]
GROUP_LISTINGS = [
    "/",
    "/groups/",
    "/sitemap.xml",
    "/search/?q=Southampton",
    "/api/v3/groups/",
    "/api/v3/groups/southampton/",
    "/api/v3/constituencies/southampton-test/",
    "/api/v3/pages/?type=groups.LocalGroupPage&limit=50",
]


@pytest.mark.parametrize("privacy", GROUP_PRIVACY)
def test_a_private_group_is_in_no_public_listing(client, southampton, privacy):
    assert showing(client, GROUP_LISTINGS, southampton.url) == GROUP_LISTINGS

    PRIVACY[privacy](southampton, southampton)

    assert showing(client, GROUP_LISTINGS, southampton.url) == []


@pytest.mark.parametrize("privacy", GROUP_PRIVACY)
def test_the_constituencies_of_a_private_group_get_the_national_letter(
    client, southampton, privacy
):
    """As if no group covered them: the national paragraph, signed for City of Sanctuary."""
    own_words = "works to make Southampton a warm and welcoming place"
    urls = letter_urls(southampton)
    assert showing(client, urls, own_words) == urls

    PRIVACY[privacy](southampton, southampton)

    assert showing(client, urls, own_words) == []
    assert showing(client, urls, southampton.title) == []
    assert showing(client, urls, "representative of City of Sanctuary will be there") == urls


def test_the_letters_api_links_a_letters_event_only_while_it_is_public(client, site):
    letter = LetterPage.objects.get(slug=LETTER)
    summaries = [f"/api/v3/letters/{LETTER}/southampton-test/", "/api/v3/letters/"]

    def linked_events() -> list:
        letters = [
            client.get(summaries[0]).json()["letter"],
            *client.get(summaries[1]).json()["items"],
        ]
        return [summary["event"] for summary in letters if summary["id"] == letter.pk]

    assert [event["id"] for event in linked_events()] == [letter.event_id] * 2
    restrict(letter.event, PageViewRestriction.LOGIN)
    assert linked_events() == [None, None]


def test_search_and_listings_apply_the_same_rule(southampton):
    """`visible_to_public` (a subquery) and its search twin (by path) pick the same pages."""
    for content in ("achievement", "update", "event"):
        add_item(southampton, content)
    ipswich = LocalGroupPage.objects.get(slug="ipswich")
    restrict(ipswich, PageViewRestriction.PASSWORD)
    southampton.unpublish()
    everything = set(Page.objects.values_list("pk", flat=True))
    listed = set(visible_to_public(Page.objects.all()).values_list("pk", flat=True))
    searched = set(visible_to_public_for_search(Page.objects.all()).values_list("pk", flat=True))
    hidden = {
        *Page.objects.descendant_of(southampton, inclusive=True).values_list("pk", flat=True),
        *Page.objects.descendant_of(ipswich, inclusive=True).values_list("pk", flat=True),
    }
    assert listed == searched == set(Page.objects.live().values_list("pk", flat=True)) - hidden
    assert len(hidden) > 5 and listed < everything


def test_the_pages_api_is_still_narrowed_for_anonymous_callers():
    """Wagtail's routes read the queryset function from their module: ours must be there."""
    assert wagtail_pages_router.get_pages_queryset is pages_for_caller
