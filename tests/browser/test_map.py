"""The groups map in Chromium: markers reached by Tab with a visible focus ring, and Leaflet
with tiles only when configured. axe-core and the 320 px check of /groups/, /near/ and the
letter page are in test_accessibility.py, with every other public page."""

import time

import pytest
from playwright.sync_api import expect

from groups.models import GroupStatus, LocalGroupPage
from tests.browser.conftest import SOUTHAMPTON_TEST_POSTCODE, save_screenshot
from tests.browser.test_accessibility import axe_violations
from tests.stub_server import StubServer

pytestmark = pytest.mark.browser

NEAR = "/near/?postcode=" + SOUTHAMPTON_TEST_POSTCODE.replace(" ", "+")
MAX_TABS = 100

FOCUSED_MARKER = """() => {
  const element = document.activeElement;
  if (!element || !element.matches("a.groups-map__marker")) return null;
  const ring = getComputedStyle(element.querySelector(".groups-map__ring"));
  return {name: element.getAttribute("aria-label"), ringFill: ring.fill, ringStroke: ring.stroke};
}"""


def mapped_groups() -> list[str]:
    """The English directory's groups with a place on the map (closed groups are left out)."""
    return sorted(
        LocalGroupPage.objects.visible_to_public()
        .filter(latitude__isnull=False, longitude__isnull=False, locale__language_code="en-gb")
        .exclude(status=GroupStatus.CLOSED)
        .values_list("title", flat=True)
    )


def test_every_marker_is_reached_by_tab_with_a_visible_ring(live_site, page):
    page.goto(live_site("/groups/"))
    markers = page.locator("a.groups-map__marker")
    expected = mapped_groups()
    assert "City of Sanctuary Southampton" in expected
    expect(markers).to_have_count(len(expected))

    reached = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_MARKER)
        if focused is None:
            if reached:
                break
            continue
        reached.append(focused["name"])
        # The ring is filled and outlined only while the marker has focus.
        assert focused["ringFill"] not in ("transparent", "rgba(0, 0, 0, 0)", "none")
        assert focused["ringStroke"] != "none"
    assert sorted(reached) == expected

    unfocused = page.evaluate(
        "() => getComputedStyle(document.querySelector('.groups-map__ring')).fill"
    )
    assert unfocused in ("transparent", "rgba(0, 0, 0, 0)", "none")

    markers.first.focus()
    page.keyboard.press("Enter")
    # Markers come in the list's order, by name: the first group by name first.
    first = LocalGroupPage.objects.get(title=expected[0], locale__language_code="en-gb")
    expect(page).to_have_url(live_site(first.url))


def test_with_tiles_configured_leaflet_shows_the_markers_on_them(live_site, page, settings):
    with StubServer() as tiles:
        tiles.routes = {}  # every tile answers 404; the requests are what is checked
        settings.MAP_TILE_URL = tiles.url + "/{z}/{x}/{y}.png"
        settings.MAP_TILE_ATTRIBUTION = "Test tiles"
        refused = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.goto(live_site("/groups/"))

        expect(page.locator(".groups-map__leaflet.leaflet-container")).to_be_visible()
        expect(page.locator("svg.groups-map__svg")).to_be_hidden()
        expect(page.locator(".leaflet-marker-icon.groups-map__pin")).to_have_count(
            len(mapped_groups())
        )
        expect(page.locator(".leaflet-control-attribution")).to_contain_text("Test tiles")
        for _ in range(50):
            if any(path.endswith(".png") for path in tiles.requests):
                break
            time.sleep(0.1)
        assert any(path.endswith(".png") for path in tiles.requests)
        assert refused == []
        save_screenshot(page, "directory-leaflet-desktop")
        assert axe_violations(page) == []


def test_without_tiles_the_page_asks_no_other_server(live_site, page, settings):
    settings.MAP_TILE_URL = ""
    elsewhere = []
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url) if not request.url.startswith(live_site.url) else None
        ),
    )
    page.goto(live_site(NEAR))
    expect(page.locator("svg.groups-map__svg")).to_be_visible()
    assert elsewhere == []
