"""Reading constituency files from the House of Commons Library and the DfE MP lookup.

Both files list the 650 Westminster constituencies (2024 boundaries) keyed by GSS code;
`import_constituencies` detects which one it has from the header and upserts the rows in
one transaction. A problem with the file itself (encoding, CSV structure, a duplicate code,
a missing column) stops the import before anything is written; a single row with a bad
value is rejected with its reason and the rest are imported. Line breaks, tabs and other
control characters inside a value are published-data noise, not a reason to drop a
constituency: they become single spaces (`as_single_line`), so every name is one line.
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation

from core.choices import Nation, Region
from core.single_line import as_single_line
from letters.constituency_names import match_key, slug_for
from letters.models import Constituency

GSS_CODE = re.compile(r"^(E14|S14|W07|N05)\d{6}$")
NATION_BY_CODE_PREFIX = {
    "E14": Nation.ENGLAND,
    "S14": Nation.SCOTLAND,
    "W07": Nation.WALES,
    "N05": Nation.NORTHERN_IRELAND,
}
# The sources name nations and regions in English: the choices' English labels, whatever
# language is active.
with translation.override(None):
    NATION_BY_COUNTRY = {match_key(str(label)): Nation(value) for value, label in Nation.choices}
    ENGLISH_REGION_BY_NAME = {
        match_key(str(label)): Region(value)
        for value, label in Region.choices
        if value not in {Region.SCOTLAND, Region.WALES, Region.NORTHERN_IRELAND}
    }
ENGLISH_REGION_BY_NAME[match_key("East")] = Region.EAST_OF_ENGLAND
REGION_FOR_NATION = {
    Nation.SCOTLAND: Region.SCOTLAND,
    Nation.WALES: Region.WALES,
    Nation.NORTHERN_IRELAND: Region.NORTHERN_IRELAND,
}

# The Library file abbreviates parties; these are the names the Members API and the DfE
# lookup use, so that an election result and a later MP lookup read the same way.
PARTY_BY_ABBREVIATION = {
    "Lab": "Labour",
    "Con": "Conservative",
    "LD": "Liberal Democrat",
    "SNP": "Scottish National Party",
    "SF": "Sinn Féin",
    "Ind": "Independent",
    "RUK": "Reform UK",
    "DUP": "Democratic Unionist Party",
    "Green": "Green Party",
    "PC": "Plaid Cymru",
    "SDLP": "Social Democratic & Labour Party",
    "Spk": "Speaker",
    "APNI": "Alliance",
    "TUV": "Traditional Unionist Voice",
    "UUP": "Ulster Unionist Party",
    "WPB": "Workers Party of Britain",
    "PBPA": "People Before Profit Alliance",
}
NO_EMAIL = "no email found"
MP_FIELDS = (
    "current_mp_name",
    "current_mp_full_title",
    "current_mp_party",
    "current_mp_member_id",
    "current_mp_email",
)


class ImportFileError(Exception):
    """The file cannot be imported at all; the message names the row and says what to fix."""


class SourceFormat(Enum):
    """The file layouts we know, told apart by a column only that layout has."""

    HOC_RESULTS = (
        "House of Commons Library general election results",
        "ONS ID",
        (
            "ONS ID",
            "Constituency name",
            "Region name",
            "Country name",
            "Member first name",
            "Member surname",
            "First party",
        ),
    )
    MP_LOOKUP = (
        "DfE MP lookup",
        "pcon_code",
        (
            "pcon_code",
            "pcon_name",
            "member_id",
            "full_title",
            "display_as",
            "party_text",
            "member_email",
            "region_name",
            "country_name",
        ),
    )

    def __init__(self, label: str, signature: str, required_columns: tuple[str, ...]) -> None:
        self.label = label
        self.signature = signature
        self.required_columns = required_columns


@dataclass(frozen=True)
class MPRecord:
    name: str
    full_title: str
    party: str
    member_id: int | None
    email: str

    def as_fields(self) -> dict[str, object]:
        return {
            "current_mp_name": self.name,
            "current_mp_full_title": self.full_title,
            "current_mp_party": self.party,
            "current_mp_member_id": self.member_id,
            "current_mp_email": self.email,
        }


VACANT_SEAT = MPRecord(name="", full_title="", party="", member_id=None, email="")


@dataclass(frozen=True)
class ConstituencyRecord:
    """One valid row of a file, in the model's terms."""

    row_number: int
    gss_code: str
    name: str
    nation: str
    region: str
    mp: MPRecord
    # True when the file states the sitting MP (the lookup); False for the July 2024 result,
    # which must not overwrite fresher MP data that carries a Members API id.
    mp_is_current: bool


@dataclass(frozen=True)
class RejectedRow:
    row_number: int
    gss_code: str
    reason: str

    def __str__(self) -> str:
        code = f" ({self.gss_code})" if self.gss_code else ""
        return f"row {self.row_number}{code}: {self.reason}"


@dataclass
class ParsedFile:
    source_format: SourceFormat
    records: list[ConstituencyRecord]
    rejected: list[RejectedRow]
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    source_format: SourceFormat
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.rejected)} rejected"
        )


class RowRejected(Exception):
    """A value in one row is unusable; the row is skipped and reported."""


def decode_csv_bytes(data: bytes) -> str:
    """UTF-8 text, or an error that says where the first undecodable byte is and what to do."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) > 1 and b"\x00" in data[:2]):
        raise ImportFileError(
            "row 1: the file is encoded as UTF-16; save it as 'CSV UTF-8' and import it again"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start : error.start + 1].hex()
        raise ImportFileError(
            f"row {row}: the file is not UTF-8 (byte 0x{byte} cannot be read; it may have been "
            "saved as Latin-1 or Windows-1252); save it as 'CSV UTF-8' and import it again"
        ) from error


def detect_format(header: list[str]) -> SourceFormat:
    columns = {column.strip() for column in header}
    for source_format in SourceFormat:
        if source_format.signature in columns:
            missing = [c for c in source_format.required_columns if c not in columns]
            if missing:
                raise ImportFileError(
                    f"row 1 (header): missing column(s) {', '.join(repr(c) for c in missing)} "
                    f"needed for the {source_format.label} format"
                )
            return source_format
    known = " or ".join(f"{f.label} (with an {f.signature!r} column)" for f in SourceFormat)
    raise ImportFileError(f"row 1 (header): not a recognised constituency file; expected {known}")


def _text(row: dict[str, str], column: str, max_length: int, what: str) -> str:
    value = as_single_line(row[column])
    if len(value) > max_length:
        raise RowRejected(f"{what} is longer than {max_length} characters")
    return value


def _place(
    row: dict[str, str], gss_code: str, region_column: str, country_column: str
) -> tuple[Nation, Region]:
    code_nation = NATION_BY_CODE_PREFIX[gss_code[:3]]
    nation = NATION_BY_COUNTRY.get(match_key(row[country_column]))
    if nation is None:
        raise RowRejected(f"unknown country {row[country_column]!r}")
    if nation != code_nation:
        raise RowRejected(f"country {row[country_column]!r} does not match the code {gss_code}")
    if nation == Nation.ENGLAND:
        region = ENGLISH_REGION_BY_NAME.get(match_key(row[region_column]))
        if region is None:
            raise RowRejected(f"unknown English region {row[region_column]!r}")
    else:
        region = REGION_FOR_NATION[nation]
    return nation, region


def _hoc_mp(row: dict[str, str]) -> MPRecord:
    name = as_single_line(f"{row['Member first name']} {row['Member surname']}")
    if not name:
        return VACANT_SEAT
    if len(name) > 200:
        raise RowRejected("MP name is longer than 200 characters")
    abbreviation = as_single_line(row["First party"])
    party = PARTY_BY_ABBREVIATION.get(abbreviation, abbreviation)
    return MPRecord(name=name, full_title="", party=party[:100], member_id=None, email="")


def _lookup_mp(row: dict[str, str], notes: list[str], row_number: int) -> MPRecord:
    raw_id = row["member_id"].strip()
    if not raw_id:
        return VACANT_SEAT
    if not raw_id.isdigit() or int(raw_id) == 0:
        raise RowRejected(f"member_id {raw_id!r} is not a Members API id")
    email = row["member_email"].strip()
    if email.casefold() == NO_EMAIL:
        email = ""
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            notes.append(f"row {row_number}: email {email!r} is not an address; left blank")
            email = ""
    return MPRecord(
        name=_text(row, "display_as", 200, "display_as"),
        full_title=_text(row, "full_title", 250, "full_title"),
        party=_text(row, "party_text", 100, "party_text"),
        member_id=int(raw_id),
        email=email,
    )


def parse_constituency_csv(text: str) -> ParsedFile:
    """Parse and check the whole file before anything is written."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header:
            raise ImportFileError("row 1: the file is empty; expected a header row")
        source_format = detect_format(header)
        columns = [column.strip() for column in header]
        parsed = ParsedFile(source_format=source_format, records=[], rejected=[])
        first_row_of_code: dict[str, int] = {}
        first_row_of_member: dict[int, int] = {}
        for values in reader:
            row_number = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(columns):
                raise ImportFileError(
                    f"row {row_number}: {len(values)} fields where the header has "
                    f"{len(columns)}; the file is malformed (check quotes and commas)"
                )
            row = dict(zip(columns, values, strict=True))
            record = _record_from_row(source_format, row, row_number, parsed)
            if record is None:
                continue
            if record.gss_code in first_row_of_code:
                raise ImportFileError(
                    f"row {row_number}: GSS code {record.gss_code} already appears in row "
                    f"{first_row_of_code[record.gss_code]}; each constituency must appear once"
                )
            first_row_of_code[record.gss_code] = row_number
            member_id = record.mp.member_id
            if member_id is not None:
                if member_id in first_row_of_member:
                    raise ImportFileError(
                        f"row {row_number}: member_id {member_id} already appears in row "
                        f"{first_row_of_member[member_id]}; an MP sits for one constituency"
                    )
                first_row_of_member[member_id] = row_number
            parsed.records.append(record)
    except csv.Error as error:
        raise ImportFileError(
            f"row {reader.line_num}: the file is malformed CSV ({error})"
        ) from error
    if not parsed.records and not parsed.rejected:
        raise ImportFileError("row 2: the file has a header but no constituency rows")
    return parsed


def _record_from_row(
    source_format: SourceFormat, row: dict[str, str], row_number: int, parsed: ParsedFile
) -> ConstituencyRecord | None:
    is_results = source_format is SourceFormat.HOC_RESULTS
    code_column = "ONS ID" if is_results else "pcon_code"
    gss_code = row[code_column].strip().upper()
    try:
        if not GSS_CODE.match(gss_code):
            raise RowRejected(
                f"{row[code_column].strip()!r} is not a 2024 Westminster constituency GSS code"
            )
        name = _text(row, "Constituency name" if is_results else "pcon_name", 120, "name")
        if not name:
            raise RowRejected("the constituency name is blank")
        if is_results:
            nation, region = _place(row, gss_code, "Region name", "Country name")
            mp = _hoc_mp(row)
        else:
            nation, region = _place(row, gss_code, "region_name", "country_name")
            mp = _lookup_mp(row, parsed.notes, row_number)
    except RowRejected as rejection:
        parsed.rejected.append(RejectedRow(row_number, gss_code, str(rejection)))
        return None
    return ConstituencyRecord(
        row_number=row_number,
        gss_code=gss_code,
        name=name,
        nation=nation.value,
        region=region.value,
        mp=mp,
        mp_is_current=not is_results,
    )


def read_constituency_file(path: Path | str) -> ParsedFile:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ImportFileError(f"cannot read {path}: {error.strerror or error}") from error
    return parse_constituency_csv(decode_csv_bytes(data))


Progress = Callable[[int, int], None]


def import_constituencies(path: Path | str, progress: Progress | None = None) -> ImportReport:
    """Read the file, then upsert every valid row in one transaction."""
    parsed = read_constituency_file(path)
    return apply_records(parsed, progress=progress)


def _mp_changes(existing: Constituency, record: ConstituencyRecord) -> dict[str, object]:
    if not record.mp_is_current and existing.current_mp_member_id is not None:
        return {}  # a synced or looked-up MP is fresher than the July 2024 result
    wanted = record.mp.as_fields()
    return {name: value for name, value in wanted.items() if getattr(existing, name) != value}


@transaction.atomic
def apply_records(parsed: ParsedFile, progress: Progress | None = None) -> ImportReport:
    report = ImportReport(
        source_format=parsed.source_format,
        rejected=list(parsed.rejected),
        notes=list(parsed.notes),
    )
    existing = {c.gss_code: c for c in Constituency.objects.select_for_update()}
    holder_of_member = {
        c.current_mp_member_id: c for c in existing.values() if c.current_mp_member_id
    }
    codes_in_file = {record.gss_code for record in parsed.records}
    taken_slugs = {c.slug for c in existing.values()}
    now = timezone.now()
    to_create: list[Constituency] = []
    to_update: list[Constituency] = []
    released_member_ids: list[int] = []
    changed_fields: set[str] = set()

    for position, record in enumerate(parsed.records, start=1):
        if progress:
            progress(position, len(parsed.records))
        holder = holder_of_member.get(record.mp.member_id) if record.mp.member_id else None
        if holder and holder.gss_code != record.gss_code and holder.gss_code not in codes_in_file:
            report.rejected.append(
                RejectedRow(
                    record.row_number,
                    record.gss_code,
                    f"member_id {record.mp.member_id} is the MP for {holder.name}, "
                    "which this file does not list",
                )
            )
            continue
        constituency = existing.get(record.gss_code)
        if constituency is None:
            slug = slug_for(record.name, taken_slugs)
            taken_slugs.add(slug)
            to_create.append(
                Constituency(
                    gss_code=record.gss_code,
                    name=record.name,
                    slug=slug,
                    nation=record.nation,
                    region=record.region,
                    mp_updated_at=now if record.mp.name else None,
                    **record.mp.as_fields(),
                )
            )
            continue
        changes: dict[str, object] = {
            name: getattr(record, name)
            for name in ("name", "nation", "region")
            if getattr(constituency, name) != getattr(record, name)
        }
        mp_changes = _mp_changes(constituency, record)
        changes.update(mp_changes)
        if not changes:
            report.unchanged += 1
            continue
        if mp_changes:
            changes["mp_updated_at"] = now
        if "current_mp_member_id" in changes and constituency.current_mp_member_id:
            released_member_ids.append(constituency.pk)
        for name, value in changes.items():
            setattr(constituency, name, value)
        changed_fields.update(changes)
        to_update.append(constituency)

    # Member ids are unique: free the ones that move before any row takes a new one.
    if released_member_ids:
        Constituency.objects.filter(pk__in=released_member_ids).update(current_mp_member_id=None)
    if to_update:
        Constituency.objects.bulk_update(to_update, sorted(changed_fields), batch_size=200)
    if to_create:
        Constituency.objects.bulk_create(to_create, batch_size=200)
    report.created = len(to_create)
    report.updated = len(to_update)
    return report
