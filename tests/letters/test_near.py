"""/near/ (letters/near.py): one postcode, one answer, for every outcome of the postcode lookup.

postcodes.io is the local stand-in (tests/stub_server.py) answering with the recorded answers
in ../shared/data/api-samples/, moved to the postcodes used here.
"""

import copy
import datetime
import re

import pytest
from django.utils import timezone

from events.models import EventPage
from groups.models import LocalGroupPage
from tests.stub_server import Answer, json_answer

# The centre of SO14 7LY (Southampton), and of SE1P 5ZZ (Bermondsey) from the ONSPD sample.
SO14_7LY = (50.90395, -1.39779)
SE1P_5ZZ = (51.492762, -0.080152)


def moved(template: dict, postcode: str, gss_code: str, where: tuple[float, float]) -> dict:
    answer = copy.deepcopy(template)
    answer["result"].update(postcode=postcode, latitude=where[0], longitude=where[1])
    answer["result"]["codes"]["parliamentary_constituency_2024"] = gss_code
    return answer


@pytest.fixture
def postcodes(postcodes_io, api_samples):
    sevenoaks = api_samples["postcodes_io_postcodes_BR87RE"]
    postcodes_io.routes.update(
        {
            # Southampton Itchen: in the demo content, covered by the Southampton group.
            "/postcodes/SO147LY": json_answer(moved(sevenoaks, "SO14 7LY", "E14001499", SO14_7LY)),
            # Sevenoaks itself: a constituency the demo content has not loaded.
            "/postcodes/BR87RE": json_answer(sevenoaks),
            "/postcodes/AB10AA": json_answer(
                api_samples["postcodes_io_postcodes_404_terminated"], status=404
            ),
            "/postcodes/SW1A9ZZ": json_answer(
                {"status": 404, "error": "Postcode not found"}, status=404
            ),
            "/postcodes/SO140AA": Answer(status=503, body="down"),
        }
    )
    return postcodes_io


@pytest.fixture
def upcoming_events(demo_site):
    """One upcoming event by the Southampton group, one by Ipswich's, one national."""
    southampton = LocalGroupPage.objects.get(slug="southampton")
    ipswich = LocalGroupPage.objects.get(slug="ipswich")
    index = EventPage.objects.first().get_parent()
    soon = timezone.now() + datetime.timedelta(days=10)
    events = {}
    for slug, organiser, parent in [
        ("southampton-walk", southampton, southampton),
        ("ipswich-supper", ipswich, ipswich),
        ("national-day", None, index),
    ]:
        event = EventPage(
            title=slug.replace("-", " ").capitalize(),
            slug=slug,
            start=soon,
            end=soon + datetime.timedelta(hours=2),
            organiser=organiser,
        )
        parent.add_child(instance=event)
        event.save_revision().publish()
        events[slug] = event
    return events


def near(client, postcode: str):
    return client.get("/near/", {"postcode": postcode})


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_page_without_a_postcode_is_just_the_form(client, db):
    response = client.get("/near/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_postcode">Your postcode</label>' in html
    assert "There is a problem" not in html


def test_found_postcode_gives_mp_groups_letters_and_events(
    client,
    demo_site,
    postcodes,
    upcoming_events,
    uncached,
    django_assert_max_num_queries,
    open_campaign,
):
    # Uncached: the render is measured (chrome, lookup, groups, letters, events); a constant.
    # One more than before the postcode table: its primary-key lookup, before postcodes.io.
    with django_assert_max_num_queries(15):
        response = near(client, "so14 7ly")
    page = text(response)
    html = response.content.decode()
    assert response.status_code == 200
    assert "SO14 7LY is in the Southampton Itchen constituency" in page
    assert "Darren Paffey MP" in page and "Labour" in page
    assert 'href="mailto:darren.paffey.mp@parliament.uk"' in html
    assert "Darren Paffey, House of Commons, London SW1A 0AA" in page
    assert 'href="https://members.parliament.uk/member/5270/contact"' in html
    # The covering group, and the nearest groups nearest first with their distance.
    assert re.search(r'id="covering-group".*?City of Sanctuary Southampton', html, re.S)
    nearest = re.findall(r'<h3><a href="/groups/([a-z-]+)/">', html.split('id="nearest-groups"')[1])
    assert nearest == ["southampton"]  # Ipswich is about 200 km away: beyond the 80 km
    assert re.search(r"\d+\.\d km \(\d+\.\d miles\) from SO14 7LY", page)
    # The letter for this constituency, with its downloads.
    letter = "/letters/invite-your-mp-sanctuary-in-parliament-2018/southampton-itchen/"
    # The invitation campaign is current: "I've sent it" for this constituency is one link away.
    assert f'<a href="{letter}sent/">Tell us you have sent your letter to Darren Paffey' in html
    for url in (letter, letter + "docx/", letter + "pdf/", letter + "txt/"):
        assert f'href="{url}"' in html
    # Events of the nearest groups and national ones; not Ipswich's.
    assert "Southampton walk" in page and "National day" in page
    assert "Ipswich supper" not in page
    assert 'href="/groups/?near=SO14%207LY"' in html


def test_found_postcode_maps_the_postcode_and_the_groups_it_lists(client, demo_site, postcodes):
    html = near(client, "SO14 7LY").content.decode()
    groups_map = html.split('class="groups-map"')[1].split("</figure>")[0]

    # The postcode's own mark (not a link) and one link per group the answer lists: here the
    # covering and nearest group is the same Southampton group, drawn once.
    assert '<g class="groups-map__here" role="img" aria-label="Your postcode, SO14 7LY">' in (
        groups_map
    )
    assert re.findall(
        r'<a class="groups-map__marker" href="([^"]+)" aria-label="([^"]+)"', groups_map
    ) == [("/groups/southampton/", "City of Sanctuary Southampton")]
    assert html.index('id="nearest-groups"') < html.index('class="groups-map"')
    # Without MAP_TILE_URL the page fetches nothing from another server.
    assert "leaflet" not in html.lower()
    fetched = re.findall(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="([^"]*)"', html)
    # rel="alternate" (the page in Welsh) and rel="canonical" links name an address; nothing
    # fetches them.
    fetched += re.findall(
        r'<link\b(?![^>]*rel="(?:alternate|canonical)")[^>]*\bhref="([^"]*)"', html
    )
    assert fetched and [url for url in fetched if not url.startswith("/")] == []


def test_unplaced_postcode_has_no_map(client, demo_site, postcodes):
    assert 'class="groups-map"' not in near(client, "SW1A 9ZZ").content.decode()


def test_found_postcode_page_is_cached(client, demo_site, postcodes):
    near(client, "SO14 7LY")
    near(client, "SO14 7LY")
    assert postcodes.count("/postcodes/SO147LY") == 1


@pytest.mark.parametrize(
    ("postcode", "message", "next_step"),
    [
        ("", "Enter a postcode", "Browse every local group"),
        ("SO14", "only the first half of a postcode", "Find your MP by name"),
        ("hello", "not a UK postcode", "Find your MP by name"),
        ("SW1A 9ZZ", "could not find SW1A 9ZZ", "Find your MP by name"),
        ("AB1 0AA", "no longer in use (it was withdrawn in 1996)", "Find your MP by name"),
        ("JE2 4WD", "Jersey, which is not represented by an MP", "UK home address"),
        ("GY1 1AA", "Guernsey", "UK home address"),
        ("IM1 1AA", "the Isle of Man", "UK home address"),
        ("BFPO 123", "British Forces Post Office", "UK home address"),
    ],
)
def test_postcode_problems_are_on_the_field_with_a_next_step(
    client, demo_site, postcodes, postcode, message, next_step
):
    response = near(client, postcode)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    # In the summary, linked to the field, and on the field, which names it.
    assert re.search(r'<li><a href="#id_postcode">[^<]*' + re.escape(message), html)
    assert re.search(r'id="id_postcode-error">.*?' + re.escape(message), html, re.S)
    assert 'aria-describedby="id_postcode-hint id_postcode-error"' in html
    assert next_step in text(response)
    assert 'id="your-mp"' not in html


def test_terminated_postcode_still_shows_groups_near_where_it_was(client, demo_site, postcodes):
    response = near(client, "AB1 0AA")
    # Aberdeen has no demo group within 80 km: it says so and points to the whole directory.
    assert "No active group is within 80 km (50 miles) of AB1 0AA" in text(response)
    assert 'href="/groups/?near=AB1%200AA"' in response.content.decode()


def test_constituency_not_loaded_still_gives_nearest_groups(client, demo_site, postcodes):
    response = near(client, "BR8 7RE")
    page = text(response)
    assert "do not have that constituency" in page and "details yet" in page
    assert "Find your MP by name" in page
    assert 'id="nearest-groups"' in response.content.decode()


def test_service_down_offers_the_name_search_and_is_never_cached(client, demo_site, postcodes):
    first = near(client, "SO14 0AA")
    html = first.content.decode()
    assert first.status_code == 200
    assert "not answering" in text(first)
    # The next step works without the postcode service: a name search on Find your MP.
    assert re.search(r'<form method="get" action="/find-your-mp/"', html)
    assert '<label for="near-name-search">' in html
    assert "max-age" not in first.get("Cache-Control", "") or "no-store" in first["Cache-Control"]
    near(client, "SO14 0AA")
    assert postcodes.count("/postcodes/SO140AA") == 2  # not served from the page cache


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("S" * 21, "too long for a postcode"),
        ("x" * 5000, "too long for a postcode"),
        ("SO14\x007LY", "Null characters are not allowed"),
        ("<script>alert(1)</script>", "too long for a postcode"),
        ("😀 ☃ ‮", "not a UK postcode"),
        ("SO14 7LY'; DROP TABLE", "too long for a postcode"),
    ],
)
def test_odd_input_gets_a_clear_message_never_a_server_error(
    client, demo_site, postcodes, value, message
):
    response = near(client, value)
    assert response.status_code in (200, 400)
    body = response.content.decode()
    if response.status_code == 200:
        assert message in body
        assert "<script>alert" not in body
    assert postcodes.requests == []


def test_find_your_mp_and_the_home_page_link_to_the_postcode_answer(client, demo_site):
    for url in (
        "/",
        "/find-your-mp/",
        "/groups/",
        "/letters/invite-your-mp-sanctuary-in-parliament-2018/",
    ):
        assert 'href="/near/"' in client.get(url).content.decode(), url
