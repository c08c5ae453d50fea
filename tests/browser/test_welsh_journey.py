"""A visitor switches between English and Welsh in Chromium (issue 20): the switcher keeps them
on the same page, and a page not yet in Welsh says so, in Welsh, and leads back to English."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_visitor_switches_to_welsh_and_back_on_the_same_page(live_site, page):
    page.goto(live_site("/about/"))
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    page.locator(".language-switcher").get_by_role("link", name="Cymraeg").click()

    expect(page).to_have_url(live_site("/cy/am-y-rhwydwaith/"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Am y rhwydwaith")
    expect(page.get_by_role("button", name="Chwilio")).to_be_visible()

    page.locator(".language-switcher").get_by_role("link", name="English").click()
    expect(page).to_have_url(live_site("/about/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("About the network")


def test_a_welsh_group_page_and_its_editor_s_group_in_welsh(live_site, page):
    page.goto(live_site("/groups/swansea/"))
    page.locator(".language-switcher").get_by_role("link", name="Cymraeg").click()
    expect(page).to_have_url(live_site("/cy/grwpiau/abertawe/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Abertawe Dinas Noddfa")
    expect(page.get_by_role("heading", name="Llwyddiannau")).to_be_visible()


def test_an_untranslated_page_says_so_in_welsh_and_offers_english(live_site, page):
    page.goto(live_site("/events/"))
    page.locator(".language-switcher").get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("main")).to_contain_text("Nid yw’r dudalen hon ar gael yn Gymraeg eto")
    page.locator("main").get_by_role("link").first.click()
    expect(page).to_have_url(live_site("/events/"))
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
