"""groups/query.py `near()`, the directory's "near a postcode" sort and the API's `near`.

Expected distances come from the haversine formula worked out here, independently of the
database's law-of-cosines expression; the two agree to well under 10 m at these distances.
"""

import math
import re

import pytest

from groups.models import GroupIndexPage, GroupStatus, LocalGroupPage
from tests.groups.factories import LocalGroupPageFactory
from tests.stub_server import Answer, json_answer

# Real places (town centres): latitude, longitude.
ABERDEEN = (57.14966, -2.09428)
BERMONDSEY = (51.49276, -0.08015)  # SE1P 5ZZ in the ONSPD sample
# The demo groups' own coordinates (groups/demo.py).
SOUTHAMPTON = (50.90970, -1.40435)
IPSWICH = (52.05917, 1.15545)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (map(math.radians, point) for point in (a, b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def by_distance(point: tuple[float, float], **filters) -> list[tuple[LocalGroupPage, float]]:
    """Every group with a location (the demo's and the test's), nearest first, worked out here."""
    located = LocalGroupPage.objects.filter(**filters).exclude(latitude=None)
    distances = [
        (group, haversine_km(point, (float(group.latitude), float(group.longitude))))
        for group in located
    ]
    return sorted(distances, key=lambda pair: pair[1])


@pytest.fixture
def index(demo_site) -> GroupIndexPage:
    return GroupIndexPage.objects.get()


@pytest.fixture
def more_groups(index) -> dict[str, LocalGroupPage]:
    return {
        "aberdeen": LocalGroupPageFactory(
            parent=index,
            title="Aberdeen City of Sanctuary",
            latitude=str(ABERDEEN[0]),
            longitude=str(ABERDEEN[1]),
        ),
        "nowhere": LocalGroupPageFactory(parent=index, title="Anywhere Town of Sanctuary"),
    }


def test_near_orders_by_great_circle_distance_matching_haversine(more_groups):
    expected = by_distance(BERMONDSEY)
    assert len(expected) > 3  # the demo's groups and Aberdeen
    groups = list(LocalGroupPage.objects.near(*BERMONDSEY))

    assert [group.slug for group in groups] == [
        *(group.slug for group, _ in expected),
        more_groups["nowhere"].slug,
    ]
    for group, (_, km) in zip(groups, expected, strict=False):
        assert group.distance_km == pytest.approx(km, abs=0.01)
        assert group.distance_miles == pytest.approx(group.distance_km / 1.609344)


def test_groups_without_a_location_come_last_with_no_distance(more_groups):
    groups = list(LocalGroupPage.objects.near(*ABERDEEN))
    assert groups[0] == more_groups["aberdeen"]
    assert groups[0].distance_km == pytest.approx(0, abs=1e-6)  # the same point: no ACOS error
    assert groups[-1] == more_groups["nowhere"]
    assert groups[-1].distance_km is None


def test_within_km_keeps_only_groups_inside_the_radius(more_groups):
    expected = [group.slug for group, km in by_distance(BERMONDSEY) if km < 110]
    assert "ipswich" in expected and "southampton" not in expected  # about 104 and 111 km
    nearby = LocalGroupPage.objects.near(*BERMONDSEY, within_km=110)
    assert [group.slug for group in nearby] == expected
    nearest_km = by_distance(BERMONDSEY)[0][1]
    assert LocalGroupPage.objects.near(*BERMONDSEY, within_km=nearest_km - 1).count() == 0


def test_near_composes_with_other_filters(more_groups):
    nearest = by_distance(BERMONDSEY)[0][0]
    LocalGroupPage.objects.filter(pk=nearest.pk).update(status=GroupStatus.CLOSED)
    active = LocalGroupPage.objects.filter(status=GroupStatus.ACTIVE).near(*BERMONDSEY)
    assert active[0] == by_distance(BERMONDSEY, status=GroupStatus.ACTIVE)[0][0] != nearest


@pytest.fixture
def bermondsey(postcodes_io, api_samples):
    """postcodes.io's stand-in answering SE1P 5ZZ with Bermondsey (the recorded Sevenoaks
    answer, moved), and 503 for SO14 0AA."""
    answer = api_samples["postcodes_io_postcodes_BR87RE"]
    answer["result"].update(postcode="SE1P 5ZZ", latitude=BERMONDSEY[0], longitude=BERMONDSEY[1])
    answer["result"]["codes"]["parliamentary_constituency_2024"] = "E14001085"
    postcodes_io.routes["/postcodes/SE1P5ZZ"] = json_answer(answer)
    postcodes_io.routes["/postcodes/SO140AA"] = Answer(status=503, body="down")
    return postcodes_io


def cards(html: str) -> list[tuple[str, str]]:
    """(title, distance line) for each card of the directory."""
    found = re.findall(
        r'<li class="card card--group">.*?<h3><a href="[^"]+">([^<]+)</a></h3>.*?<p class="meta distance">([^<]+)</p>',
        html,
        flags=re.S,
    )
    return [(title, " ".join(distance.split())) for title, distance in found]


def test_directory_sorts_near_a_postcode_and_shows_km_and_miles(client, more_groups, bermondsey):
    html = client.get("/groups/", {"near": "se1p 5zz"}).content.decode()
    listed = cards(html)
    expected = by_distance(BERMONDSEY)
    assert [title for title, _ in listed] == [
        *(group.title for group, _ in expected),
        "Anywhere Town of Sanctuary",
    ]
    ipswich_km = haversine_km(BERMONDSEY, IPSWICH)
    assert dict(listed)["Ipswich Town of Sanctuary"] == (
        f"{ipswich_km:.1f} km ({ipswich_km / 1.609344:.1f} miles) from SE1P 5ZZ"
    )
    assert listed[-1][1].startswith("No location recorded for this group")
    assert "nearest SE1P 5ZZ first" in html


def test_directory_explains_a_postcode_it_cannot_place_and_sorts_by_name(
    client, more_groups, bermondsey
):
    response = client.get("/groups/", {"near": "SO14"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "We could not sort groups by distance" in html
    assert "only the first half of a postcode" in html
    assert "distance" not in "".join(title for title, _ in cards(html))
    assert 'class="meta distance"' not in html


@pytest.mark.parametrize("value", ["x" * 500, "SO14\x000AA", "<script>", "😀😀"])
def test_directory_near_with_odd_input_is_a_clear_message(client, more_groups, value):
    response = client.get("/groups/", {"near": value})
    assert response.status_code in (200, 400)
    assert 'class="meta distance"' not in response.content.decode()


def test_directory_near_when_the_postcode_service_is_down_is_not_cached(
    client, more_groups, bermondsey
):
    first = client.get("/groups/", {"near": "SO14 0AA"})
    assert "not answering" in first.content.decode()
    client.get("/groups/", {"near": "SO14 0AA"})
    assert bermondsey.count("/postcodes/SO140AA") == 2  # asked again: the page was not kept


def test_api_group_list_near_a_postcode(client, more_groups, bermondsey):
    body = client.get("/api/v3/groups/", {"near": "SE1P 5ZZ"}).json()
    (first, first_km), (second, _) = by_distance(BERMONDSEY)[:2]
    assert [item["slug"] for item in body["items"]][:2] == [first.slug, second.slug]
    assert body["items"][0]["distance_km"] == pytest.approx(first_km, abs=0.01)
    assert body["items"][-1]["distance_km"] is None
    assert client.get("/api/v3/groups/").json()["items"][0]["distance_km"] is None


@pytest.mark.parametrize(
    ("value", "status"), [("SO14", 400), ("hello", 400), ("JE2 4WD", 400), ("SO14 0AA", 503)]
)
def test_api_group_list_near_a_postcode_it_cannot_place(
    client, more_groups, bermondsey, value, status
):
    response = client.get("/api/v3/groups/", {"near": value})
    assert response.status_code == status
    assert response.json()["errors"][0]["parameter"] == "near"
