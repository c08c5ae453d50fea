import pytest
from wagtail.models import Page, get_page_models

from events.models import EventIndexPage, EventPage
from groups.models import AchievementPage, GroupIndexPage, GroupUpdatePage, LocalGroupPage
from letters.models import LetterIndexPage, LetterPage
from network.models import HomePage, NewsIndexPage, NewsPage, StandardPage

# The page tree of DESIGN.md, written out: parent -> the page types it may hold.
DESIGN_TREE = {
    HomePage: {GroupIndexPage, EventIndexPage, NewsIndexPage, LetterIndexPage, StandardPage},
    GroupIndexPage: {LocalGroupPage},
    LocalGroupPage: {GroupUpdatePage, AchievementPage, EventPage},
    GroupUpdatePage: set(),
    AchievementPage: set(),
    EventIndexPage: {EventPage},
    EventPage: set(),
    NewsIndexPage: {NewsPage},
    NewsPage: set(),
    LetterIndexPage: {LetterPage},
    LetterPage: set(),
    StandardPage: {StandardPage},
}


def project_page_models() -> set[type]:
    return {
        m
        for m in get_page_models()
        if m._meta.app_label in {"network", "groups", "events", "letters"}
    }


def test_every_project_page_type_is_in_the_design_tree():
    assert project_page_models() == set(DESIGN_TREE)


@pytest.mark.parametrize("parent", list(DESIGN_TREE), ids=lambda m: m.__name__)
def test_page_type_allows_exactly_the_design_children(parent):
    allowed = set(parent.allowed_subpage_models()) & project_page_models()
    assert allowed == DESIGN_TREE[parent]


def test_only_the_home_page_sits_at_the_root():
    root_children = {m for m in project_page_models() if Page in m.allowed_parent_page_models()}
    assert root_children == {HomePage}


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/about/",
        "/groups/",
        "/groups/southampton/",
        "/groups/ipswich/",
        "/groups/ipswich/what-has-happened-since-the-resolution/",
        "/groups/southampton/schools-of-sanctuary/",
        "/events/",
        "/events/sanctuary-in-parliament-2018/",
        "/groups/southampton/refugee-week-celebration-2027/",
        "/news/",
        "/letters/",
        "/letters/invite-your-mp-sanctuary-in-parliament-2018/",
    ],
)
def test_demo_page_renders(client, demo_site, url):
    response = client.get(url)
    assert response.status_code == 200
    page = Page.objects.get(url_path="/home" + url).specific
    assert page.title in response.content.decode()


def test_home_page_shows_featured_groups_events_and_letters(client, demo_site, open_campaign):
    html = client.get("/").content.decode()
    assert "City of Sanctuary Southampton" in html
    assert "Refugee Week celebration 2027" in html
    assert "Invite your MP to Sanctuary in Parliament 2018" in html


def test_news_page_lists_group_updates_beside_national_news(client, demo_site):
    news_index = NewsIndexPage.objects.get()
    news_index.add_child(
        instance=NewsPage(title="A national announcement", slug="announcement", date="2026-01-05")
    )
    html = client.get("/news/").content.decode()
    assert "A national announcement" in html
    assert "What has happened since the resolution was passed?" in html
    assert html.index("A national announcement") < html.index("What has happened since")
