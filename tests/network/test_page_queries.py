"""Every page type costs a fixed number of queries, whether what it lists numbers 1 or 50.

The group page, the directory, the achievements list, the event listings and the API have
tests of their own beside their code; this covers the rest of the page types. Each budget is
pinned, so a change that adds a query to every page is seen, not only one that adds a query
per item.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import EventIndexPage
from groups.models import LocalGroupPage
from letters.models import LetterIndexPage, LetterPage
from network.models import HomePage, HomePageFeaturedGroup, NewsIndexPage, NewsPage
from tests.events.conftest import add_event, publish, uk
from tests.groups.factories import (
    AchievementPageFactory,
    GroupUpdatePageFactory,
    LocalGroupPageFactory,
)

LETTER = "/letters/invite-your-mp-sanctuary-in-parliament-2018/"

# Uncached (nothing from the page or chrome cache), each page also looks up the hidden sections
# (private or unpublished, core/query.py) once; on a page-cache miss they come from the cache.
# With Wagtail's i18n, three more: the active Locale (routing, the menu) and the translations.
BUDGETS = {
    # +1 the network's figures (groups, awards, events this year), one aggregate; +1 the
    # renditions of the pictures of its three lists (the pictures come with their pages).
    "/": 16,
    "/about/": 11,
    "/news/": 18,  # +2: the pictures of its two page types, then their renditions
    "/news/news-0/": 11,
    "/groups/southampton/update-0/": 12,
    "/groups/southampton/achievement-0/": 12,
    "/events/event-0/": 12,
    "/letters/": 12,  # its letters with their campaign dates, open and closed, in one query
    # The letter pages add the invitations counter (one aggregate, letters/invitations.py).
    # The demo's 2018 campaign is reopened here (`open_invitation`), as on a campaign day: a
    # closed one's pages run one query more, for its event's follow-up letters.
    LETTER: 13,
    # The preview also looks up the letter's English and Welsh versions (one query, kept for
    # the content generation when the caches are on: letters/letter_languages.py).
    LETTER + "southampton-test/": 18,
    LETTER + "southampton-test/personalise/": 18,
    # A view of its own (no page, no restriction check); +1: the constituencies and MPs named
    # "sanctuary" (network/search.py, one query over 650 rows). One query per page type on the
    # first page (MIXED_TYPES), which the demo network's groups and awards now mostly fill:
    # how many types depends on each backend's ranking (SQLite's also runs one query more than
    # PostgreSQL's): 12 on SQLite and 13 on PostgreSQL with the demo pictures. A ceiling.
    "/search/?q=sanctuary": 13,
}
# Results ranked by the search backend: their count is at most the budget, whatever the ranking.
RANKED = {"/search/?q=sanctuary"}
# News and search results mix page types, and fetch each type's fields in one query per type
# on the page: fewer types on the page (fifty news pages, say) is fewer queries, never more.
MIXED_TYPES = {"/news/", "/search/?q=sanctuary"}


def add_content(numbers: range) -> None:
    """What the pages above list: group pages, updates, achievements, events, news, letters,
    all live and without revisions (as the factories make them): no page here reads one."""
    home = HomePage.objects.get()
    southampton = LocalGroupPage.objects.get(slug="southampton")
    news_index = NewsIndexPage.objects.get()
    letter_index = LetterIndexPage.objects.get()
    events = EventIndexPage.objects.get()
    for number in numbers:
        group = LocalGroupPageFactory(parent=southampton.get_parent())
        HomePageFeaturedGroup.objects.create(page=home, group=group, sort_order=number)
        AchievementPageFactory(parent=southampton, slug=f"achievement-{number}")
        GroupUpdatePageFactory(parent=southampton, slug=f"update-{number}")
        add_event(
            events,
            f"event-{number}",
            uk(2099, 1, 1) + datetime.timedelta(days=number),
            tags=["Refugee Week", f"topic {number}"],
            revision=False,
        )
        news = NewsPage(title=f"Sanctuary news {number}", slug=f"news-{number}")
        publish(news_index, news, revision=False)
        publish(letter_index, LetterPage(title=f"Letter {number}", slug=f"letter-{number}"), False)


def count_queries(client, url: str) -> int:
    client.get(url)  # warms Wagtail's cache of site root paths, as every later request finds it
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


@pytest.mark.django_db
def test_every_page_type_runs_a_fixed_number_of_queries(client, open_invitation, uncached):
    add_content(range(1))
    with_one = {url: count_queries(client, url) for url in BUDGETS}

    add_content(range(1, 50))
    with_fifty = {url: count_queries(client, url) for url in BUDGETS}

    assert {url: n for url, n in with_one.items() if url not in RANKED} == {
        url: n for url, n in BUDGETS.items() if url not in RANKED
    }
    for url in RANKED:
        assert with_one[url] <= BUDGETS[url], url
    for url, budget in BUDGETS.items():
        if url in MIXED_TYPES:
            assert with_fifty[url] <= budget, url
        else:
            assert with_fifty[url] == budget, url
