"""letters/find_mp.py, the /find-your-mp/ page and the constituency admin listing."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache

from letters.find_mp import FindOutcome, FindYourMPForm, find_constituencies
from letters.models import Constituency
from letters.postcode_import import import_postcodes
from tests.stub_server import Answer


@pytest.fixture
def seats(no_constituencies) -> dict[str, Constituency]:
    """Three seats, and no others: searches are checked against exactly these."""
    rows = [
        ("W07000112", "Ynys Môn", "ynys-mon", "wales", "wales", "Llinos Medi", "Plaid Cymru"),
        ("E14001302", "Ipswich", "ipswich", "england", "east-of-england", "Jack Abbott", "Labour (Co-op)"),
        ("E14001156", "Central Suffolk and North Ipswich", "central-suffolk-and-north-ipswich",
         "england", "east-of-england", "Patrick Spencer", "Independent"),
    ]  # fmt: skip
    return {
        slug: Constituency.objects.create(
            gss_code=code,
            name=name,
            slug=slug,
            nation=nation,
            region=region,
            current_mp_name=mp,
            current_mp_party=party,
        )  # fmt: skip
        for code, name, slug, nation, region, mp, party in rows
    }


@pytest.fixture
def postcodes_io_down(stub_server, settings):
    settings.POSTCODES_IO_BASE_URL = stub_server.url
    stub_server.routes["/postcodes/IP11AA"] = Answer(status=503, body="down")
    cache.clear()
    yield stub_server
    cache.clear()


def test_name_search_ignores_accents_case_and_punctuation(seats):
    result = find_constituencies("ynys mon")
    assert result.outcome is FindOutcome.FOUND
    assert result.constituencies == [seats["ynys-mon"]]


def test_name_search_finds_constituencies_then_mps(seats):
    assert find_constituencies("IPSWICH").constituencies == [
        seats["central-suffolk-and-north-ipswich"],
        seats["ipswich"],
    ]
    assert find_constituencies("jack abbott").constituencies == [seats["ipswich"]]


def test_name_search_without_matches_says_so(seats):
    result = find_constituencies("Atlantis")
    assert result.outcome is FindOutcome.NO_MATCH
    assert "No constituency or MP matches" in result.message


def test_postcode_service_down_offers_name_search_which_still_works(seats, postcodes_io_down):
    result = find_constituencies("IP1 1AA")
    assert result.outcome is FindOutcome.SERVICE_DOWN
    assert "search by your constituency or MP name" in result.message
    assert find_constituencies("Ipswich").outcome is FindOutcome.FOUND


def test_form_puts_problems_on_the_field(seats):
    form = FindYourMPForm({"q": "SO14"})
    result = form.find()
    assert result.outcome is FindOutcome.POSTCODE_PROBLEM
    assert "only the first half of a postcode" in form.errors["q"][0]


def test_unsubmitted_form_finds_nothing():
    assert FindYourMPForm().find() is None


def test_page_shows_the_form_with_postcode_autocomplete(client, db):
    html = client.get("/find-your-mp/").content.decode()
    assert 'autocomplete="postal-code"' in html
    assert "Postcode, constituency or MP name" in html
    assert 'method="get"' in html


def test_page_lists_matching_constituencies_with_their_mp(client, seats):
    html = client.get("/find-your-mp/", {"q": "ipswich"}).content.decode()
    assert "Jack Abbott" in html and "Patrick Spencer" in html


def test_error_summary_links_to_the_field(client, seats):
    response = client.get("/find-your-mp/", {"q": "SO14"})
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_q"' in html
    assert "only the first half of a postcode" in html
    assert 'aria-describedby="id_q-hint id_q-error"' in html


def test_page_says_when_the_postcode_service_is_down(client, seats, postcodes_io_down):
    html = client.get("/find-your-mp/", {"q": "IP1 1AA"}).content.decode()
    assert "not answering" in html
    assert "You can still search by the name" in html


@pytest.mark.parametrize(
    "query",
    [
        "a" * 5000,
        "<script>alert(1)</script>",
        "../../etc/passwd",
        "%ff%fe%00",
        "\x00",
        "SO14 0AA' OR 1=1 --",
        "     ",
        "ŵŷ",
    ],
)
def test_odd_input_never_gives_a_server_error(client, seats, query, settings):
    settings.POSTCODES_IO_BASE_URL = "http://127.0.0.1:9"  # nothing listens: no real lookups
    cache.clear()
    response = client.get("/find-your-mp/", {"q": query})
    # A NUL byte no route can use is refused up front with the 400 page (core/bad_input.py).
    assert response.status_code == (400 if "\x00" in query else 200)
    assert b"<script>alert" not in response.content


def test_raw_non_utf8_percent_escapes_never_give_a_server_error(client, seats):
    response = client.get("/find-your-mp/?q=%ff%fe%c3%28")
    assert response.status_code == 200


def test_post_is_not_allowed(client, db):
    assert client.post("/find-your-mp/", {"q": "x"}).status_code == 405


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(username="staff", password="pw")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_constituency"),
    )
    client.force_login(user)
    return client


def test_admin_listing_filters_by_nation_and_searches(staff_client, seats):
    html = staff_client.get("/admin/constituencies/", {"nation": "wales"}).content.decode()
    assert "Ynys Môn" in html and "Ipswich" not in html
    html = staff_client.get("/admin/constituencies/", {"q": "abbott"}).content.decode()
    assert "Ipswich" in html and "Ynys Môn" not in html


def test_admin_listing_filters_constituencies_no_group_covers(staff_client, seats):
    html = staff_client.get("/admin/constituencies/", {"uncovered": "true"}).content.decode()
    assert "Ynys Môn" in html
    html = staff_client.get("/admin/constituencies/", {"uncovered": "false"}).content.decode()
    assert "Ynys Môn" not in html  # no group covers any seat here


def test_admin_listing_exports_csv(staff_client, seats):
    response = staff_client.get("/admin/constituencies/", {"export": "csv"})
    body = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode()
    )
    assert response.status_code == 200
    assert "W07000112" in body and "Llinos Medi" in body


def test_admin_listing_needs_the_model_permission(client, django_user_model, seats):
    user = django_user_model.objects.create_user(username="editor", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/constituencies/").status_code in {302, 403}


@pytest.fixture
def so14_imported(demo_site, tmp_path):
    """SO14 7LY (Southampton Itchen) in the imported postcode table: no service is asked."""
    path = tmp_path / "so14.csv"
    path.write_text(
        "pcds,dointr,doterm,pcon,lat,long\nSO14 7LY,199606,,E14001499,50.90395,-1.39779\n",
        encoding="utf-8",
    )
    import_postcodes(path)


def result_links(response) -> list[tuple[str, str]]:
    """(href, text) of the links inside the results list, in order."""
    results = re.search(
        r'<ul class="find-your-mp__results">(.*?)</ul>\s*</li>\s*</ul>',
        response.content.decode(),
        re.S,
    ).group(1)
    return [
        (href, " ".join(re.sub(r"<[^>]+>", "", text).split()))
        for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', results, re.S)
    ]


def test_a_postcode_result_leads_to_the_postcode_answer_its_letters_and_its_group(
    client, so14_imported, open_campaign
):
    response = client.get("/find-your-mp/", {"q": "so14 7ly"})

    assert result_links(response) == [
        ("/near/?postcode=SO14+7LY", "Your MP, groups, letters and events near SO14 7LY"),
        (
            "/letters/invite-your-mp-sanctuary-in-parliament-2018/southampton-itchen/",
            "Invite your MP to Sanctuary in Parliament 2018: the letter for Southampton Itchen",
        ),
        ("/groups/southampton/", "City of Sanctuary Southampton"),
    ]


def test_a_name_result_leads_to_its_letters_and_its_group(client, demo_site, open_campaign):
    response = client.get("/find-your-mp/", {"q": "Ipswich"})

    links = result_links(response)
    assert (
        "/letters/invite-your-mp-sanctuary-in-parliament-2018/ipswich/",
        "Invite your MP to Sanctuary in Parliament 2018: the letter for Ipswich",
    ) in links
    assert ("/groups/ipswich/", "Ipswich Town of Sanctuary") in links
    assert not any(href.startswith("/near/") for href, _ in links)  # no postcode to answer


def test_a_result_no_group_covers_says_so(client, seats):
    response = client.get("/find-your-mp/", {"q": "Ynys Mon"})
    assert "No local group covers Ynys Môn yet." in response.content.decode()


def test_on_a_letter_page_a_result_leads_to_that_letter_and_its_group(client, so14_imported):
    response = client.get(
        "/letters/invite-your-mp-sanctuary-in-parliament-2018/", {"q": "SO14 7LY"}
    )

    assert result_links(response) == [
        (
            "/letters/invite-your-mp-sanctuary-in-parliament-2018/southampton-itchen/",
            "Southampton Itchen",
        ),
        ("/near/?postcode=SO14+7LY", "Your MP, groups, letters and events near SO14 7LY"),
        ("/groups/southampton/", "City of Sanctuary Southampton"),
    ]
