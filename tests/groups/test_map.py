"""groups/map.py and the map on /groups/: an inline SVG with a marker per live, public group
that has a location; Leaflet and a tile host only where MAP_TILE_URL is set."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from wagtail.models import PageViewRestriction

from core.security import map_tile_source
from groups.map import HEIGHT, OUTLINE_FILE, WIDTH, nations, project
from groups.models import GroupIndexPage, LocalGroupPage
from tests.groups.factories import LocalGroupPageFactory

ABERDEEN = ("57.14966", "-2.09428")
TILES = "http://tiles.example.test/{z}/{x}/{y}.png"


class MapParser(HTMLParser):
    """The map's markers (links inside the SVG) and every URL the page would fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.in_svg = 0
        self.markers: list[dict] = []
        self.fetched: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "svg":
            self.in_svg += 1
        if self.in_svg and tag == "a":
            self.markers.append(attributes)
        if tag in ("script", "img", "iframe", "source", "image", "use") and attributes.get("src"):
            self.fetched.append(attributes["src"])
        # rel="alternate" (the page in the other language, a feed) and rel="canonical" (the
        # page's own address) name an address: nothing fetches them.
        named_only = attributes.get("rel") in ("alternate", "canonical")
        if tag == "link" and attributes.get("href") and not named_only:
            self.fetched.append(attributes["href"])

    def handle_endtag(self, tag) -> None:
        if tag == "svg":
            self.in_svg -= 1


def parse(response) -> MapParser:
    parser = MapParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def index(demo_site) -> GroupIndexPage:
    return GroupIndexPage.objects.get()


@pytest.fixture
def demo_located(index) -> list[str]:
    """The demo's groups with a location (all public), by name, before a test adds any."""
    return list(LocalGroupPage.objects.exclude(latitude=None).values_list("title", flat=True))


@pytest.fixture
def groups(index, demo_located) -> dict[str, LocalGroupPage]:
    located = {"latitude": ABERDEEN[0], "longitude": ABERDEEN[1]}
    private = LocalGroupPageFactory(parent=index, title="Private Town of Sanctuary", **located)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    unpublished = LocalGroupPageFactory(parent=index, title="Draft Town of Sanctuary", **located)
    unpublished.unpublish()
    return {
        "aberdeen": LocalGroupPageFactory(
            parent=index, title="Aberdeen City of Sanctuary", **located
        ),
        "nowhere": LocalGroupPageFactory(parent=index, title="Anywhere Town of Sanctuary"),
        "private": private,
        "unpublished": unpublished,
    }


def test_directory_map_has_one_named_link_per_public_group_with_a_location(
    client, groups, demo_located
):
    response = client.get("/groups/")
    markers = parse(response).markers

    # The demo's groups (Southampton, Ipswich, Cardiff...) and Aberdeen; not the group without
    # a location, the private one or the unpublished one.
    expected = sorted([*demo_located, "Aberdeen City of Sanctuary"])
    assert "City of Sanctuary Southampton" in expected
    assert sorted(marker["aria-label"] for marker in markers) == expected
    assert {marker["aria-label"]: marker["href"] for marker in markers}[
        "Aberdeen City of Sanctuary"
    ] == groups["aberdeen"].url
    html = response.content.decode()
    assert html.count('class="groups-map__marker"') == len(expected)
    # Each marker's own <title> (a tooltip) says its name too, and the SVG has a title.
    assert "<title>Aberdeen City of Sanctuary</title>" in html
    assert re.search(r'<svg class="groups-map__svg"[^>]*aria-labelledby="groups-map-title"', html)
    assert '<title id="groups-map-title">Map of local groups' in html
    # The list comes first.
    assert html.index('class="card-list"') < html.index('class="groups-map"')


def test_directory_map_follows_the_filters(client, groups):
    markers = parse(client.get("/groups/", {"q": "aberdeen"})).markers
    assert [marker["aria-label"] for marker in markers] == ["Aberdeen City of Sanctuary"]


def test_directory_map_shows_groups_of_every_page_not_only_this_one(client, index, demo_located):
    for number in range(25):
        LocalGroupPageFactory(
            parent=index, title=f"Group {number:02}", latitude="53.0", longitude="-2.0"
        )
    markers = parse(client.get("/groups/")).markers
    # 20 groups to a page; the map has every one
    assert len(markers) == len(demo_located) + 25


def test_projection_places_markers_inside_the_frame_north_up():
    aberdeen, southampton = project(57.14966, -2.09428), project(50.9097, -1.40435)
    assert 0 < aberdeen[0] < WIDTH and 0 < aberdeen[1] < HEIGHT
    assert aberdeen[1] < southampton[1]  # north is up
    assert southampton[0] > aberdeen[0]  # Southampton is east of Aberdeen


def test_outline_has_the_four_nations_and_stays_small():
    assert [nation.name for nation in nations()] == [
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
    ]
    assert OUTLINE_FILE.stat().st_size < 30_000
    assert "public domain" in json.loads(OUTLINE_FILE.read_text())["licence"]


def test_without_map_tile_url_nothing_is_fetched_from_another_server(client, groups, settings):
    settings.MAP_TILE_URL = ""
    response = client.get("/groups/")
    fetched = parse(response).fetched
    html = response.content.decode()

    assert fetched, "the page's own stylesheet at least"
    assert [url for url in fetched if not url.startswith("/")] == []
    assert "leaflet" not in html.lower()
    assert "tiles.example.test" not in response["Content-Security-Policy"]


def test_with_map_tile_url_the_page_loads_vendored_leaflet_and_allows_the_tiles(
    client, groups, demo_located, settings
):
    settings.MAP_TILE_URL = TILES
    settings.MAP_TILE_ATTRIBUTION = "Tiles by Example"
    response = client.get("/groups/")
    fetched = parse(response).fetched
    html = response.content.decode()

    leaflet = [url for url in fetched if "leaflet" in url]
    assert any(url.endswith(".js") for url in leaflet)
    assert any(url.endswith(".css") for url in leaflet)
    assert any("groups-map" in url and url.endswith(".js") for url in fetched)
    assert [url for url in fetched if not url.startswith("/")] == []  # vendored, no CDN
    data = json.loads(
        re.search(r'<script id="groups-map-data" type="application/json">(.*?)</script>', html)[1]
    )
    assert data["tiles"] == {"url": TILES, "attribution": "Tiles by Example"}
    assert sorted(marker["name"] for marker in data["markers"]) == sorted(
        [*demo_located, "Aberdeen City of Sanctuary"]
    )
    img_src = next(
        directive
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip().startswith("img-src")
    )
    assert "http://tiles.example.test" in img_src.split()


def test_leaflet_is_vendored_with_its_licence():
    for name in ("leaflet.js", "leaflet.css", "LICENSE"):
        assert finders.find(f"vendor/leaflet/{name}"), name
    assert "BSD" in Path(finders.find("vendor/leaflet/LICENSE")).read_text()
    assert finders.find("js/groups-map.js")


@pytest.mark.parametrize(
    ("tile_url", "source"),
    [
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
        ("", ""),
        ("javascript:alert(1)", ""),
        ("https://a.{s}.example.org/{z}.png", ""),
        ("https://x.example.org; script-src *", ""),
    ],
)
def test_map_tile_source_for_the_csp(tile_url, source):
    assert map_tile_source(tile_url) == source
