"""letters/importers.py and `manage.py import_constituencies`."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from letters.importers import SourceFormat, import_constituencies
from letters.models import Constituency

# Imports are checked against an empty table, not beside the demo's seats.
pytestmark = pytest.mark.usefixtures("no_constituencies")

HOC_HEADER = (
    "ONS ID,ONS region ID,Constituency name,County name,Region name,Country name,"
    "Constituency type,Declaration time,Member first name,Member surname,Member gender,"
    "Result,First party,Second party"
)
LOOKUP_HEADER = (
    '"pcon_name","pcon_code","member_id","full_title","display_as","party_text",'
    '"member_email","region_name","region_code","country_name","country_code"'
)
IPSWICH_HOC = (
    "E14001302,E12000006,Ipswich,,East of England,England,Borough,,Jack,Abbott,Male,"
    "Lab gain from Con,Lab,Con"
)
YNYS_MON_HOC = (
    "W07000112,W92000004,Ynys Môn,,Wales,Wales,County,,Llinos,Medi,Female,PC gain from Con,PC,Con"
)
IPSWICH_LOOKUP = (
    '"Ipswich","E14001302","5131","Jack Abbott MP","Jack Abbott","Labour (Co-op)",'
    '"jack.abbott.mp@parliament.uk","East of England","E12000006","England","E92000001"'
)


def write(tmp_path: Path, text: str, name: str = "file.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run_import(path: Path) -> str:
    out = io.StringIO()
    call_command("import_constituencies", str(path), stdout=out)
    return out.getvalue()


def table_snapshot() -> list[tuple]:
    return list(Constituency.objects.order_by("gss_code").values_list())


@pytest.mark.django_db
def test_full_files_give_650_constituencies_by_nation_and_reimport_changes_nothing(shared_data):
    hoc = shared_data / "hoc_ge2024_results_by_constituency.csv"
    lookup = shared_data / "dfe_mp_lookup.csv"

    assert "650 created, 0 updated, 0 unchanged, 0 rejected" in run_import(hoc)
    # Every row gains its Members API id, full title and email from the lookup.
    assert "0 created, 650 updated, 0 unchanged, 0 rejected" in run_import(lookup)
    by_nation = dict(Constituency.objects.values_list("nation").annotate(n=Count("id")))
    assert by_nation == {"england": 543, "scotland": 57, "wales": 32, "northern-ireland": 18}
    before = table_snapshot()
    assert "0 created, 0 updated, 650 unchanged, 0 rejected" in run_import(lookup)
    assert table_snapshot() == before


@pytest.mark.django_db
def test_same_results_file_twice_reports_all_unchanged(shared_data):
    hoc = shared_data / "hoc_ge2024_results_by_constituency.csv"
    run_import(hoc)
    assert "0 created, 0 updated, 650 unchanged, 0 rejected" in run_import(hoc)


@pytest.mark.django_db
def test_results_then_lookup_gives_current_mps(shared_data):
    run_import(shared_data / "hoc_ge2024_results_by_constituency.csv")
    runcorn = Constituency.objects.get(name="Runcorn and Helsby")
    elected_2024 = runcorn.current_mp_name
    assert runcorn.current_mp_member_id is None

    run_import(shared_data / "dfe_mp_lookup.csv")
    runcorn.refresh_from_db()
    assert runcorn.current_mp_name != elected_2024  # the by-election winner
    assert runcorn.current_mp_member_id is not None
    assert runcorn.current_mp_email.endswith("@parliament.uk")
    preston = Constituency.objects.get(name="Preston")
    assert preston.current_mp_email == ""  # "No email found" in the file


@pytest.mark.django_db
def test_results_file_after_lookup_keeps_fresher_mp_data(shared_data):
    run_import(shared_data / "dfe_mp_lookup.csv")
    current = Constituency.objects.get(name="Runcorn and Helsby").current_mp_name
    run_import(shared_data / "hoc_ge2024_results_by_constituency.csv")
    assert Constituency.objects.get(name="Runcorn and Helsby").current_mp_name == current


@pytest.mark.django_db
def test_slug_is_ascii_folded_from_the_name(tmp_path):
    run_import(write(tmp_path, f"{HOC_HEADER}\n{YNYS_MON_HOC}\n"))
    ynys_mon = Constituency.objects.get(gss_code="W07000112")
    assert ynys_mon.slug == "ynys-mon"
    assert (ynys_mon.nation, ynys_mon.region) == ("wales", "wales")
    assert (ynys_mon.current_mp_name, ynys_mon.current_mp_party) == ("Llinos Medi", "Plaid Cymru")


@pytest.mark.django_db
def test_slug_is_made_unique_when_the_name_slug_is_taken(tmp_path):
    Constituency.objects.create(
        gss_code="E14009999", name="Ipswich", slug="ipswich", nation="england", region="london"
    )
    run_import(write(tmp_path, f"{HOC_HEADER}\n{IPSWICH_HOC}\n"))
    assert Constituency.objects.get(gss_code="E14001302").slug == "ipswich-2"


@pytest.mark.django_db
def test_format_is_detected_from_the_header(tmp_path):
    hoc = import_constituencies(write(tmp_path, f"{HOC_HEADER}\n{IPSWICH_HOC}\n", "a.csv"))
    lookup = import_constituencies(
        write(tmp_path, f"{LOOKUP_HEADER}\r\n{IPSWICH_LOOKUP}\r\n", "b.csv")
    )
    assert hoc.source_format is SourceFormat.HOC_RESULTS
    assert lookup.source_format is SourceFormat.MP_LOOKUP
    ipswich = Constituency.objects.get(gss_code="E14001302")
    assert (ipswich.current_mp_member_id, ipswich.current_mp_full_title) == (5131, "Jack Abbott MP")


@pytest.mark.django_db
def test_rows_with_bad_values_are_rejected_with_reasons_and_the_rest_imported(tmp_path):
    bad_code = IPSWICH_HOC.replace("E14001302", "E15000001")
    bad_region = YNYS_MON_HOC.replace("W07000112", "E14001999").replace(
        "Wales,Wales", "Atlantis,England"
    )
    text = f"{HOC_HEADER}\n{bad_code}\n{bad_region}\n{YNYS_MON_HOC}\n"
    output = run_import(write(tmp_path, text))
    assert "1 created, 0 updated, 0 unchanged, 2 rejected" in output
    assert (
        "row 2 (E15000001): 'E15000001' is not a 2024 Westminster constituency GSS code" in output
    )
    assert "row 3 (E14001999): unknown English region 'Atlantis'" in output
    assert list(Constituency.objects.values_list("gss_code", flat=True)) == ["W07000112"]


BAD_FILES = {
    "malformed_row": (
        f"{HOC_HEADER}\n{IPSWICH_HOC}\n{YNYS_MON_HOC},extra\n",
        "utf-8",
        "row 3: 15 fields where the header has 14",
    ),
    "unclosed_quote": (
        f'{HOC_HEADER}\n{IPSWICH_HOC}\n"W07000112,W92000004,Ynys Môn\n',
        "utf-8",
        "row 3",
    ),
    "latin1": (
        f"{HOC_HEADER}\n{IPSWICH_HOC}\n{YNYS_MON_HOC}\n",
        "latin-1",
        "row 3: the file is not UTF-8",
    ),
    "utf16": (f"{HOC_HEADER}\n{IPSWICH_HOC}\n", "utf-16", "row 1: the file is encoded as UTF-16"),
    "duplicate_code": (
        f"{HOC_HEADER}\n{IPSWICH_HOC}\n{YNYS_MON_HOC}\n{IPSWICH_HOC}\n",
        "utf-8",
        "row 4: GSS code E14001302 already appears in row 2",
    ),
    "missing_column": (
        f"{HOC_HEADER.replace(',Region name', '')}\n",
        "utf-8",
        "row 1 (header): missing column(s) 'Region name'",
    ),
    "unknown_header": (
        "code,name,mp\nE14001302,Ipswich,Jack Abbott\n",
        "utf-8",
        "row 1 (header): not a recognised",
    ),
    "empty": ("", "utf-8", "row 1: the file is empty"),
    "duplicate_member_id": (
        f"{LOOKUP_HEADER}\n{IPSWICH_LOOKUP}\n"
        + IPSWICH_LOOKUP.replace("E14001302", "E14001156").replace('"Ipswich"', '"Central"')
        + "\n",
        "utf-8",
        "row 3: member_id 5131 already appears in row 2",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_names_the_row_and_changes_nothing(tmp_path, case):
    Constituency.objects.create(
        gss_code="E14001302", name="Old name", slug="ipswich", nation="england", region="london"
    )
    before = table_snapshot()
    text, encoding, expected = BAD_FILES[case]
    path = write(tmp_path, text, encoding=encoding)

    with pytest.raises(CommandError) as raised:
        run_import(path)

    assert expected in str(raised.value)
    assert "Nothing was imported" in str(raised.value)
    assert table_snapshot() == before


@pytest.mark.django_db
def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run_import(tmp_path / "absent.csv")


@pytest.mark.django_db
def test_no_progress_bar_when_output_is_not_a_terminal(tmp_path):
    output = run_import(write(tmp_path, f"{HOC_HEADER}\n{IPSWICH_HOC}\n"))
    assert "Importing 1/1" not in output


@pytest.mark.django_db
def test_progress_bar_on_a_terminal(tmp_path):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    call_command(
        "import_constituencies", str(write(tmp_path, f"{HOC_HEADER}\n{IPSWICH_HOC}\n")), stdout=out
    )
    assert "\rImporting 1/1" in out.getvalue()
