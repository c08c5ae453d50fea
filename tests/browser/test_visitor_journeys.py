"""What a visitor clicks, in Chromium against the live demo site: the directory, a group's
update and event, and the letter to their MP from postcode to Word file."""

import io
import re
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LETTER = "/letters/invite-your-mp-sanctuary-in-parliament-2018/"


def docx_text(path: Path) -> str:
    document = Document(io.BytesIO(Path(path).read_bytes()))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_visitor_finds_ipswich_by_region_reads_its_update_and_downloads_an_event(live_site, page):
    page.goto(live_site("/groups/"))
    page.get_by_label("Region").select_option(label="East of England")
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"region=east-of-england"))
    results = page.locator(".card-list")
    expect(results.get_by_role("link", name="Ipswich Town of Sanctuary")).to_be_visible()
    expect(results.get_by_role("link", name="City of Sanctuary Southampton")).to_have_count(0)

    results.get_by_role("link", name="Ipswich Town of Sanctuary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ipswich Town of Sanctuary")

    page.get_by_role("link", name="What has happened since the resolution was passed?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What has happened since the resolution was passed?"
    )
    expect(page.get_by_role("heading", name="A workshop for council staff")).to_be_visible()
    expect(page.locator("main")).to_contain_text("purdah")

    page.go_back()
    # The group's own listing has its past events too, so the journey does not depend on today.
    page.get_by_role("link", name="All events of Ipswich Town of Sanctuary").click()
    page.get_by_role("link", name="Refugee Week in Ipswich 2027").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refugee Week in Ipswich 2027")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to your calendar (iCal)").click()
    download = download_info.value

    assert download.suggested_filename.endswith(".ics")
    calendar = Path(download.path()).read_text(encoding="utf-8")
    assert calendar.startswith("BEGIN:VCALENDAR")
    assert "SUMMARY:Refugee Week in Ipswich 2027" in calendar
    assert "Ipswich Town Hall" in calendar


def test_visitor_finds_their_mp_by_postcode_and_downloads_a_personal_word_letter(live_site, page):
    page.goto(live_site(LETTER))
    page.get_by_label("Postcode, constituency or MP name").fill("so15 5aa")
    page.get_by_role("button", name="Find your MP").click()

    page.get_by_role("link", name="Southampton Test").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your letter to Satvir Kaur, MP for Southampton Test"
    )
    assert live_site.postcodes_io.count("/postcodes/SO155AA") == 1

    page.get_by_role("link", name="Add your name and address").click()
    page.get_by_label("Your name", exact=True).fill("Amira Haddad")
    page.get_by_label("Your postal address", exact=True).fill(
        "12 Shirley Road\nSouthampton\nSO15 5AA"
    )
    page.get_by_role("button", name="Show in the preview").click()
    preview = page.locator(".letter-preview")
    expect(preview).to_contain_text("Amira Haddad")
    expect(preview).to_contain_text("12 Shirley Road")
    # What they typed stays in the form for the download.
    expect(page.get_by_label("Your name", exact=True)).to_have_value("Amira Haddad")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download Word").click()
    download = download_info.value

    assert download.suggested_filename.endswith(".docx")
    text = docx_text(download.path())
    assert "Satvir Kaur" in text
    assert "Amira Haddad" in text
    assert "12 Shirley Road" in text


def test_malformed_postcode_shows_an_error_summary_linked_to_the_field_keeping_the_input(
    live_site, page
):
    page.goto(live_site(LETTER))
    page.get_by_label("Postcode, constituency or MP name").fill("SO15 55AA")
    page.get_by_role("button", name="Find your MP").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("That is not a UK postcode")
    field = page.get_by_label("Postcode, constituency or MP name")
    expect(field).to_have_value("SO15 55AA")
    expect(field).to_have_attribute("aria-invalid", "true")

    link = summary.get_by_role("link", name=re.compile("not a UK postcode"))
    field_id = field.get_attribute("id")
    expect(link).to_have_attribute("href", f"#{field_id}")
    link.click()
    expect(field).to_be_focused()
    assert live_site.postcodes_io.requests == []
