"""`manage.py import_postcodes` (letters/postcode_import.py) and lookups from the imported table.

The ONS Postcode Directory sample in ../shared/data is imported into the `Postcode` table; the
same postcodes are then answered from the table, and, with the table empty, from the local
stand-in for postcodes.io answering with the recorded answers, so both paths are held to the
same answers (the recorded answer for the withdrawn AB1 0AA is test_postcodes.py's).
"""

import copy
import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from letters.importers import import_constituencies
from letters.models import Postcode
from letters.postcode_import import PostcodeFileError, import_postcodes
from letters.postcodes import PostcodeOutcome, lookup_postcode
from network.models import ContentGeneration
from tests.stub_server import json_answer

SAMPLE = "onspd_postcode_pcon24_sample.csv"
# The sample's postcodes the issue names: (typed, outcome, constituency GSS code, words).
ANSWERS = [
    ("ab10 1pe", PostcodeOutcome.FOUND, "S14000060", "Aberdeen North"),
    ("AB12 4NT", PostcodeOutcome.FOUND, "S14000111", "West Aberdeenshire and Kincardine"),
    ("SE1 2DL", PostcodeOutcome.FOUND, "E14001085", "Bermondsey and Old Southwark"),
    ("M1 1AD", PostcodeOutcome.FOUND, "E14001352", "Manchester Central"),
    ("JE2 4WD", PostcodeOutcome.NOT_WESTMINSTER, None, "Jersey"),
]


@pytest.fixture
def sample(shared_data) -> Path:
    return shared_data / SAMPLE


@pytest.fixture
def sample_rows(sample) -> list[dict[str, str]]:
    with sample.open(encoding="utf-8") as rows:
        return list(csv.DictReader(rows))


@pytest.fixture
def every_constituency(db, shared_data) -> None:
    """The 650 constituencies with their MPs, so every sample postcode has its seat."""
    import_constituencies(shared_data / "dfe_mp_lookup.csv")


def table() -> list[tuple]:
    return list(Postcode.objects.order_by("postcode").values_list())


def generation() -> int:
    return ContentGeneration.objects.get(pk=1).value


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


# -- the import ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_sample_imports_every_row(sample, sample_rows):
    report = import_postcodes(sample)

    assert (report.created, report.updated, report.rejected_count) == (len(sample_rows), 0, 0)
    assert Postcode.objects.count() == len(sample_rows)
    se1 = Postcode.objects.get(postcode="SE1 9ZZ")
    assert (se1.gss_code, se1.introduced.isoformat(), se1.terminated.isoformat()) == (
        "E14001085",
        "1998-06-01",
        "1998-12-01",
    )
    assert (se1.latitude, se1.longitude) == (51.506903, -0.100841)
    jersey = Postcode.objects.get(postcode="JE2 4WD")  # 99.999999 / 0: no grid reference
    assert (jersey.gss_code, jersey.latitude, jersey.longitude) == ("L99999999", None, None)


@pytest.mark.django_db
def test_importing_the_sample_twice_changes_nothing(sample, sample_rows):
    import_postcodes(sample)
    before, generation_before = table(), generation()

    again = import_postcodes(sample)

    assert (again.created, again.updated, again.unchanged) == (0, 0, len(sample_rows))
    assert table() == before
    assert generation() == generation_before  # nothing changed, so the page cache is kept


@pytest.mark.django_db
def test_a_changed_row_is_updated_and_starts_a_new_generation(sample, tmp_path):
    import_postcodes(sample)
    moved = sample.read_text(encoding="utf-8").replace(
        "M1 1AD,200303,,E08000003,E92000001,E12000002,E14001352",
        "M1 1AD,200303,202401,E08000003,E92000001,E12000002,E14001352",
    )
    generation_before = generation()

    report = import_postcodes(write(tmp_path, "newer.csv", moved))

    assert (report.created, report.updated) == (0, 1)
    assert Postcode.objects.get(postcode="M1 1AD").terminated.isoformat() == "2024-01-01"
    assert generation() > generation_before  # answers changed: every cached page goes


def broken_files(sample_text: str) -> dict[str, tuple[bytes, str]]:
    """Files that cannot be trusted, each with the words its error must say (its line)."""
    lines = sample_text.splitlines(keepends=True)
    head = "".join(lines[:4])
    # Each also changes an imported row and adds a new one before the break, so a half-written
    # import would show.
    changed = "SE1 2DL,198001,,E09000028,E92000001,E12000007,E14001172,51.5,-0.07\n"
    new = "SO14 7LY,199606,,E06000045,E92000001,E12000008,E14001499,50.90395,-1.39779\n"
    return {
        "short_row": (
            (head + changed + new + "AB10 9ZZ,199606,,S12000033\n" + "".join(lines[4:])).encode(),
            "line 7: 4 fields where the header has 9",
        ),
        "missing_column": (
            ("pcds,dointr,doterm,lat,long\n" + "SO14 7LY,199606,,50.9,-1.39\n").encode(),
            "line 1: the header lacks the column(s) pcon",
        ),
        "not_utf8": (
            (head + changed + new).encode() + "AB10 9ZZ,199606,,S12\xff".encode("latin-1") + b"\n",
            "line 7: the file is not UTF-8 text",
        ),
        "unclosed_quote": (
            (head + changed + new + '"AB10 9ZZ,199606,,S12000033\n').encode(),
            "line 7: not a well-formed CSV",
        ),
        "empty": (b"", "line 1: the file is empty"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind", ["short_row", "missing_column", "not_utf8", "unclosed_quote", "empty"]
)
def test_a_broken_file_changes_nothing_and_names_the_line(sample, tmp_path, kind):
    import_postcodes(sample)
    before, generation_before = table(), generation()
    content, words = broken_files(sample.read_text(encoding="utf-8"))[kind]
    path = write(tmp_path, f"{kind}.csv", content)

    with pytest.raises(PostcodeFileError, match=re.escape(words)):
        import_postcodes(path)

    assert table() == before
    assert generation() == generation_before


@pytest.mark.django_db
def test_bad_rows_are_rejected_with_line_and_reason_and_the_rest_imported(sample, tmp_path):
    header, first, *_ = sample.read_text(encoding="utf-8").splitlines()
    rows = [
        header,
        first,  # line 2: AB10 1PE
        "SO14 7LY,199606,,E06000045,E92000001,E12000008,E14001499,50.90395,-1.39779",
        "HELLO,199606,,E06000045,E92000001,E12000008,E14001499,50.9,-1.3",  # line 4
        "SO14 0AA,1996,,E06000045,E92000001,E12000008,E14001499,50.9,-1.3",  # line 5
        "SO14 0AB,199606,,E06000045,E92000001,E12000008,E14001499,north,-1.3",  # line 6
        "SO14 0AD,199606,,E06000045,E92000001,E12000008,E14001499,95.0,-1.3",  # line 7
        "SO14 0AE,199606,,E06000045,E92000001,E12000008,Itchen,50.9,-1.3",  # line 8
        first.replace("S14000060", "S14000061"),  # line 9: AB10 1PE again
    ]
    path = write(tmp_path, "bad-rows.csv", "\n".join(rows) + "\n")

    report = import_postcodes(path)

    assert [str(rejected) for rejected in report.rejected] == [
        "line 4: pcds 'HELLO' is not a UK postcode",
        "line 5: dointr '1996' is not a year and month such as 199606",
        "line 6: lat 'north' or long '-1.3' is not a number",
        "line 7: lat 95.0 and long -1.3 are not a place on Earth",
        "line 8: pcon 'Itchen' is not a GSS code such as E14001063",
        "line 9: AB10 1PE is already on line 2",
    ]
    assert sorted(Postcode.objects.values_list("postcode", flat=True)) == ["AB10 1PE", "SO14 7LY"]
    assert Postcode.objects.get(postcode="AB10 1PE").gss_code == "S14000060"  # the first kept


@pytest.mark.django_db
def test_the_command_reports_and_stays_quiet_without_a_terminal(sample, tmp_path, sample_rows):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_postcodes", str(sample), stdout=out, stderr=err)
    assert f"{len(sample_rows)} rows read: {len(sample_rows)} created" in out.getvalue()
    assert err.getvalue() == ""  # no progress bar in a pipe or a log

    broken = write(tmp_path, "broken.csv", "pcds,dointr\nSO14 7LY,199606\n")
    with pytest.raises(CommandError, match="line 1: .* Nothing was imported"):
        call_command("import_postcodes", str(broken), stdout=out, stderr=err)
    with pytest.raises(CommandError, match="cannot open the file"):
        call_command("import_postcodes", str(tmp_path / "absent.csv"), stdout=out, stderr=err)


# -- the answers, from the table and from postcodes.io --------------------------------------


def assert_answer(typed, outcome, gss_code, words) -> None:
    lookup = lookup_postcode(typed)
    assert lookup.outcome is outcome, typed
    assert words in lookup.message
    if gss_code is not None:
        assert lookup.constituency.gss_code == gss_code
        assert lookup.located


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "outcome", "gss_code", "words"), ANSWERS)
def test_sample_postcodes_answered_from_the_imported_table(
    postcodes_io, sample, every_constituency, typed, outcome, gss_code, words
):
    import_postcodes(sample)
    assert_answer(typed, outcome, gss_code, words)
    assert postcodes_io.requests == []  # no third party asked


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "outcome", "gss_code", "words"), ANSWERS)
def test_sample_postcodes_answered_by_postcodes_io_while_the_table_is_empty(
    postcodes_io, api_samples, sample_rows, every_constituency, typed, outcome, gss_code, words
):
    assert not Postcode.objects.exists()
    template = api_samples["postcodes_io_postcodes_BR87RE"]
    for row in sample_rows:
        answer = copy.deepcopy(template)
        answer["result"].update(
            postcode=row["pcds"], latitude=float(row["lat"]), longitude=float(row["long"])
        )
        answer["result"]["codes"]["parliamentary_constituency_2024"] = row["pcon"]
        postcodes_io.routes["/postcodes/" + row["pcds"].replace(" ", "")] = json_answer(answer)

    assert_answer(typed, outcome, gss_code, words)
    if outcome is PostcodeOutcome.FOUND:
        assert postcodes_io.requests == ["/postcodes/" + typed.upper().replace(" ", "")]


@pytest.mark.django_db
def test_terminated_postcode_says_when_it_ended_from_the_table(postcodes_io, sample):
    import_postcodes(sample)

    lookup = lookup_postcode("SE1 9ZZ")

    assert lookup.outcome is PostcodeOutcome.TERMINATED
    assert "no longer in use (it was withdrawn in December 1998)" in lookup.message
    assert (lookup.latitude, lookup.longitude) == (51.506903, -0.100841)
    assert postcodes_io.requests == []
    with translation.override("cy"):  # the message, and its month, in the visitor's language
        assert "cafodd ei dynnu’n ôl: Rhagfyr 1998" in lookup_postcode("SE1 9ZZ").message


@pytest.mark.django_db
def test_postcodes_io_answers_what_the_table_does_not_hold(postcodes_io, api_samples, sample):
    import_postcodes(sample)
    postcodes_io.routes["/postcodes/BR87RE"] = json_answer(
        api_samples["postcodes_io_postcodes_BR87RE"]
    )

    lookup = lookup_postcode("BR8 7RE")

    assert lookup.outcome is PostcodeOutcome.CONSTITUENCY_NOT_LOADED  # asked, and answered
    assert postcodes_io.requests == ["/postcodes/BR87RE"]


@pytest.mark.django_db
def test_the_near_page_answers_from_the_table_with_postcodes_io_down(
    client, settings, stub_server, sample, every_constituency
):
    address = stub_server.url
    stub_server.stop()  # nothing listens: only the table can answer
    settings.POSTCODES_IO_BASE_URL = address
    import_postcodes(sample)

    response = client.get("/near/", {"postcode": "M1 1AD"})

    assert response.status_code == 200
    assert "Manchester Central" in response.content.decode()
    assert "not answering" not in response.content.decode()


@pytest.mark.django_db
def test_an_import_replaces_a_cached_near_page(postcodes_io, api_samples, sample, tmp_path):
    """The page cache keeps /near/ answers: an import that changes answers must purge them."""
    postcodes_io.routes["/postcodes/BR87RE"] = json_answer(
        api_samples["postcodes_io_postcodes_BR87RE"]
    )
    client = Client()
    first = client.get("/near/", {"postcode": "BR8 7RE"}).content.decode()
    assert "we do not have that constituency" in first
    import_postcodes(
        write(
            tmp_path,
            "br8.csv",
            "pcds,dointr,doterm,pcon,lat,long\nBR8 7RE,198001,202001,E14001465,51.4,0.17\n",
        )
    )

    again = client.get("/near/", {"postcode": "BR8 7RE"}).content.decode()

    assert "withdrawn in January 2020" in again
