"""The footer (issue 21): contact details, the privacy, accessibility and cookie statements, and
the charity's registered details, all from the network settings; its text keeps bold; the
demo's statements describe what the code does."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Site

from letters.invitations import cookie_name
from network import demo as network_demo
from network.models import NetworkSettings, StandardPage
from tests.groups.factories import national_staff_user
from tests.network.test_welsh import welsh_translation_of

pytestmark = pytest.mark.django_db


def footer_of(response) -> str:
    html = response.content.decode()
    return html[html.index('<footer class="site-footer">') : html.index("</footer>")]


def network_settings() -> NetworkSettings:
    return NetworkSettings.for_site(Site.objects.get(is_default_site=True))


def test_footer_shows_contact_and_charity_details_from_the_settings(client, demo_site):
    chosen = network_settings()
    chosen.contact_email = "hello@cityofsanctuary.test"
    chosen.contact_phone = "0114 496 0999"
    chosen.postal_address = "Unit 1\nSheffield S1 2AB"
    chosen.charity_name = "City of Sanctuary UK"
    chosen.charity_number = "1234567"
    chosen.registered_address = "Registered House\nSheffield S3 8AA"
    chosen.save()

    footer = footer_of(client.get("/"))

    assert '<a href="mailto:hello@cityofsanctuary.test">' in footer
    assert '<a href="tel:01144960999">0114 496 0999</a>' in footer
    assert "Unit 1<br>Sheffield S1 2AB" in footer
    assert "City of Sanctuary UK is a registered charity, number 1234567." in footer
    assert "Registered address: Registered House<br>Sheffield S3 8AA" in footer


def test_footer_leaves_out_details_that_are_not_given(client, demo_site):
    chosen = network_settings()
    for name in ("contact_email", "contact_phone", "postal_address", "charity_number"):
        setattr(chosen, name, "")
    chosen.save()

    footer = footer_of(client.get("/"))

    assert "<address" not in footer
    assert "tel:" not in footer
    assert "registered charity" not in footer


def test_footer_links_the_chosen_statements(client, demo_site):
    footer = footer_of(client.get("/groups/"))

    assert '<a href="/privacy/">Privacy notice</a>' in footer
    assert '<a href="/accessibility/">Accessibility statement</a>' in footer
    assert '<a href="/cookies/">Cookies</a>' in footer
    assert "No tracking or advertising cookies." in footer


def test_footer_does_not_link_an_unpublished_or_unchosen_statement(client, demo_site):
    StandardPage.objects.get(slug="privacy").unpublish()
    chosen = network_settings()
    chosen.cookie_page = None
    chosen.save()

    footer = footer_of(client.get("/"))

    assert "/privacy/" not in footer
    assert "/cookies/" not in footer
    assert '<a href="/accessibility/">Accessibility statement</a>' in footer


def test_welsh_pages_link_the_welsh_statement_where_there_is_one(client, demo_site):
    welsh_home = welsh_translation_of(demo_site)
    welsh_privacy = welsh_translation_of(StandardPage.objects.get(slug="privacy"))

    footer = footer_of(client.get(welsh_home.url))

    assert f'<a href="{welsh_privacy.url}">Hysbysiad preifatrwydd</a>' in footer
    # No Welsh translation yet: the English statement, under its Welsh label.
    assert '<a href="/accessibility/">Datganiad hygyrchedd</a>' in footer
    assert '<a href="/cookies/">Cwcis</a>' in footer


def test_statement_links_cost_no_query_in_their_own_language_and_one_in_another(demo_site):
    chosen = NetworkSettings.for_site(Site.objects.get(is_default_site=True))
    with translation.override("en-gb"), CaptureQueriesContext(connection) as english:
        links = chosen.statement_links()
    assert [label for label, _page in links] == [
        "Privacy notice",
        "Accessibility statement",
        "Cookies",
    ]
    assert len(english) == 0

    with translation.override("cy"), CaptureQueriesContext(connection) as welsh:
        chosen.statement_links()
    # The translations of the three in one query, plus the hidden sections (core/query.py),
    # which a page has already looked up when its footer is drawn.
    assert len([query for query in welsh if "translation_key" in query["sql"]]) == 1


def test_footer_text_keeps_bold_through_the_editor():
    widget = NetworkSettings._meta.get_field("footer_text").formfield().widget
    editor_value = widget.format_value("<p>Welcome <b>everyone</b>, <i>always</i>.</p>")

    saved = widget.value_from_datadict({"footer_text": editor_value}, {}, "footer_text")

    assert "Welcome <b>everyone</b>, <i>always</i>." in saved


def test_footer_shows_bold_text(client, demo_site):
    chosen = network_settings()
    chosen.footer_text = "<p>A movement. <b>Everyone is welcome.</b></p>"
    chosen.save()

    assert "<b>Everyone is welcome.</b>" in footer_of(client.get("/"))


def statement_text(slug: str) -> str:
    page = StandardPage.objects.get(slug=slug)
    return " ".join(str(block.value) for block in page.body)


def test_demo_cookie_statement_names_every_cookie_the_site_sets(demo_site):
    text = statement_text("cookies")

    assert f"<b>{cookie_name(demo_site).rsplit('-', 1)[0]}-</b>" in text  # "I've sent it"
    assert f"<b>{django_settings.CSRF_COOKIE_NAME}</b>" in text
    assert f"<b>{django_settings.SESSION_COOKIE_NAME}</b>" in text
    assert "tracking" in text
    assert django_settings.LANGUAGE_COOKIE_NAME not in text  # the language is in the address


def test_demo_statements_cover_what_the_issue_asks(demo_site):
    accessibility = statement_text("accessibility")
    for needed in ("WCAG", "2.2", "AA", "axe-core", "PDF", "map", "EHRC", "prepared on"):
        assert needed in accessibility, needed
    privacy = statement_text("privacy")
    for needed in ("campaign closes", "deleted", "Editors", "log", "no tracking"):
        assert needed in privacy, needed


def test_national_staff_edit_every_footer_detail_in_the_settings(client, demo_site):
    client.force_login(national_staff_user())
    site = Site.objects.get(is_default_site=True)

    html = client.get(f"/admin/settings/network/networksettings/{site.pk}/").content.decode()

    for field in (
        "footer_text",
        "contact_email",
        "contact_phone",
        "postal_address",
        "privacy_page",
        "accessibility_page",
        "cookie_page",
        "charity_name",
        "charity_number",
        "registered_address",
    ):
        assert f'name="{field}"' in html, field


def test_demo_welsh_statements_are_linked_from_welsh_pages(client, demo_site):
    welsh_home = welsh_translation_of(demo_site)
    network_demo.load_welsh_statements(demo_site)

    footer = footer_of(client.get(welsh_home.url))

    assert '<a href="/cy/preifatrwydd/">Hysbysiad preifatrwydd</a>' in footer
    assert '<a href="/cy/hygyrchedd/">Datganiad hygyrchedd</a>' in footer
    assert '<a href="/cy/cwcis/">Cwcis</a>' in footer
    statement = client.get("/cy/cwcis/").content.decode()
    assert "Nid yw’r wefan hon yn gosod cwcis tracio" in statement


def test_footer_links_the_sections_of_the_pages_language(client, demo_site):
    """The footer links the menu's sections: the English ones on an English page, and on a
    Welsh page each section's Welsh translation (never an English address)."""
    from groups.models import GroupIndexPage

    english = footer_of(client.get("/"))
    assert '<a href="/groups/">Local groups</a>' in english
    welsh_groups = welsh_translation_of(GroupIndexPage.objects.get(locale__language_code="en-gb"))
    welsh_groups.show_in_menus = True
    welsh_groups.save_revision().publish()

    footer = footer_of(client.get(welsh_translation_of(demo_site).url))

    assert f'<a href="{welsh_groups.url}">{welsh_groups.title}</a>' in footer
    assert 'href="/groups/"' not in footer


def test_the_footer_is_rendered_once_per_content_generation(client, demo_site, settings):
    settings.PAGE_CACHE_ENABLED = False  # each request renders its page; the footer is kept
    first = client.get("/about/")
    again = client.get("/events/")
    assert "includes/footer.html" in [template.name for template in first.templates]
    assert "includes/footer.html" not in [template.name for template in again.templates]
    assert footer_of(again) == footer_of(first)
    chosen = network_settings()
    chosen.contact_email = "new-address@cityofsanctuary.test"
    chosen.save()  # a new generation
    assert "new-address@cityofsanctuary.test" in footer_of(client.get("/events/"))


def test_the_footer_kept_for_a_generation_is_each_languages_own(client, demo_site, settings):
    settings.PAGE_CACHE_ENABLED = False
    welsh_home = welsh_translation_of(demo_site)
    english = footer_of(client.get("/about/"))
    welsh = footer_of(client.get(welsh_home.url))
    assert "Datganiad hygyrchedd" in welsh
    assert "Datganiad hygyrchedd" not in english
    assert footer_of(client.get("/about/")) == english
