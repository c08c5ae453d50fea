"""The site root finds a page in two queries, with the answers Wagtail's own walk gives."""

from unittest import mock

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page

from core.routing import TreeRouting, page_ancestors
from groups.models import GroupIndexPage, GroupUpdatePage, LocalGroupPage
from tests.groups.factories import GroupUpdatePageFactory, LocalGroupPageFactory

LETTER = "letters/invite-your-mp-sanctuary-in-parliament-2018"


def both_routes(home, url: str):
    """(what the pages' routing answers, what Wagtail's segment-by-segment walk answers)."""
    components = [part for part in url.split("/") if part]

    def answer():
        request = RequestFactory().get("/" + url)
        try:
            page, args, kwargs = home.route(request, components)
        except Http404:
            return None
        view = args[0].__name__ if args else None
        return page.pk, type(page).__name__, view, args[1:], kwargs

    ours = answer()
    # Every page class's child lookup put back to Wagtail's own, at every level.
    with mock.patch.object(TreeRouting, "route", Page.route):
        wagtails = answer()
    return ours, wagtails


@pytest.mark.django_db
def test_every_page_on_the_way_routes_through_its_own_class(demo_site):
    """Each page's own `route()` is called, as in Wagtail: none is skipped by the walk."""
    called = []
    original = TreeRouting.route

    def recording(page, request, path_components):
        called.append((type(page).__name__, list(path_components)))
        return original(page, request, path_components)

    with mock.patch.object(TreeRouting, "route", recording):
        demo_site.route(RequestFactory().get("/"), ["groups", "southampton", "achievements"])
    assert called == [
        ("HomePage", ["groups", "southampton", "achievements"]),
        ("GroupIndexPage", ["southampton", "achievements"]),
    ]  # the group page answered with its own route (RoutablePageMixin) before reaching ours


@pytest.mark.django_db
def test_every_live_page_routes_as_wagtail_routes_it(demo_site):
    urls = [
        page.url_path.removeprefix(demo_site.url_path)
        for page in Page.objects.descendant_of(demo_site).live()
    ]
    assert len(urls) > 15
    for url in urls:
        ours, wagtails = both_routes(demo_site, url)
        assert ours is not None, url
        assert ours == wagtails, url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "groups/achievements/",  # the directory's own route
        "groups/southampton/feed/",  # a group's feed
        "groups/southampton/achievements/",  # all of a group's achievements
        f"{LETTER}/southampton-test/",  # a letter's constituency preview
        f"{LETTER}/southampton-test/docx/",
        f"{LETTER}/southampton-test/personalise/",
        "news/feed/",
        "groups/no-such-group/",
        "groups/southampton/no-such-page/",
        "no/such/page/at/all/",
        "groups/southampton/feed/extra/",
        "a/" * 40,  # deeper than any page: walked the usual way, and not found
    ],
)
def test_sub_routes_and_missing_pages_answer_as_wagtail_does(demo_site, url):
    ours, wagtails = both_routes(demo_site, url)
    assert ours == wagtails


@pytest.mark.django_db
def test_a_routable_pages_own_route_wins_over_a_child_with_the_same_slug(demo_site):
    group = LocalGroupPage.objects.get(slug="southampton")
    child = group.add_child(instance=GroupUpdatePageFactory.build(slug="feed-page", title="Feed"))
    # Such a child can no longer be saved (core/pages.py); one saved before the rule may remain.
    GroupUpdatePage.objects.filter(pk=child.pk).update(
        slug="feed", url_path=f"{group.url_path}feed/"
    )
    ours, wagtails = both_routes(demo_site, "groups/southampton/feed/")
    assert ours[1:3] == ("LocalGroupPage", "feed")
    assert ours == wagtails


@pytest.mark.django_db
def test_a_draft_page_is_not_found_and_neither_are_the_live_pages_under_it(demo_site):
    """Unlike Wagtail's walk: a group page unpublished on its own hides what lies beneath it."""
    index = GroupIndexPage.objects.get()
    draft = index.add_child(instance=LocalGroupPageFactory.build(slug="draft-group", live=False))
    child = draft.add_child(instance=GroupUpdatePageFactory.build(slug="news-of-a-draft"))
    assert both_routes(demo_site, "groups/draft-group/") == (None, None)
    ours, wagtails = both_routes(demo_site, "groups/draft-group/news-of-a-draft/")
    assert ours is None
    assert wagtails[0] == child.pk
    assert both_routes(demo_site, "groups/draft-group/feed/")[0] is None


@pytest.mark.django_db
def test_a_deep_page_is_found_in_two_queries(demo_site, django_assert_num_queries):
    group = LocalGroupPage.objects.get(slug="southampton")
    update = group.add_child(instance=GroupUpdatePageFactory.build(slug="deep-update"))
    request = RequestFactory().get("/")
    with django_assert_num_queries(2):  # the candidates by slug, then the last one's own fields
        page, _, _ = demo_site.route(request, ["groups", "southampton", "deep-update"])
    assert page.pk == update.pk
    assert type(page).__name__ == "GroupUpdatePage"


def walked_and_tree_ancestors(home, url: str):
    """(titles and paths of the ancestors routing left for the breadcrumbs, those the tree gives)."""
    request = RequestFactory().get("/" + url)
    page, _, _ = home.route(request, [part for part in url.split("/") if part])

    def shown(pages):
        return [(ancestor.title, ancestor.url_path) for ancestor in pages]

    return shown(page_ancestors(page, request)), shown(page.get_ancestors()[1:])


@pytest.mark.django_db
def test_routing_leaves_the_breadcrumbs_the_tree_gives(demo_site, django_assert_num_queries):
    group = LocalGroupPage.objects.get(slug="southampton")
    group.add_child(instance=GroupUpdatePageFactory.build(slug="deep-update"))
    urls = [
        page.url_path.removeprefix(demo_site.url_path)
        for page in Page.objects.descendant_of(demo_site).live()
    ] + [
        "groups/southampton/feed/",
        "groups/southampton/achievements/",
        f"{LETTER}/southampton-test/",
        "groups/achievements/",
    ]
    for url in urls:
        walked, tree = walked_and_tree_ancestors(demo_site, url)
        assert walked == tree, url
    request = RequestFactory().get("/")
    page, _, _ = demo_site.route(request, ["groups", "southampton", "deep-update"])
    with django_assert_num_queries(0):
        assert [a.slug for a in page_ancestors(page, request)] == ["home", "groups", "southampton"]


@pytest.mark.django_db
def test_another_page_on_the_same_request_asks_the_tree(demo_site):
    request = RequestFactory().get("/")
    demo_site.route(request, ["groups", "southampton"])
    index = GroupIndexPage.objects.get()
    assert [a.pk for a in page_ancestors(index, request)] == [demo_site.pk]
