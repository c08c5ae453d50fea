import re

import pytest
import wagtail_factories

from groups.directory import ACHIEVEMENTS_PER_PAGE, GROUPS_PER_PAGE
from groups.models import (
    AchievementKind,
    GroupIndexPage,
    GroupKind,
    GroupStatus,
    LocalGroupPage,
    Nation,
    Region,
)
from tests.groups.factories import AchievementPageFactory, LocalGroupPageFactory


@pytest.fixture
def index(demo_site) -> GroupIndexPage:
    return GroupIndexPage.objects.get()


def listed_groups(html: str) -> list[str]:
    return re.findall(
        r'<li class="card card--group">.*?<h3><a href="[^"]+">([^<]+)</a>', html, re.S
    )


def demo_titles(**filters) -> list[str]:
    """The demo's groups (none of them closed) matching `filters`, by name."""
    return sorted(LocalGroupPage.objects.filter(**filters).values_list("title", flat=True))


def test_directory_lists_groups_sorted_by_name_with_a_count(client, index):
    expected = sorted([*demo_titles(), "Aberdeen City of Sanctuary"])
    LocalGroupPageFactory(parent=index, title="Aberdeen City of Sanctuary")
    html = client.get("/groups/").content.decode()
    assert expected[0] == "Aberdeen City of Sanctuary"
    assert listed_groups(html) == expected
    assert f">{len(expected)} groups<" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"region": "east-of-england"}, ["Ipswich Town of Sanctuary"]),
        # Swansea is closed: listed only when closed groups are asked for (issue 21).
        ({"nation": "wales"}, ["Cardiff City of Sanctuary"]),
        ({"nation": "wales", "status": "closed"}, ["Swansea City of Sanctuary"]),
        ({"kind": "town"}, ["Ipswich Town of Sanctuary"]),
        ({"status": "closed"}, ["Swansea City of Sanctuary"]),
        ({"q": "southAMPTON"}, ["City of Sanctuary Southampton"]),
        ({"q": "sanctuary", "nation": "england"}, {"nation": Nation.ENGLAND}),
    ],
)
def test_directory_filters_and_search(client, index, query, expected):
    if isinstance(expected, dict):  # the demo's groups with these fields, however many
        expected = demo_titles(**expected)
        assert "City of Sanctuary Southampton" in expected and len(expected) > 2
    LocalGroupPageFactory(
        parent=index,
        title="Swansea City of Sanctuary",
        nation=Nation.WALES,
        region=Region.WALES,
        kind=GroupKind.CITY,
        status=GroupStatus.CLOSED,
    )
    html = client.get("/groups/", query).content.decode()
    assert listed_groups(html) == expected
    assert f"{len(expected)} group" in html


@pytest.mark.parametrize(
    "query",
    [
        {"region": "atlantis"},
        {"nation": "<script>alert(1)</script>"},
        {"kind": "x" * 5000},
        {"status": "' OR 1=1 --"},
        {"page": "-1"},
        {"page": "99999"},
        {"page": "abc"},
        {"q": "y" * 500},
    ],
)
def test_bad_directory_values_are_ignored_with_a_message(client, index, query):
    response = client.get("/groups/", query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    if "page" not in query:
        assert "We ignored the" in html
    # The other groups still show: a bad filter never empties or breaks the page.
    assert "City of Sanctuary Southampton" in html


def test_template_syntax_in_search_is_searched_as_text_not_run(client, index):
    response = client.get("/groups/", {"q": "{% load static %}{{ settings.SECRET_KEY }}"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "0 groups" in html
    assert "test-only-key-not-secret" not in html


def test_bad_filter_is_dropped_but_good_ones_apply(client, index):
    html = client.get("/groups/", {"region": "atlantis", "kind": "town"}).content.decode()
    assert listed_groups(html) == ["Ipswich Town of Sanctuary"]
    assert "We ignored the “Region” filter" in html


def test_pagination_links_keep_the_filters(client, index):
    # Districts: a kind no demo group is, so the filter finds only these.
    assert not demo_titles(kind=GroupKind.DISTRICT)
    for n in range(GROUPS_PER_PAGE + 5):
        LocalGroupPageFactory(
            parent=index, title=f"Northern group {n:02d}", kind=GroupKind.DISTRICT
        )
    first = client.get("/groups/", {"kind": "district"}).content.decode()
    assert len(listed_groups(first)) == GROUPS_PER_PAGE
    assert f"{GROUPS_PER_PAGE + 5} groups" in first
    assert 'href="?kind=district&amp;page=2"' in first
    second = client.get("/groups/", {"kind": "district", "page": 2}).content.decode()
    assert listed_groups(second) == [
        f"Northern group {n:02d}" for n in range(GROUPS_PER_PAGE, GROUPS_PER_PAGE + 5)
    ]


def test_network_achievements_list_filters_by_kind(client, index):
    aberdeen = LocalGroupPageFactory(
        parent=index, title="Aberdeen City of Sanctuary", region=Region.SCOTLAND
    )
    AchievementPageFactory(
        parent=aberdeen, title="Aberdeen school award", kind=AchievementKind.SCHOOL
    )
    AchievementPageFactory(
        parent=aberdeen, title="Aberdeen library award", kind=AchievementKind.LIBRARY
    )
    html = client.get("/groups/achievements/", {"kind": "school"}).content.decode()
    assert "School of Sanctuary awards across the network" in html
    assert "Aberdeen school award" in html
    assert "Over 15 Schools of Sanctuary" in html  # Southampton's
    assert "Aberdeen library award" not in html
    assert "By <a" in html and "Aberdeen City of Sanctuary" in html


def test_network_achievements_list_filters_by_region(client, index):
    html = client.get("/groups/achievements/", {"region": "east-of-england"}).content.decode()
    assert "Council resolution of support" in html  # Ipswich's
    assert "Over 15 Schools of Sanctuary" not in html  # Southampton is in the South East


def test_network_achievements_list_ignores_bad_kind(client, index):
    response = client.get("/groups/achievements/", {"kind": "nonsense"})
    assert response.status_code == 200
    assert "We ignored the “Kind of achievement” filter" in response.content.decode()


def test_a_groups_achievements_list_has_only_its_own_and_filters_by_kind(client, index):
    southampton = LocalGroupPage.objects.get(slug="southampton")
    AchievementPageFactory(
        parent=southampton, title="Southampton library award", kind=AchievementKind.LIBRARY
    )
    ipswich = LocalGroupPage.objects.get(slug="ipswich")
    AchievementPageFactory(parent=ipswich, title="Ipswich library award")
    html = client.get("/groups/southampton/achievements/").content.decode()
    assert "<h1>Achievements of City of Sanctuary Southampton</h1>" in html
    assert "Southampton library award" in html and "Over 15 Schools of Sanctuary" in html
    assert "Ipswich library award" not in html and "Council resolution of support" not in html
    assert 'name="region"' not in html  # the group's region is known
    assert 'aria-current="page">Achievements</li>' in html

    libraries = client.get("/groups/southampton/achievements/", {"kind": "library"})
    assert "Southampton library award" in libraries.content.decode()
    assert "Over 15 Schools of Sanctuary" not in libraries.content.decode()

    bad = client.get("/groups/southampton/achievements/", {"kind": "nonsense"})
    assert bad.status_code == 200
    assert "We ignored the “Kind of achievement” filter" in bad.content.decode()


# The network's list names each item's group (one query more); a group's list is its own.
# Wagtail i18n adds up to three: the active Locale (routing, the menu) and the page's translations.
# One more: the renditions of the pictures on the page, all in one query.
ACHIEVEMENTS_LIST_QUERIES = {"/groups/achievements/": 16, "/groups/{slug}/achievements/": 15}


@pytest.mark.parametrize("size", [1, 50])
@pytest.mark.parametrize("url", ACHIEVEMENTS_LIST_QUERIES)
def test_achievements_list_queries_do_not_grow(
    client, index, uncached, django_assert_num_queries, size, url
):
    group = LocalGroupPageFactory(parent=index)
    picture = wagtail_factories.ImageFactory()
    for _ in range(size):
        AchievementPageFactory(parent=group, image=picture, image_decorative=True)
    client.get(url.format(slug=group.slug))
    with django_assert_num_queries(ACHIEVEMENTS_LIST_QUERIES[url]):
        response = client.get(url.format(slug=group.slug))
    # The network's list also has the demo groups' achievements.
    assert response.content.decode().count('<li class="item') >= min(size, ACHIEVEMENTS_PER_PAGE)


@pytest.mark.parametrize("size", [1, 50])
def test_directory_queries_do_not_grow(client, index, uncached, django_assert_num_queries, size):
    picture = wagtail_factories.ImageFactory()
    for _ in range(size):
        LocalGroupPageFactory(parent=index, image=picture, image_alt="A group's banner")
    client.get("/groups/")
    with django_assert_num_queries(DIRECTORY_QUERIES):
        client.get("/groups/")


# One of them is the map's: every matching group with a location, not only this page's. The
# groups are counted once, by the pages (the count above the list is the paginator's). The
# cards' pictures come with the groups; their renditions in one query more.
DIRECTORY_QUERIES = 15
