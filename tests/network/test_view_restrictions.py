"""Every page finds the view restrictions that apply to it in one query, the same set Wagtail
finds in two: on the page, on an ancestor, or on the source of an alias among them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from core.query import all_pages
from groups.models import LocalGroupPage
from network.models import StandardPage
from tests.groups.factories import GroupUpdatePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(demo_site):
    """A login-only group, a password-protected page, and an alias of that page."""
    group = LocalGroupPage.objects.get(slug="southampton")
    about = StandardPage.objects.get(slug="about")
    PageViewRestriction.objects.create(page=group, restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.PASSWORD, password="sanctuary"
    )
    alias = about.create_alias(parent=demo_site, update_slug="about-again")
    return {"group": group, "about": about, "alias": alias}


def test_each_page_gets_the_restrictions_wagtail_would_give_it(restricted):
    pages = list(Page.objects.descendant_of(restricted["group"].get_parent().get_parent()))
    assert len(pages) > 15
    for page in (page.specific for page in pages):
        ours = {restriction.pk for restriction in page.get_view_restrictions()}
        wagtails = {restriction.pk for restriction in Page.get_view_restrictions(page)}
        assert ours == wagtails, page.url_path
    alias = restricted["alias"].specific
    assert [r.restriction_type for r in alias.get_view_restrictions()] == ["password"]


def test_the_restrictions_of_a_page_take_one_query(restricted, django_assert_num_queries):
    update = restricted["group"].get_children().live().first().specific
    with django_assert_num_queries(1):
        restrictions = list(update.get_view_restrictions())
    assert [r.restriction_type for r in restrictions] == ["login"]


def test_restrictions_on_an_ancestor_and_on_an_aliass_source_are_enforced(client, restricted):
    child_url = restricted["group"].get_children().live().first().url
    response = client.get(child_url)
    assert response.status_code == 302
    assert "login" in response["Location"]

    alias_page = client.get("/about-again/")
    assert alias_page.status_code == 200
    assert 'name="password"' in alias_page.content.decode()


@pytest.fixture
def chrome(settings, redis_cache):
    settings.SITE_CHROME_CACHE_ENABLED = True
    settings.PAGE_CACHE_ENABLED = False  # each page rendered: what the chrome saves a render
    return redis_cache


def update_titles(client, group_url: str) -> str:
    return client.get(group_url).content.decode().split('id="updates"')[1].split("</section>")[0]


def test_with_the_chrome_cached_a_served_page_checks_its_restrictions_in_one_query(
    client, demo_site, chrome
):
    """Even while no page is private: the check is never skipped on a cached belief."""
    group_url = LocalGroupPage.objects.get(slug="southampton").url
    client.get(group_url)
    with CaptureQueriesContext(connection) as queries:
        client.get(group_url)
    # Queries on the restriction table itself (listings only name it in a NOT EXISTS clause).
    checks = [
        query
        for query in queries.captured_queries
        if query["sql"].split(" FROM ", 1)[1].startswith('"wagtailcore_pageviewrestriction"')
    ]
    assert len(checks) == 1


def test_the_first_restriction_is_enforced_on_the_next_request(
    client, demo_site, chrome, django_capture_on_commit_callbacks
):
    group = LocalGroupPage.objects.get(slug="southampton")
    update = group.add_child(instance=GroupUpdatePageFactory.build(title="Our new drop-in"))
    about = StandardPage.objects.get(slug="about")
    alias = about.create_alias(parent=demo_site, update_slug="about-again")
    assert client.get(update.url).status_code == 200
    assert update.title in update_titles(client, group.url)
    assert client.get("/about-again/").status_code == 200  # the chrome is cached: no restrictions

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=update, restriction_type=PageViewRestriction.LOGIN)
        PageViewRestriction.objects.create(
            page=about, restriction_type=PageViewRestriction.PASSWORD, password="sanctuary"
        )
    assert client.get(update.url).status_code == 302  # to the login page
    assert update.title not in update_titles(client, group.url)  # listings leave it out
    assert 'name="password"' in client.get(alias.url).content.decode()  # the alias's source

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.filter(page=update).delete()
    assert client.get(update.url).status_code == 200
    assert update.title in update_titles(client, group.url)


def test_children_are_those_wagtail_finds(restricted):
    """The shorter child condition picks the same pages as Wagtail's, for every page."""
    for page in Page.objects.all():
        ours = set(all_pages().child_of(page).values_list("pk", flat=True))
        wagtails = set(PageQuerySet(Page).child_of(page).values_list("pk", flat=True))
        assert ours == wagtails, page.url_path


def test_pages_visible_to_the_public_leave_out_what_wagtails_public_leaves_out(restricted):
    everything = set(all_pages().values_list("pk", flat=True))
    visible = set(all_pages().live().visible_to_public().values_list("pk", flat=True))
    public = set(PageQuerySet(Page).live().public().values_list("pk", flat=True))
    assert restricted["group"].pk in everything - visible
    assert visible <= public  # and it leaves out pages under an unpublished page too


def test_the_unpublished_sections_the_public_rule_looks_up_are_indexed():
    """`visible_to_public()` looks for unpublished ancestors in every listing; the partial index
    (network migration 0004) keeps that a lookup of a few rows instead of a scan of every page."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Page._meta.db_table)
    index = constraints.get("core_page_unpublished_sections")
    assert index is not None and index["index"], sorted(constraints)
    assert index["columns"] == ["path"]


def test_a_listing_built_before_a_group_is_made_private_no_longer_lists_it(demo_site):
    """The hidden sections are read when the query runs, not when it is built: a queryset made
    early (a form field's choices, a module-level listing) is never stale."""
    groups = LocalGroupPage.objects.visible_to_public()
    southampton = LocalGroupPage.objects.get(slug="southampton")
    assert southampton in groups
    PageViewRestriction.objects.create(page=southampton, restriction_type=PageViewRestriction.LOGIN)
    assert southampton not in groups.all()
    update = GroupUpdatePageFactory(parent=southampton)
    assert update.pk not in all_pages().visible_to_public().values_list("pk", flat=True)


def test_within_one_request_a_change_is_seen_by_the_next_listing(demo_site):
    """The hidden sections are read once per request, and read again after a change in it."""
    from core.cache import REQUEST_VALUES
    from core.query import hidden_sections

    southampton = LocalGroupPage.objects.get(slug="southampton")
    token = REQUEST_VALUES.set({})
    try:
        before = hidden_sections()
        with CaptureQueriesContext(connection) as queries:
            assert hidden_sections() == before
        assert len(queries) == 0
        PageViewRestriction.objects.create(
            page=southampton, restriction_type=PageViewRestriction.LOGIN
        )
        assert southampton.path in hidden_sections()
    finally:
        REQUEST_VALUES.reset(token)
