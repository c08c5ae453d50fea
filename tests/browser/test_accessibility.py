"""Every public page type in Chromium: axe-core finds no WCAG 2.2 AA violations, nothing
overflows a 320 px wide screen, and screenshots at phone and desktop widths are saved to
test-artifacts/screenshots/ for a reviewer."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import save_screenshot

pytestmark = pytest.mark.browser

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LETTER = "/letters/invite-your-mp-sanctuary-in-parliament-2018/"

PAGES = {
    "home": "/",
    "directory": "/groups/?region=east-of-england",
    "directory-map": "/groups/",  # every demo group, so the map has a marker per group
    "near": "/near/?postcode=SO15+5AA",  # the postcode answer with its map
    "group": "/groups/southampton/",
    "update": "/groups/ipswich/what-has-happened-since-the-resolution/",
    "achievement": "/groups/southampton/schools-of-sanctuary/",
    "achievements": "/groups/achievements/?kind=school",
    "group-achievements": "/groups/southampton/achievements/",
    "events-index": "/events/",
    "event": "/events/sanctuary-in-parliament-2018/",
    "letter": LETTER,
    "letter-found": f"{LETTER}?q=SO15+5AA",
    "letter-error": f"{LETTER}?q=not+a+postcode+1",
    "letter-preview": f"{LETTER}southampton-test/",
    "letter-personalise": f"{LETTER}southampton-test/personalise/",
    "letter-sent": f"{LETTER}southampton-test/sent/",
    "search-results": "/search/?q=sanctuary",
    "not-found": "/no-such-page/",
    # Welsh (issue 20): the demo's Welsh pages, and the pages every language has.
    "cy-home": "/cy/",
    "cy-about": "/cy/am-y-rhwydwaith/",
    "cy-letters": "/cy/llythyrau/",
    "cy-directory": "/cy/grwpiau/",
    "cy-group": "/cy/grwpiau/abertawe/",
    "cy-search-results": "/cy/search/?q=noddfa",
    "cy-find-your-mp": "/cy/find-your-mp/",
    "cy-near": "/cy/near/",
    "cy-not-found": "/cy/no-such-page/",
}
EXPECTED_STATUS = {"not-found": 404, "cy-not-found": 404}

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
NARROWEST = {"width": 320, "height": 640}


def axe_violations(page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_wcag_22_aa_violations_and_fits_320px(name, live_site, page):
    page.set_viewport_size(DESKTOP)
    response = page.goto(live_site(PAGES[name]))
    assert response.status == EXPECTED_STATUS.get(name, 200)
    save_screenshot(page, f"{name}-desktop")

    assert axe_violations(page) == []

    page.set_viewport_size(PHONE)
    save_screenshot(page, f"{name}-phone")
    assert axe_violations(page) == []

    page.set_viewport_size(NARROWEST)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} is {overflow}px wider than a 320px screen"
