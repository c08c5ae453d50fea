"""The site search finds what visitors type: MPs' names, constituencies, group names and
places; bad input gets an answer, never a 500; the query count does not grow with results.

Run on SQLite and on PostgreSQL (DATABASE_URL=postgres://...): the database search backend
is a different one on each."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups.models import LocalGroupPage, Nation
from letters.models import Constituency
from tests.groups.factories import LocalGroupPageFactory

pytestmark = pytest.mark.django_db


def search(client, query: str) -> str:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200, query
    return response.content.decode()


def constituencies_block(html: str) -> str:
    start = html.index('aria-labelledby="search-constituencies-heading"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("query", ["Paffey", "paffey", "Darren Paffey", "Itchen"])
def test_an_mps_name_or_constituency_finds_its_letter_and_group(client, open_campaign, query):
    html = search(client, query)
    block = constituencies_block(html)
    assert "Southampton Itchen" in block
    assert "/letters/invite-your-mp-sanctuary-in-parliament-2018/southampton-itchen/" in block
    assert 'href="/groups/southampton/">City of Sanctuary Southampton</a> covers' in block
    # And the group's own page is among the page results, through the seats it covers.
    pages = html[html.index("</section>") :]
    assert 'href="/groups/southampton/"' in pages


def test_a_group_name_and_a_place_find_the_group(client, demo_site):
    assert 'href="/groups/ipswich/"' in search(client, "Ipswich")
    index = LocalGroupPage.objects.get(slug="southampton").get_parent()
    LocalGroupPageFactory(
        parent=index,
        title="Sampletown of Sanctuary",
        slug="sampletown",
        nation=Nation.WALES,
        region="wales",
    ).save_revision().publish()
    assert 'href="/groups/sampletown/"' in search(client, "Wales")


def test_an_accent_left_out_still_finds_the_constituency(client, demo_site):
    Constituency.objects.create(
        gss_code="W07000999",
        name="Ynys Môn",
        slug="ynys-mon",
        nation="wales",
        region="wales",
        current_mp_name="Sample Member",
    )
    assert "Ynys Môn" in constituencies_block(search(client, "ynys mon"))


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "x" * 1000,
        "Paffey " * 150,
        '"',
        "*",
        "(",
        "NEAR(a b)",
        "a AND OR NOT",
        "🏠❤️",
        "\u202eetiruces",
        "ẞtraße",
        "e\u0301",
        "%_%",
        "'; DROP TABLE x; --",
        "{{ request }}",
    ],
)
def test_bad_or_odd_input_gets_an_answer(client, demo_site, query):
    html = search(client, query)
    if len(query) > 200:
        assert "Ensure this value has at most 200 characters" in html


def test_a_postcode_points_to_the_near_page_without_asking_a_service(client, demo_site):
    html = search(client, "SO14 7LY")
    assert 'href="/near/?postcode=SO14%207LY"' in html


def test_search_queries_do_not_grow_with_the_results(client, demo_site):
    def count(query: str) -> int:
        client.get("/search/", {"q": query})  # what the generation caches, read once
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/search/", {"q": query, "v": "2"}).status_code == 200
        return len(queries)

    one = count("Itchen")
    for n in range(15):
        Constituency.objects.create(
            gss_code=f"E14099{n:03d}",
            name=f"Itchen Valley {n}",
            slug=f"itchen-valley-{n}",
            nation="england",
            region="south-east",
            current_mp_name=f"Member {n}",
        )
    assert count("Itchen") == one
    assert one <= 12
