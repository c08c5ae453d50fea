"""/api/v3/letters/{letter}/campaign/: a letter campaign's figures, aggregates only, in the one
OpenAPI document, cached at most 30 s by the site and 30 s by browsers and CDNs."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from letters.downloads import add_to_todays_count, count_download
from letters.models import Constituency, InvitationSent, LetterPage, MPAnswer
from tests.api.test_golden import assert_matches_golden

pytestmark = pytest.mark.django_db

URL = "/api/v3/letters/invite-your-mp-sanctuary-in-parliament-2018/campaign/"


@pytest.fixture
def campaign(demo_site) -> LetterPage:
    letter = LetterPage.objects.get(slug="invite-your-mp-sanctuary-in-parliament-2018")
    itchen = Constituency.objects.get(slug="southampton-itchen")
    ipswich = Constituency.objects.get(slug="ipswich")
    count_download(letter, itchen, "docx")
    count_download(letter, ipswich, "pdf")
    add_to_todays_count(InvitationSent, letter=letter, constituency=itchen)
    add_to_todays_count(InvitationSent, letter=letter, constituency=itchen)
    today = timezone.localdate()
    MPAnswer.objects.create(letter=letter, constituency=itchen, answer="attended", date=today)
    MPAnswer.objects.create(letter=letter, constituency=ipswich, answer="declined", date=today)
    return letter


def test_campaign_figures_match_golden(client, campaign):
    response = client.get(URL)
    assert response.status_code == 200
    assert_matches_golden("campaign", response.json())


def test_the_figures_are_the_known_counts_per_region(client, campaign):
    body = client.get(URL).json()
    assert body["totals"] == {
        "constituencies": 5,
        "letters_downloaded": 2,
        "invitations_sent": 2,
        "constituencies_invited": 1,
        "replied": 0,
        "will_attend": 0,
        "declined": 1,
        "attended": 1,
    }
    regions = {region["code"]: region for region in body["regions"]}
    assert (regions["south-east"]["attended"], regions["east-of-england"]["declined"]) == (1, 1)
    assert regions["london"]["constituencies"] == 0
    assert len(body["regions"]) == 12 and len(body["nations"]) == 4


def test_the_answer_is_kept_at_most_a_minute(client, campaign):
    first = client.get(URL)
    assert "public" in first["Cache-Control"]
    assert "max-age=30" in first["Cache-Control"]
    # A new invitation does not start a new content generation: the cached answer stays
    # until its 30 s are up, never longer (tests/letters/test_invitations.py checks expiry).
    assert client.get(URL)["X-Page-Cache"] == "hit"


def test_an_unknown_or_unpublished_letter_is_a_404(client, campaign):
    assert client.get("/api/v3/letters/no-such-letter/campaign/").status_code == 404
    campaign.unpublish()
    assert client.get(URL).status_code == 404


def test_the_figures_are_in_the_openapi_document(client, campaign):
    document = client.get("/api/v3/openapi.json").json()
    operation = document["paths"]["/api/v3/letters/{letter_slug}/campaign/"]["get"]
    assert operation["operationId"] == "letters_campaign"
    assert "up to a minute old" in operation["description"]


def test_the_constituency_letter_route_still_answers(client, campaign):
    response = client.get(
        "/api/v3/letters/invite-your-mp-sanctuary-in-parliament-2018/southampton-itchen/"
    )
    assert response.status_code == 200


def test_the_figures_take_the_same_queries_however_many_constituencies_and_answers(
    client, campaign
):
    def queries() -> int:
        cache.clear()  # the page cache would answer otherwise
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    few = queries()
    today = timezone.localdate()
    for number in range(30):
        seat = Constituency.objects.create(
            gss_code=f"W0700{number:04d}", name=f"Seat {number}", slug=f"seat-{number}",
            nation="wales", region="wales",
        )  # fmt: skip
        add_to_todays_count(InvitationSent, letter=campaign, constituency=seat)
        MPAnswer.objects.create(letter=campaign, constituency=seat, answer="replied", date=today)
    client.get(URL)  # the new content generation's first lookups
    # The site's Locale and the Welsh translation lookups (i18n) take three of them.
    assert queries() == few <= 13
    wales = next(
        nation for nation in client.get(URL).json()["nations"] if nation["code"] == "wales"
    )
    assert (wales["constituencies"], wales["replied"]) == (30, 30)


def same_moment(text: str, moment: datetime.datetime) -> bool:
    """An API datetime (JSON keeps milliseconds) is the moment given."""
    return abs(datetime.datetime.fromisoformat(text) - moment) < datetime.timedelta(milliseconds=1)


def test_letter_summaries_say_whether_the_campaign_is_open_and_when_it_opens_and_closes(
    client, open_campaign
):
    """The effective dates, as the site applies them: the invitation reopened until a date
    staff set; its follow-ups open when that invitation closes (set by the fixture), with no
    close yet. The demo's closed 2018 invitation is pinned by the golden files."""
    items = {item["slug"]: item for item in client.get("/api/v3/letters/").json()["items"]}
    invitation = items[open_campaign.slug]
    assert invitation["is_open"] is True
    assert invitation["opens_at"] is None  # open since it was published
    assert same_moment(invitation["closes_at"], open_campaign.closes_at)
    follow_ups = LetterPage.objects.filter(event_id=open_campaign.event_id).exclude(
        pk=open_campaign.pk
    )
    assert follow_ups
    for follow_up in follow_ups:
        summary = items[follow_up.slug]
        assert summary["is_open"] is False
        assert same_moment(summary["opens_at"], follow_up.opens_at)
        assert summary["closes_at"] is None
    letter = client.get(f"/api/v3/letters/{open_campaign.slug}/southampton-itchen/").json()
    assert letter["letter"]["is_open"] is True
    assert letter["letter"]["closes_at"] == invitation["closes_at"]


def test_a_closed_campaign_is_not_open_and_gives_its_event_end_as_its_close(client, demo_site):
    letter = LetterPage.objects.select_related("event").get(
        slug="invite-your-mp-sanctuary-in-parliament-2018"
    )
    summary = client.get(URL).json()["letter"]
    assert summary["is_open"] is False
    assert same_moment(summary["closes_at"], letter.event.end)
