"""letters/members_api.py and `manage.py sync_mps`, against a local stand-in Members API."""

import copy
import io

import pytest
from django.core.management import CommandError, call_command

from letters.models import Constituency
from tests.stub_server import Answer, json_answer

# Syncs are checked against the seats each test makes, not beside the demo's.
pytestmark = pytest.mark.usefixtures("no_constituencies")

SEARCH = "/api/Members/Search?House=1&IsCurrentMember=true&skip={skip}&take=20"


@pytest.fixture
def members_api(stub_server, settings):
    settings.MEMBERS_API_BASE_URL = stub_server.url
    settings.MEMBERS_API_TIMEOUT = 0.5
    settings.MEMBERS_API_RETRIES = 2
    settings.MEMBERS_API_BACKOFF = 0  # retry at once: the tests check retries, not waiting
    return stub_server


def member_item(sample: dict, member_id: int, name: str, party: str, seat: str) -> dict:
    """A search result item like the recorded one for Keir Starmer, for another MP."""
    item = copy.deepcopy(sample["items"][0])
    value = item["value"]
    value.update(id=member_id, nameDisplayAs=name, nameFullTitle=f"{name} MP")
    value["latestParty"]["name"] = party
    value["latestHouseMembership"]["membershipFrom"] = seat
    return item


def search_page(sample: dict, items: list[dict], total: int, skip: int = 0) -> Answer:
    page = copy.deepcopy(sample)
    page.update(items=items, totalResults=total, skip=skip)
    return json_answer(page)


def contact(email: str) -> Answer:
    return json_answer(
        {
            "value": [
                {
                    "type": "Parliamentary office",
                    "typeId": 1,
                    "email": email,
                    "line1": "House of Commons",
                }
            ]
        }
    )


def seat(gss_code: str, name: str, **mp) -> Constituency:
    return Constituency.objects.create(
        gss_code=gss_code,
        name=name,
        slug=name.lower().replace(" ", "-"),
        nation="england",
        region="london",
        **mp,
    )


def sync(*args: str) -> str:
    out = io.StringIO()
    call_command("sync_mps", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(Constituency.objects.order_by("gss_code").values_list())


@pytest.fixture
def sample(api_samples) -> dict:
    return api_samples["members_api_members_search"]


@pytest.mark.django_db
def test_recorded_answer_matches_by_name_and_skips_peers(members_api, sample, api_samples):
    holborn = seat(
        "E14001290",
        "Holborn and St Pancras",
        current_mp_name="Keir Starmer",
        current_mp_party="Labour",
    )
    members_api.routes[SEARCH.format(skip=0)] = json_answer(sample)
    members_api.routes["/api/Members/4514/Contact"] = json_answer(
        api_samples["members_api_member_4514_contact"]
    )

    output = sync()

    holborn.refresh_from_db()
    assert holborn.current_mp_member_id == 4514
    assert holborn.current_mp_full_title == "Rt Hon Sir Keir Starmer MP"
    assert holborn.current_mp_email == "keir.starmer.mp@parliament.uk"
    assert holborn.mp_updated_at is not None
    assert "1 current MPs fetched: 1 changed, 0 unchanged, 0 not matched" in output


@pytest.mark.django_db
def test_matches_by_member_id_when_the_names_differ(members_api, sample):
    holborn = seat(
        "E14001290", "Holborn & St Pancras (old spelling)", current_mp_name="Sir Keir Starmer",
        current_mp_full_title="Rt Hon Sir Keir Starmer MP", current_mp_party="Labour (Co-op)",
        current_mp_member_id=4514, current_mp_email="keep@example.org",
    )  # fmt: skip
    members_api.routes[SEARCH.format(skip=0)] = json_answer(sample)

    output = sync()

    holborn.refresh_from_db()
    assert holborn.current_mp_party == "Labour"
    assert holborn.current_mp_email == "keep@example.org"  # same MP: no contact lookup
    assert (
        "party change: Holborn & St Pancras (old spelling): Sir Keir Starmer changed party"
        in output
    )
    assert members_api.count("/api/Members/4514/Contact") == 0


@pytest.mark.django_db
def test_by_election_replaces_the_mp_and_is_reported(members_api, sample):
    runcorn = seat(
        "E14001451", "Runcorn and Helsby", current_mp_name="Mike Amesbury", current_mp_party="Labour",
        current_mp_member_id=4749, current_mp_email="old@parliament.uk",
    )  # fmt: skip
    members_api.routes[SEARCH.format(skip=0)] = search_page(
        sample, [member_item(sample, 6001, "Sarah Pochin", "Reform UK", "Runcorn and Helsby")], 1
    )
    members_api.routes["/api/Members/6001/Contact"] = contact("sarah.pochin.mp@parliament.uk")

    output = sync()

    runcorn.refresh_from_db()
    assert (runcorn.current_mp_name, runcorn.current_mp_member_id) == ("Sarah Pochin", 6001)
    assert runcorn.current_mp_email == "sarah.pochin.mp@parliament.uk"
    assert (
        "new MP: Runcorn and Helsby: new MP Sarah Pochin (Reform UK), was Mike Amesbury (Labour)"
        in output
    )


@pytest.mark.django_db
def test_seat_missing_from_the_answer_becomes_vacant(members_api, sample):
    seat(
        "E14001290",
        "Holborn and St Pancras",
        current_mp_name="Keir Starmer",
        current_mp_member_id=4514,
    )
    gone = seat(
        "E14001451",
        "Runcorn and Helsby",
        current_mp_name="Mike Amesbury",
        current_mp_member_id=4749,
    )
    members_api.routes[SEARCH.format(skip=0)] = json_answer(sample)
    members_api.routes["/api/Members/4514/Contact"] = contact("k@parliament.uk")

    output = sync()

    gone.refresh_from_db()
    assert gone.is_vacant and gone.current_mp_member_id is None
    assert "vacancy: Runcorn and Helsby: now vacant (was Mike Amesbury)" in output


@pytest.mark.django_db
def test_pages_through_all_results(members_api, sample):
    seats = [
        seat(f"E14009{n:03d}", f"Seat {chr(65 + n // 26)}{chr(65 + n % 26)}") for n in range(25)
    ]
    items = [
        member_item(sample, 7000 + n, f"Member {n}", "Labour", s.name) for n, s in enumerate(seats)
    ]
    members_api.routes[SEARCH.format(skip=0)] = search_page(sample, items[:20], 25)
    members_api.routes[SEARCH.format(skip=20)] = search_page(sample, items[20:], 25, skip=20)

    output = sync()

    assert members_api.count(SEARCH.format(skip=20)) == 1
    assert Constituency.objects.filter(current_mp_member_id__isnull=False).count() == 25
    assert Constituency.objects.get(name=seats[24].name).current_mp_name == "Member 24"
    assert "25 current MPs fetched: 25 changed" in output


@pytest.mark.django_db
def test_retries_a_busy_service(members_api, sample):
    seat(
        "E14001290",
        "Holborn and St Pancras",
        current_mp_name="Keir Starmer",
        current_mp_member_id=4514,
    )
    members_api.routes[SEARCH.format(skip=0)] = [
        Answer(status=503, body="busy"),
        json_answer(sample),
    ]

    sync()

    assert members_api.count(SEARCH.format(skip=0)) == 2


@pytest.mark.django_db
def test_dry_run_reports_but_saves_nothing(members_api, sample):
    seat(
        "E14001290",
        "Holborn and St Pancras",
        current_mp_name="Someone Else",
        current_mp_member_id=1,
    )
    before = snapshot()
    members_api.routes[SEARCH.format(skip=0)] = json_answer(sample)
    members_api.routes["/api/Members/4514/Contact"] = contact("k@parliament.uk")

    output = sync("--dry-run")

    assert "new MP: Holborn and St Pancras: new MP Sir Keir Starmer (Labour)" in output
    assert "Dry run, nothing saved." in output
    assert snapshot() == before


@pytest.fixture
def two_seats(db):
    seat(
        "E14001290",
        "Holborn and St Pancras",
        current_mp_name="Someone Else",
        current_mp_member_id=1,
    )
    seat(
        "E14001451",
        "Runcorn and Helsby",
        current_mp_name="Mike Amesbury",
        current_mp_member_id=4749,
    )
    return snapshot()


def test_offline_fails_cleanly_and_changes_nothing(two_seats, settings, stub_server):
    address = stub_server.url
    stub_server.stop()  # nothing listens on the port any more
    settings.MEMBERS_API_BASE_URL = address
    settings.MEMBERS_API_BACKOFF = 0

    with pytest.raises(CommandError, match="did not answer.*Nothing was changed"):
        sync()
    assert snapshot() == two_seats


@pytest.mark.parametrize(
    "broken",
    [
        Answer(status=200, body="<html>maintenance</html>", content_type="text/html"),
        Answer(status=200, body='{"items": "nope"}'),
        Answer(status=200, body='{"items": [{"value": {"id": 1}}], "totalResults": 1}'),
        Answer(status=500, body="error"),
    ],
    ids=["not-json", "items-not-a-list", "member-without-fields", "server-error"],
)
def test_malformed_answer_fails_cleanly_and_changes_nothing(two_seats, members_api, broken):
    members_api.routes[SEARCH.format(skip=0)] = broken
    with pytest.raises(CommandError, match="Nothing was changed"):
        sync()
    assert snapshot() == two_seats


def test_failure_on_a_later_page_changes_nothing(two_seats, members_api, sample):
    first = [member_item(sample, 4514, "Sir Keir Starmer", "Labour", "Holborn and St Pancras")]
    members_api.routes[SEARCH.format(skip=0)] = search_page(sample, first, 40)
    members_api.routes[SEARCH.format(skip=20)] = Answer(status=200, body="garbage")
    with pytest.raises(CommandError, match="other than JSON"):
        sync()
    assert snapshot() == two_seats


def test_answer_that_would_vacate_too_many_seats_is_refused(two_seats, members_api, sample):
    members_api.routes[SEARCH.format(skip=0)] = search_page(
        sample, [member_item(sample, 9, "Nobody", "Labour", "Nowhere")], 1
    )
    with pytest.raises(CommandError, match="2 seats vacant"):
        sync("--max-vacancies", "1")
    assert snapshot() == two_seats


def test_empty_list_is_refused(two_seats, members_api, sample):
    members_api.routes[SEARCH.format(skip=0)] = search_page(sample, [], 0)
    with pytest.raises(CommandError, match="no current MPs"):
        sync()
    assert snapshot() == two_seats
