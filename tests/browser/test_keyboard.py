"""The letter journey with the keyboard alone (Tab, typing, Enter), with visible focus at every
stop along the way."""

import io
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LETTER = "/letters/invite-your-mp-sanctuary-in-parliament-2018/"
MAX_TABS = 80

FOCUS_OF_ACTIVE_ELEMENT = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none";
  return {
    description: `${element.tagName.toLowerCase()}#${element.id} ${(element.innerText || element.name || "").trim().slice(0, 40)}`,
    visible: outline || shadow,
  };
}"""


def tab_to(page, target) -> list[str]:
    """Press Tab until `target` has focus, checking each stop shows where focus is."""
    stops = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_OF_ACTIVE_ELEMENT)
        if focus is None:
            continue
        stops.append(focus["description"])
        assert focus["visible"], f"no visible focus on {focus['description']}"
        if target.evaluate("element => element === document.activeElement"):
            return stops
    raise AssertionError(f"Tab never reached {target}; stopped at {stops}")


def test_letter_journey_completes_with_the_keyboard_alone_with_visible_focus(live_site, page):
    page.goto(live_site(LETTER))

    tab_to(page, page.get_by_label("Postcode, constituency or MP name"))
    page.keyboard.type("SO15 5AA")
    page.keyboard.press("Enter")
    result = page.get_by_role("link", name="Southampton Test")
    expect(result).to_be_visible()

    tab_to(page, result)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your letter to Satvir Kaur, MP for Southampton Test"
    )

    personalise = page.get_by_role("link", name="Add your name and address")
    tab_to(page, personalise)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your name", exact=True)).to_be_visible()
    tab_to(page, page.get_by_label("Your name", exact=True))
    page.keyboard.type("Amira Haddad")
    tab_to(page, page.get_by_label("Your postal address", exact=True))
    page.keyboard.type("12 Shirley Road")
    page.keyboard.press("Enter")  # a new line in the address box
    page.keyboard.type("Southampton SO15 5AA")

    tab_to(page, page.get_by_role("button", name="Download Word"))
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    document = Document(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)

    assert "Satvir Kaur" in text
    assert "Amira Haddad" in text
    assert "Southampton SO15 5AA" in text
