"""The groups map: an inline SVG of the UK's four nations with a marker per group.

The list of groups always comes first; the map is an enhancement that needs no JavaScript and
no other server. Outline and markers share one fixed projection: equirectangular, with
longitude scaled by the cosine of 54.5° (the UK's middle latitude), so shapes are true enough
at this scale and a point is placed with two multiplications. The outline is a committed file
(`groups/map_outline.json`, made by `manage.py build_map_outline` from Natural Earth data, see
the README); nothing is read from the network.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

OUTLINE_FILE = Path(__file__).with_name("map_outline.json")

# The frame: longitude -8.7 to 1.9 and latitude 49.8 to 60.9 take in every part of the UK
# from the Scilly Isles to Shetland, with a margin for markers on the coast.
WEST, EAST = -8.7, 1.9
SOUTH, NORTH = 49.8, 60.9
PIXELS_PER_DEGREE = 50.0  # of latitude: the frame is about 308 x 555 units
LONGITUDE_SCALE = math.cos(math.radians(54.5))
WIDTH = round((EAST - WEST) * LONGITUDE_SCALE * PIXELS_PER_DEGREE)
HEIGHT = round((NORTH - SOUTH) * PIXELS_PER_DEGREE)


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """A point's x and y in the SVG's viewBox (y grows southwards)."""
    x = (longitude - WEST) * LONGITUDE_SCALE * PIXELS_PER_DEGREE
    y = (NORTH - latitude) * PIXELS_PER_DEGREE
    return round(x, 1), round(y, 1)


def in_frame(latitude: float, longitude: float) -> bool:
    return SOUTH <= latitude <= NORTH and WEST <= longitude <= EAST


@dataclass(frozen=True)
class Nation:
    code: str  # ENG, SCT, WLS, NIR (Natural Earth's gu_a3)
    name: str
    path: str  # SVG path data in the viewBox's units


@cache
def nations() -> tuple[Nation, ...]:
    """The four nations' outlines, read once per process."""
    data = json.loads(OUTLINE_FILE.read_text(encoding="utf-8"))
    return tuple(Nation(item["code"], item["name"], item["path"]) for item in data["nations"])


@dataclass(frozen=True)
class Marker:
    """One place on the map: a group (a link to its page) or the visitor's postcode."""

    name: str
    latitude: float
    longitude: float
    url: str = ""

    @property
    def x(self) -> float:
        return project(self.latitude, self.longitude)[0]

    @property
    def y(self) -> float:
        return project(self.latitude, self.longitude)[1]

    @property
    def diamond(self) -> str:
        """SVG path data for the postcode's mark: a diamond around the point."""
        x, y = project(self.latitude, self.longitude)
        # Larger than a group's dot, so it still shows when a group is at the same place.
        return f"M{x} {y - 12:.1f}l12 12-12 12-12-12z"

    def as_json(self) -> dict:
        """For the Leaflet script (a json_script tag), where tiles are configured."""
        return {"name": self.name, "url": self.url, "lat": self.latitude, "lon": self.longitude}


def group_markers(groups, request) -> list[Marker]:
    """A marker per group with a location inside the frame, in the order given, each once.

    `groups` are pages already loaded with title, url_path, latitude and longitude; no query
    is made here beyond what `get_url` needs (the site's root paths, cached per request).
    """
    markers: list[Marker] = []
    seen: set[int] = set()
    for group in groups:
        if group.pk in seen or group.latitude is None or group.longitude is None:
            continue
        latitude, longitude = float(group.latitude), float(group.longitude)
        if not in_frame(latitude, longitude):
            continue
        seen.add(group.pk)
        markers.append(Marker(group.title, latitude, longitude, group.get_url(request)))
    return markers


@dataclass(frozen=True)
class GroupsMap:
    """What templates/includes/groups_map.html draws."""

    markers: list[Marker]
    title: str
    description: str
    here: Marker | None = None  # the visitor's postcode, on /near/
    dom_id: str = "groups-map"

    width = WIDTH
    height = HEIGHT

    @property
    def nations(self) -> tuple[Nation, ...]:
        return nations()

    @property
    def data_id(self) -> str:
        return f"{self.dom_id}-data"

    @property
    def tile_url(self) -> str:
        """Where MAP_TILE_URL is set, the page also loads Leaflet with those tiles."""
        return settings.MAP_TILE_URL

    def leaflet_data(self) -> dict:
        return {
            "tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
            "markers": [marker.as_json() for marker in self.markers],
            "here": self.here.as_json() if self.here else None,
        }
