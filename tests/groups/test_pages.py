import datetime
import re

import pytest
from django.utils import timezone

from groups.models import (
    GROUP_PAGE_ACHIEVEMENTS,
    AchievementKind,
    GroupIndexPage,
    GroupStatus,
    LocalGroupPage,
)
from tests.groups.factories import (
    AchievementPageFactory,
    GroupMemberOrganisationFactory,
    GroupUpdatePageFactory,
    LocalGroupPageFactory,
)


def test_group_page_shows_the_facts_of_the_group(client, demo_site):
    html = client.get("/groups/southampton/").content.decode()
    for fact in (
        "City of Sanctuary Southampton",
        "City of Sanctuary",  # kind label
        "South East",
        "2013",
        "19 July 2017",
        "World Stages Now",
        "Over 15 Schools of Sanctuary",
        "15 schools",
        "Refugee Week celebration 2027",
        "Southampton Test",
        "southampton@example.org",
    ):
        assert fact in html, fact


def test_closed_group_says_so(client, demo_site):
    group = LocalGroupPage.objects.get(slug="ipswich")
    group.status = GroupStatus.CLOSED
    group.save_revision().publish()
    assert "This group has closed" in client.get("/groups/ipswich/").content.decode()


def test_awards_show_whether_they_are_current_or_expired(client, demo_site):
    group = LocalGroupPage.objects.get(slug="ipswich")
    today = timezone.localdate()
    AchievementPageFactory(
        parent=group,
        title="Old library award",
        kind=AchievementKind.LIBRARY,
        expires_on=today - datetime.timedelta(days=1),
    )
    AchievementPageFactory(
        parent=group, title="New school award", expires_on=today + datetime.timedelta(days=400)
    )
    html = client.get("/groups/ipswich/").content.decode()
    assert "Expired " + (today - datetime.timedelta(days=1)).strftime("%-d %B %Y") in html
    assert "Current until " + (today + datetime.timedelta(days=400)).strftime("%-d %B %Y") in html


def test_achievements_are_newest_first(client, demo_site):
    group = LocalGroupPage.objects.get(slug="ipswich")
    AchievementPageFactory(
        parent=group, title="Earlier award", date_achieved=datetime.date(2015, 1, 1)
    )
    AchievementPageFactory(
        parent=group, title="Later award", date_achieved=datetime.date(2019, 1, 1)
    )
    html = client.get("/groups/ipswich/").content.decode()
    assert html.index("Later award") < html.index("Earlier award")


def test_a_long_record_shows_its_newest_achievements_and_links_to_all(client, demo_site):
    group = LocalGroupPageFactory(
        parent=GroupIndexPage.objects.get(), title="Longford Town of Sanctuary", slug="longford"
    )
    for year in range(2000, 2000 + GROUP_PAGE_ACHIEVEMENTS + 2):
        AchievementPageFactory(
            parent=group, title=f"Award of {year}", date_achieved=datetime.date(year, 6, 1)
        )
    html = client.get("/groups/longford/").content.decode()
    shown = re.findall(r">Award of (\d{4})<", html)
    assert shown == [str(year) for year in range(2011, 2001, -1)]
    assert '<a href="/groups/longford/achievements/">All achievements of Longford' in html

    everything = client.get("/groups/longford/achievements/").content.decode()
    assert re.findall(r">Award of (\d{4})<", everything) == [
        str(year) for year in range(2011, 1999, -1)
    ]


def test_a_short_record_is_shown_whole_with_no_link(client, demo_site):
    html = client.get("/groups/southampton/").content.decode()
    assert "Over 15 Schools of Sanctuary" in html
    assert "/groups/southampton/achievements/" not in html


def make_group_with_content(size: int) -> LocalGroupPage:
    index = GroupIndexPage.objects.get()
    group = LocalGroupPageFactory(parent=index)
    for _ in range(size):
        AchievementPageFactory(parent=group)
        GroupUpdatePageFactory(parent=group)
        GroupMemberOrganisationFactory(page=group)
    group.save_revision().publish()
    return group


@pytest.mark.parametrize("size", [1, 50])
def test_group_page_queries_do_not_grow_with_content(
    client, demo_site, uncached, django_assert_num_queries, size
):
    group = make_group_with_content(size)
    client.get(group.url)  # warm the site root cache, as every later request finds it
    with django_assert_num_queries(GROUP_PAGE_QUERIES):
        response = client.get(group.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="item"') == min(size, GROUP_PAGE_ACHIEVEMENTS) + min(size, 5)


# 14, plus the active Locale (routing, menu) and the translations, and the count of the
# group's awards of sanctuary (one of its key facts).
GROUP_PAGE_QUERIES = 18


def test_a_group_pages_lists_are_read_once_per_content_generation(client, demo_site, settings):
    """Its achievements, updates, events and awards: read on the first render of a content
    generation and kept until a publish starts a new one; the newest achievement then shows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from groups.models import LocalGroupPage
    from tests.groups.factories import AchievementPageFactory

    settings.PAGE_CACHE_ENABLED = False  # each request renders; values kept per generation stay
    client.get("/groups/southampton/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/groups/southampton/").status_code == 200
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    for table in ("groups_achievementpage", "groups_groupupdatepage", "events_eventpage"):
        assert table not in tables, table
    AchievementPageFactory(
        parent=LocalGroupPage.objects.get(slug="southampton"),
        title="Quokka School of Sanctuary",
        date_achieved=timezone.localdate(),
    )
    assert "Quokka School of Sanctuary" in client.get("/groups/southampton/").content.decode()
