"""The home page's figures (network/figures.py) are read from the content: change the content,
and the figure changes."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import EventIndexPage, EventPage
from groups.models import AchievementKind, GroupIndexPage, GroupStatus, LocalGroupPage
from tests.groups.factories import AchievementPageFactory, LocalGroupPageFactory


def figure(html: str, label: str) -> int:
    """The number shown beside a figure's label on the home page (0 when it is not shown)."""
    found = re.search(
        rf'figures__number">(\d+)</span> <span class="figures__label">{label}</span>', html
    )
    return int(found.group(1)) if found else 0


def home(client) -> str:
    return client.get("/").content.decode()


@pytest.mark.django_db
def test_the_groups_figure_counts_live_groups_that_have_not_closed(client, demo_site, uncached):
    before = figure(home(client), "local groups? across the UK")
    assert before == LocalGroupPage.objects.live().exclude(status=GroupStatus.CLOSED).count()
    index = GroupIndexPage.objects.get()
    LocalGroupPageFactory(parent=index)
    LocalGroupPageFactory(parent=index, status=GroupStatus.CLOSED)
    LocalGroupPageFactory(parent=index, live=False)
    assert figure(home(client), "local groups? across the UK") == before + 1


@pytest.mark.django_db
def test_the_awards_figure_counts_awards_of_sanctuary_only(client, demo_site, uncached):
    before = figure(home(client), "awards? of sanctuary")
    southampton = LocalGroupPage.objects.get(slug="southampton")
    AchievementPageFactory(parent=southampton, kind=AchievementKind.LIBRARY)
    AchievementPageFactory(parent=southampton, kind=AchievementKind.UNIVERSITY)
    AchievementPageFactory(parent=southampton, kind=AchievementKind.REFUGEE_WEEK)  # not an award
    assert figure(home(client), "awards? of sanctuary") == before + 2


@pytest.mark.django_db
def test_the_events_figure_counts_events_starting_this_year(client, demo_site, uncached):
    before = figure(home(client), "events? this year")
    index = EventIndexPage.objects.get()
    now = timezone.now()
    for slug, start in [
        ("this-year", now.replace(month=1, day=2)),
        ("last-year", now.replace(year=now.year - 1)),
    ]:
        index.add_child(
            instance=EventPage(
                title=slug, slug=slug, start=start, end=start + datetime.timedelta(hours=2)
            )
        )
    assert figure(home(client), "events? this year") == before + 1


@pytest.mark.django_db
def test_the_figures_are_counted_once_per_content_generation(client, demo_site, settings):
    settings.PAGE_CACHE_ENABLED = False  # each request renders; values kept per generation stay
    label = "local groups? across the UK"
    before = figure(home(client), label)
    with CaptureQueriesContext(connection) as queries:
        assert figure(home(client), label) == before
    assert not [query for query in queries.captured_queries if "COUNT(DISTINCT" in query["sql"]]
    LocalGroupPageFactory(parent=GroupIndexPage.objects.get())  # saved: a new generation
    assert figure(home(client), label) == before + 1


@pytest.mark.django_db
def test_the_home_pages_lists_are_read_once_per_content_generation(client, demo_site, settings):
    """The latest achievements, featured groups, upcoming events and open campaigns: read on
    the first render of a generation, then kept (in each language) until a publish or an
    event's end starts a new one."""
    settings.PAGE_CACHE_ENABLED = False  # each request renders; values kept per generation stay
    for url in ("/", "/cy/"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        tables = " ".join(query["sql"] for query in queries.captured_queries)
        for table in ("events_eventpage", "groups_achievementpage", "letters_letterpage"):
            assert table not in tables, (url, table)
    start = timezone.now() + datetime.timedelta(days=1)
    EventIndexPage.objects.get(locale__language_code="en-gb").add_child(
        instance=EventPage(
            title="Tomorrow's welcome walk",
            slug="welcome-walk",
            start=start,
            end=start + datetime.timedelta(hours=2),
        )
    )  # published: a new generation
    assert "Tomorrow&#x27;s welcome walk" in home(client)
