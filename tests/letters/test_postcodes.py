"""letters/postcodes.py through the real HTTP client against a local stand-in for postcodes.io."""

import csv

import pytest
from django.core.cache import cache

from letters.models import Constituency
from letters.postcodes import PostcodeOutcome, lookup_postcode, normalise_postcode
from tests.stub_server import Answer, json_answer, postcodes_io_answer


@pytest.fixture
def onspd_rows(shared_data) -> list[dict[str, str]]:
    with open(shared_data / "onspd_postcode_pcon24_sample.csv", encoding="utf-8") as sample:
        return list(csv.DictReader(sample))


def make_constituency(gss_code: str, name: str, slug: str, **fields) -> Constituency:
    fields.setdefault("nation", "england")
    fields.setdefault("region", "south-east")
    return Constituency.objects.create(gss_code=gss_code, name=name, slug=slug, **fields)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("so14 0aa", "SO14 0AA"),
        ("  SO140AA ", "SO14 0AA"),
        ("S014 0AA", "SO14 0AA"),  # zero for O where the district needs a letter
        ("SO14 OAA", "SO14 0AA"),  # O for zero where the inward code needs a digit
        ("1P1 1AA", "IP1 1AA"),
        ("0L1 1AA", "OL1 1AA"),
        ("M1 IAD", "M1 1AD"),
        ("SE1P 5ZZ", "SE1P 5ZZ"),
        ("hello", None),
        ("SO14 0AAA", None),
    ],
)
def test_normalise_postcode_repairs_unambiguous_slips(typed, expected):
    assert normalise_postcode(typed) == expected


@pytest.mark.django_db
def test_recorded_answer_gives_the_constituency(postcodes_io, api_samples):
    sevenoaks = make_constituency("E14001465", "Sevenoaks", "sevenoaks")
    postcodes_io.routes["/postcodes/BR87RE"] = json_answer(
        api_samples["postcodes_io_postcodes_BR87RE"]
    )

    lookup = lookup_postcode("br8 7re")

    assert lookup.outcome is PostcodeOutcome.FOUND
    assert lookup.constituency == sevenoaks
    assert lookup.postcode == "BR8 7RE"


@pytest.mark.django_db
def test_every_live_onspd_sample_postcode_finds_its_constituency(
    postcodes_io, api_samples, onspd_rows
):
    template = api_samples["postcodes_io_postcodes_BR87RE"]
    live = [row for row in onspd_rows if not row["doterm"] and not row["pcon"].startswith("L")]
    for row in live:
        code = row["pcon"]
        Constituency.objects.get_or_create(
            gss_code=code,
            defaults={
                "name": code,
                "slug": code.lower(),
                "nation": "scotland",
                "region": "scotland",
            },
        )
        postcodes_io.routes["/postcodes/" + row["pcds"].replace(" ", "")] = json_answer(
            postcodes_io_answer(template, row["pcds"], code, code)
        )
    for row in live:
        lookup = lookup_postcode(row["pcds"].lower())
        assert lookup.outcome is PostcodeOutcome.FOUND, row["pcds"]
        assert lookup.constituency.gss_code == row["pcon"]


@pytest.mark.django_db
def test_answers_are_cached(postcodes_io, api_samples):
    make_constituency("E14001465", "Sevenoaks", "sevenoaks")
    postcodes_io.routes["/postcodes/BR87RE"] = json_answer(
        api_samples["postcodes_io_postcodes_BR87RE"]
    )
    lookup_postcode("BR8 7RE")
    lookup_postcode("br87re")
    assert postcodes_io.count("/postcodes/BR87RE") == 1


@pytest.mark.parametrize(
    ("typed", "outcome", "words"),
    [
        ("", PostcodeOutcome.EMPTY, "Enter a postcode"),
        ("   ", PostcodeOutcome.EMPTY, "Enter a postcode"),
        ("SO14", PostcodeOutcome.PARTIAL, "only the first half of a postcode"),
        ("s014", PostcodeOutcome.PARTIAL, "SO14"),
        ("12345", PostcodeOutcome.MALFORMED, "not a UK postcode"),
        ("SO14 0AAX", PostcodeOutcome.MALFORMED, "not a UK postcode"),
        ("JE2 4WD", PostcodeOutcome.NOT_WESTMINSTER, "not represented by an MP at Westminster"),
        ("GY1 1AA", PostcodeOutcome.NOT_WESTMINSTER, "Guernsey"),
        ("IM1 1AA", PostcodeOutcome.NOT_WESTMINSTER, "Isle of Man"),
        ("BFPO 123", PostcodeOutcome.NOT_WESTMINSTER, "British Forces Post Office"),
        ("STHL 1ZZ", PostcodeOutcome.NOT_WESTMINSTER, "Saint Helena"),
    ],
)
@pytest.mark.django_db
def test_outcomes_decided_without_asking_the_service(postcodes_io, typed, outcome, words):
    lookup = lookup_postcode(typed)
    assert lookup.outcome is outcome
    assert words in lookup.message
    assert postcodes_io.requests == []


@pytest.mark.django_db
def test_pseudo_constituency_code_is_not_westminster(postcodes_io, api_samples):
    # A variation of the recorded answer carrying the ONS pseudo-code the Channel Islands and
    # the Isle of Man have in place of a constituency.
    answer = postcodes_io_answer(
        api_samples["postcodes_io_postcodes_BR87RE"], "SE1 9ZZ", "L99999999", ""
    )
    postcodes_io.routes["/postcodes/SE19ZZ"] = json_answer(answer)
    lookup = lookup_postcode("SE1 9ZZ")
    assert lookup.outcome is PostcodeOutcome.NOT_WESTMINSTER
    assert "not represented by an MP at Westminster" in lookup.message


@pytest.mark.django_db
def test_unknown_postcode(postcodes_io):
    postcodes_io.routes["/postcodes/SW1A9ZZ"] = json_answer(
        {"status": 404, "error": "Postcode not found"}, status=404
    )
    lookup = lookup_postcode("SW1A 9ZZ")
    assert lookup.outcome is PostcodeOutcome.NOT_FOUND
    assert "could not find SW1A 9ZZ" in lookup.message


@pytest.mark.django_db
def test_terminated_postcode_from_the_recorded_answer(postcodes_io, api_samples):
    postcodes_io.routes["/postcodes/AB10AA"] = json_answer(
        api_samples["postcodes_io_postcodes_404_terminated"], status=404
    )
    lookup = lookup_postcode("AB1 0AA")
    assert lookup.outcome is PostcodeOutcome.TERMINATED
    assert "no longer in use" in lookup.message and "1996" in lookup.message


@pytest.mark.django_db
def test_constituency_we_have_not_loaded(postcodes_io, api_samples):
    postcodes_io.routes["/postcodes/BR87RE"] = json_answer(
        api_samples["postcodes_io_postcodes_BR87RE"]
    )
    lookup = lookup_postcode("BR8 7RE")
    assert lookup.outcome is PostcodeOutcome.CONSTITUENCY_NOT_LOADED
    assert "Sevenoaks" in lookup.message


SERVICE_FAILURES = {
    "server_error": Answer(status=500, body="Internal Server Error", content_type="text/plain"),
    "bad_gateway": Answer(status=502, body="<html>Bad gateway</html>", content_type="text/html"),
    "garbage": Answer(status=200, body=b"\x00\xffnot json"),
    "json_not_an_object": Answer(status=200, body="[1, 2, 3]"),
    "no_codes": Answer(status=200, body={"status": 200, "result": {"postcode": "SO14 0AA"}}),
    "slow": Answer(status=200, body={"status": 200}, delay=2.0),
}


@pytest.mark.django_db
@pytest.mark.parametrize("failure", sorted(SERVICE_FAILURES))
def test_service_down_outcomes(postcodes_io, failure):
    postcodes_io.routes["/postcodes/SO140AA"] = SERVICE_FAILURES[failure]
    lookup = lookup_postcode("SO14 0AA")
    assert lookup.outcome is PostcodeOutcome.SERVICE_DOWN
    assert "not answering" in lookup.message
    assert "constituency or MP name" in lookup.message


@pytest.mark.django_db
def test_service_down_when_nothing_listens(settings, stub_server):
    address = stub_server.url
    stub_server.stop()  # the port is now closed
    settings.POSTCODES_IO_BASE_URL = address
    cache.clear()
    assert lookup_postcode("SO14 0AA").outcome is PostcodeOutcome.SERVICE_DOWN


@pytest.mark.django_db
def test_failures_are_not_cached(postcodes_io, api_samples):
    make_constituency("E14001465", "Sevenoaks", "sevenoaks")
    postcodes_io.routes["/postcodes/BR87RE"] = [
        Answer(status=503, body="busy"),
        json_answer(api_samples["postcodes_io_postcodes_BR87RE"]),
    ]
    assert lookup_postcode("BR8 7RE").outcome is PostcodeOutcome.SERVICE_DOWN
    assert lookup_postcode("BR8 7RE").outcome is PostcodeOutcome.FOUND
