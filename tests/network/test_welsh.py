"""English and Welsh (issue 20): Welsh pages at /cy/, in Welsh, found from the English ones and
back, never mixed up by the page cache or the chrome cache."""

import re

import polib
import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page

from core.cache import cache_key
from events.models import EventIndexPage, EventPage
from groups.models import AchievementPage, GroupIndexPage, GroupUpdatePage, LocalGroupPage
from letters.models import Constituency, EmailSignup, LetterIndexPage, LetterPage
from letters.reminders import link_token
from network import demo as network_demo
from network.models import HomePage, NewsIndexPage, NewsPage, StandardPage
from tests.conftest import built_once
from tests.welsh_text import PO_FILE, html_lang, untranslated_strings_in

WELSH_PLURAL_FORMS = "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;"
# One page of every public type; each is given a Welsh translation (copied, as wagtail-localize
# does before an editor translates the text) and served at its Welsh address.
PAGE_TYPES = (
    HomePage,
    StandardPage,
    NewsIndexPage,
    NewsPage,
    GroupIndexPage,
    LocalGroupPage,
    GroupUpdatePage,
    AchievementPage,
    EventIndexPage,
    EventPage,
    LetterIndexPage,
    LetterPage,
)


@pytest.fixture(scope="module", autouse=True)
def welsh_demo(django_db_setup, django_db_blocker):
    """The demo's Welsh pages (home, About, the letters index), which the suite's demo leaves out."""
    with built_once(django_db_blocker):
        network_demo.load_welsh(
            HomePage.objects.get(locale__language_code="en-gb"), report=lambda message: None
        )
        yield


def welsh() -> Locale:
    return Locale.objects.get(language_code="cy")


def english_page(model) -> Page:
    page = model.objects.filter(locale__language_code="en-gb", live=True).order_by("path").first()
    if page is None and model is NewsPage:  # the demo has no national news yet
        page = NewsPage(title="Network news", slug="network-news", introduction="News.")
        english_page(NewsIndexPage).add_child(instance=page)
        page.save_revision().publish()
    return page


def welsh_translation_of(page: Page) -> Page:
    """The page's published Welsh translation, its parents translated first; its title in Welsh
    (the rest is copied as wagtail-localize copies it before an editor translates it)."""
    existing = page.get_translation_or_none(welsh())
    if existing is not None and existing.alias_of_id is None:
        return existing.specific
    if existing is not None:
        existing.delete()
    parent = page.get_parent()
    if parent.depth > 1:
        welsh_translation_of(parent)
    translation_page = page.specific.copy_for_translation(welsh())
    translation_page.title = f"Tudalen {page.pk} yn Gymraeg"
    translation_page.save_revision().publish()
    return translation_page


def switcher_link(html: str) -> str:
    switcher = re.search(r'<ul class="language-switcher">(.*?)</ul>', html, re.S).group(1)
    return re.search(r'href="([^"]+)"', switcher).group(1)


@pytest.mark.django_db
def test_every_interface_string_has_a_welsh_translation():
    catalogue = polib.pofile(str(PO_FILE))
    assert catalogue.metadata["Language"] == "cy"
    assert catalogue.metadata["Plural-Forms"] == WELSH_PLURAL_FORMS
    assert not catalogue.metadata_is_fuzzy
    assert len(catalogue) > 20
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
    for entry in catalogue:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1, 2, 3], entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


@pytest.mark.django_db
def test_the_compiled_catalogue_is_what_django_reads():
    with translation.override("cy"):
        assert translation.gettext("Search") == "Chwilio"
        assert translation.gettext("Find a local group") == "Dod o hyd i grŵp lleol"
        results = "%(counter)s result for “%(query)s”"
        plural = "%(counter)s results for “%(query)s”"
        assert translation.ngettext(results, plural, 2) == "%(counter)s ganlyniad am “%(query)s”"
        assert translation.ngettext(results, plural, 3) == "%(counter)s canlyniad am “%(query)s”"


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
@pytest.mark.django_db
def test_every_page_type_answers_in_welsh_at_its_welsh_address(client, demo_site, model):
    page = welsh_translation_of(english_page(model))
    url = page.get_url()
    assert url.startswith("/cy/")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html_lang(html) == "cy"
    assert untranslated_strings_in(html) == []
    assert "Chwilio" in html  # the header's search button, in Welsh


def welsh_letter_url(open_campaign) -> str:
    """The demo's invitation letter in Welsh (its campaign open): its Welsh address."""
    return welsh_translation_of(open_campaign).get_url()


def email_link(open_campaign, action: str) -> str:
    """The Welsh address of a campaign email's signed link, for a Welsh sign-up (the letter has
    its Welsh version)."""
    welsh_translation_of(open_campaign)
    signup = EmailSignup.objects.create(
        letter=open_campaign,
        constituency=Constituency.objects.get(slug=SEAT),
        email="ymwelydd@example.org",
        language="cy",
    )
    with translation.override("cy"):
        return reverse("campaign_email_link", args=[link_token(signup, action)])


def rate_limited_search(client, settings) -> HttpResponse:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "postcode-lookup": (1, 60)}
    client.get("/cy/find-your-mp/?q=Southampton")
    return client.get("/cy/find-your-mp/?q=Ipswich")  # not the page cache's answer


SEAT = "southampton-itchen"


def on_welsh_page(model, route: str = ""):
    """A GET of a route of a page type's Welsh translation."""
    return lambda c, s, letter: c.get(welsh_translation_of(english_page(model)).get_url() + route)


def on_welsh_letter(route: str = "", method: str = "get", data: dict | None = None):
    """A GET or POST of a route of the Welsh letter (its campaign open)."""
    return lambda c, s, letter: getattr(c, method)(welsh_letter_url(letter) + route, data or {})


def on_email_link(action: str, method: str = "get"):
    """A GET or POST of a Welsh sign-up's signed link."""
    return lambda c, s, letter: getattr(c, method)(email_link(letter, action))


def at(path: str):
    return lambda c, s, letter: c.get(path)


def in_wales(route: str):
    """A route of the Welsh letter for Ynys Môn, where the visitor chooses Welsh, English or
    both."""

    def view(c, s, letter):
        Constituency.objects.create(
            gss_code="W07000112", name="Ynys Môn", slug="ynys-mon", nation="wales", region="wales"
        )
        return c.get(welsh_letter_url(letter) + route)

    return view


# Every public view that is not a page type's own (those are above), at its Welsh address,
# with its forms, errors and messages: (name, expected status, how to get it). Each gets
# `client`, `settings` and `open_campaign`, the demo letter with its campaign open.
WELSH_VIEWS = (
    ("search", 200, at("/cy/search/?q=noddfa")),
    ("search, nothing found", 200, at("/cy/search/?q=zzzzqqq")),
    ("not found", 404, at("/cy/does-not-exist/")),
    ("too many requests", 429, lambda c, s, letter: rate_limited_search(c, s)),
    ("find your MP", 200, at("/cy/find-your-mp/")),
    ("find your MP by name", 200, at("/cy/find-your-mp/?q=Southampton")),
    ("find your MP, too short", 200, at("/cy/find-your-mp/?q=S")),
    ("find your MP, no match", 200, at("/cy/find-your-mp/?q=Zzyzx")),
    ("find your MP, half a postcode", 200, at("/cy/find-your-mp/?q=S1")),
    ("near", 200, at("/cy/near/")),
    ("near, not a postcode", 200, at("/cy/near/?postcode=QQ1")),
    ("near, Jersey", 200, at("/cy/near/?postcode=JE2 4WD")),
    (
        "directory with filters",
        200,
        on_welsh_page(GroupIndexPage, "?nation=england&region=south-east&kind=city&status=active"),
    ),
    ("directory from a postcode it cannot place", 200, on_welsh_page(GroupIndexPage, "?near=QQ1")),
    (
        "achievements with filters",
        200,
        on_welsh_page(GroupIndexPage, "achievements/?kind=school&region=south-east"),
    ),
    ("a group's achievements", 200, on_welsh_page(LocalGroupPage, "achievements/")),
    ("events with filters", 200, on_welsh_page(EventIndexPage, "?region=south-east")),
    ("letter", 200, on_welsh_letter()),
    ("letter, find your MP", 200, on_welsh_letter("?q=Southampton")),
    ("letter preview", 200, on_welsh_letter(f"{SEAT}/")),
    ("letter personalise", 200, on_welsh_letter(f"{SEAT}/personalise/")),
    (
        "letter personalised with errors",
        400,
        on_welsh_letter(f"{SEAT}/", "post", {"name": "x" * 200, "address": "a\n" * 10}),
    ),
    ("letter preview in Wales", 200, in_wales("ynys-mon/")),
    ("letter preview in Wales, both languages", 200, in_wales("ynys-mon/?language=both")),
    ("letter in Welsh outside Wales", 404, on_welsh_letter(f"{SEAT}/?language=cy")),
    ("I've sent it", 200, on_welsh_letter(f"{SEAT}/sent/")),
    ("I've sent it, thanks", 200, on_welsh_letter(f"{SEAT}/sent/", "post")),
    ("email sign-up", 200, on_welsh_letter(f"{SEAT}/email/")),
    ("email sign-up with errors", 400, on_welsh_letter(f"{SEAT}/email/", "post", {"email": "x"})),
    (
        "email signed up",
        200,
        on_welsh_letter(
            f"{SEAT}/email/", "post", {"email": "ymwelydd@example.org", "consent": "on"}
        ),
    ),
    ("emailed answer", 200, on_email_link("will-attend")),
    ("emailed answer recorded", 200, on_email_link("replied", "post")),
    ("emailed withdraw", 200, on_email_link("withdraw")),
    ("emailed withdrawn", 200, on_email_link("withdraw", "post")),
    ("emailed link tampered", 400, at("/cy/campaign-email/x:y:z/")),
)


@pytest.mark.parametrize(
    ("expected_status", "view"),
    [pytest.param(status, view, id=name) for name, status, view in WELSH_VIEWS],
)
@pytest.mark.django_db
def test_every_public_view_answers_in_welsh(client, settings, open_campaign, expected_status, view):
    response = view(client, settings, open_campaign)
    assert response.status_code == expected_status
    html = response.content.decode()
    assert html_lang(html) == "cy"
    assert untranslated_strings_in(html) == []
    if expected_status != 429:  # the refusal is a bare page, without the site's header
        assert "Chwilio" in html  # the header's search button, in Welsh


@pytest.mark.django_db
def test_the_welsh_not_found_page_is_in_welsh(client, demo_site):
    response = client.get("/cy/does-not-exist/")
    assert response.status_code == 404
    assert "Heb ddod o hyd i’r dudalen" in response.content.decode()
    assert "Page not found" in client.get("/does-not-exist/").content.decode()


@pytest.mark.django_db
def test_switching_language_keeps_the_visitor_on_the_same_page(client, demo_site):
    english = client.get("/about/").content.decode()
    assert html_lang(english) == "en-GB"
    welsh_url = switcher_link(english)
    assert welsh_url == "/cy/am-y-rhwydwaith/"
    welsh_html = client.get(welsh_url).content.decode()
    assert html_lang(welsh_html) == "cy"
    assert "Am y rhwydwaith" in welsh_html
    assert switcher_link(welsh_html) == "/about/"


@pytest.mark.django_db
def test_switching_language_keeps_a_pages_own_route(client, demo_site):
    group = english_page(LocalGroupPage)
    welsh_group = welsh_translation_of(group)
    html = client.get(group.get_url() + "achievements/").content.decode()
    assert switcher_link(html) == welsh_group.get_url() + "achievements/"
    assert client.get(switcher_link(html)).status_code == 200


@pytest.mark.django_db
def test_an_untranslated_page_says_so_in_welsh_and_offers_the_english_one(client, demo_site):
    events = english_page(EventIndexPage)
    html = client.get(events.get_url()).content.decode()
    welsh_url = switcher_link(html)
    assert welsh_url == f"/cy/untranslated/{events.pk}/"
    response = client.get(welsh_url)
    assert response.status_code == 200
    welsh_html = response.content.decode()
    assert html_lang(welsh_html) == "cy"
    assert "Nid yw’r dudalen hon ar gael yn Gymraeg eto" in welsh_html
    assert f'<a href="{events.get_url()}" lang="en-GB"' in welsh_html
    assert '<meta name="robots" content="noindex">' in welsh_html


@pytest.mark.django_db
def test_the_untranslated_notice_leads_to_the_translation_once_there_is_one(client, demo_site):
    events = english_page(EventIndexPage)
    welsh_events = welsh_translation_of(events)
    response = client.get(f"/cy/untranslated/{events.pk}/")
    assert response.status_code == 302
    assert response["Location"] == welsh_events.get_url()


@pytest.mark.django_db
def test_the_untranslated_notice_refuses_a_page_the_public_may_not_see(client, demo_site):
    draft = english_page(StandardPage)
    draft.live = False
    draft.save(update_fields=["live"])
    assert client.get(f"/cy/untranslated/{draft.pk}/").status_code == 404
    assert client.get("/cy/untranslated/999999/").status_code == 404


@pytest.mark.django_db
def test_pages_name_their_other_language_with_hreflang(client, demo_site):
    html = client.get("/about/").content.decode()
    assert '<link rel="alternate" hreflang="en-GB" href="http://testserver/about/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/about/">' in html
    assert (
        '<link rel="alternate" hreflang="cy" href="http://testserver/cy/am-y-rhwydwaith/">' in html
    )
    # An untranslated page names no Welsh alternate.
    events = client.get(english_page(EventIndexPage).get_url()).content.decode()
    assert 'hreflang="cy" href=' not in events.split("</head>")[0]


@pytest.mark.django_db
def test_the_page_cache_never_answers_in_the_other_language(client, demo_site):
    assert client.get("/about/")["X-Page-Cache"] == "miss"
    assert client.get("/about/")["X-Page-Cache"] == "hit"
    welsh_response = client.get("/cy/am-y-rhwydwaith/")
    assert welsh_response["X-Page-Cache"] == "miss"
    assert html_lang(welsh_response.content.decode()) == "cy"
    # And the other way round: Welsh first, then English.
    assert client.get("/cy/")["X-Page-Cache"] == "miss"
    assert html_lang(client.get("/cy/").content.decode()) == "cy"
    english = client.get("/")
    assert english["X-Page-Cache"] == "miss"
    assert html_lang(english.content.decode()) == "en-GB"


@pytest.mark.django_db
def test_cache_keys_carry_the_language():
    request = RequestFactory().get("/search/?q=x")
    with translation.override("en-gb"):
        english_key = cache_key(request)
    with translation.override("cy"):
        welsh_key = cache_key(request)
    assert english_key != welsh_key


@pytest.mark.django_db
def test_the_chrome_cache_keeps_a_menu_per_language(client, demo_site):
    english = client.get("/news/").content.decode()  # builds and caches the English chrome
    welsh_html = client.get("/cy/").content.decode()
    menu = re.search(r'<nav class="main-nav".*?</nav>', welsh_html, re.S).group(0)
    assert "Am y rhwydwaith" in menu and "About the network" not in menu
    english_again = client.get("/about/").content.decode()
    menu = re.search(r'<nav class="main-nav".*?</nav>', english_again, re.S).group(0)
    assert "About the network" in menu and "Am y rhwydwaith" not in menu
    assert 'aria-label="Prif ddewislen"' in welsh_html and 'aria-label="Main"' in english


@pytest.mark.django_db
def test_lists_show_the_pages_of_the_visitors_language(client, demo_site):
    event = english_page(EventPage)
    welsh_translation_of(event)
    english_listing = client.get("/events/").content.decode()
    assert english_listing.count(f'href="{event.get_url()}"') >= 1
    assert "/cy/" not in re.sub(
        r'(hreflang="cy"|href="/cy/untranslated/\d+/")', "", english_listing
    )


@pytest.mark.django_db
def test_search_answers_in_the_visitors_language(client, demo_site):
    welsh_html = client.get("/cy/search/?q=rhwydwaith").content.decode()
    assert 'href="/cy/am-y-rhwydwaith/"' in welsh_html
    english_html = client.get("/search/?q=rhwydwaith").content.decode()
    assert "/cy/am-y-rhwydwaith/" not in english_html


@pytest.mark.django_db
def test_the_sitemap_lists_both_languages(client, demo_site):
    xml = client.get("/sitemap.xml").content.decode()
    # On the host the sitemap was asked for (tests/core/test_site_address.py).
    assert "<loc>http://testserver/about/</loc>" in xml
    assert "<loc>http://testserver/cy/am-y-rhwydwaith/</loc>" in xml


@pytest.mark.django_db
def test_a_welsh_events_calendar_file_is_in_welsh(client, demo_site):
    event = welsh_translation_of(english_page(EventPage))
    body = client.get(event.get_url() + "ical/").content.decode().replace("\r\n ", "")
    assert f"SUMMARY:{event.title}" in body
    assert "Pryd: " in body and "When: " not in body


@pytest.mark.django_db
def test_a_welsh_groups_feed_is_in_welsh(client, demo_site):
    group = welsh_translation_of(english_page(LocalGroupPage))
    feed = client.get(group.get_url() + "feed/").content.decode()
    assert f"<title>Newyddion gan {group.title}</title>" in feed


@pytest.mark.django_db
def test_the_welsh_home_page_links_each_section_in_welsh_where_it_is_translated(client):
    """The home page's links to the sections (the letters, the groups...) lead to the Welsh
    section at /cy/ when it has a live translation, and to the English one until then."""
    letters = client.get("/cy/").content.decode()
    welsh_letters = welsh_translation_of(english_page(LetterIndexPage))
    assert f'href="{welsh_letters.url}"' in letters
    assert 'href="/letters/"' not in letters
    assert 'href="/letters/"' in client.get("/").content.decode()
    welsh_groups = welsh_translation_of(english_page(GroupIndexPage))
    assert f'href="{welsh_groups.url}"' in client.get("/cy/").content.decode()
    assert 'href="/groups/"' not in client.get("/cy/").content.decode()
