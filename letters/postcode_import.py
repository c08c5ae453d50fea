"""Loading the ONS Postcode Directory (ONSPD) CSV into the postcode table.

The file is read as a stream, a row at a time: valid rows go into a temporary staging table
(PostgreSQL COPY, or batched inserts on SQLite), then one INSERT ... ON CONFLICT upserts the
staging rows into `letters_postcode`, writing only rows that differ, all in one transaction.

- A **bad row** (a postcode that is not one, a date that is not YYYYMM, a latitude out of
  range, a postcode already given on an earlier line) is rejected with its line number and
  reason; the other rows are imported.
- A **broken file** (not UTF-8, not CSV, a required column missing, a row with more or fewer
  fields than the header) stops the import with the line number, and nothing is written: the
  transaction rolls back, staging table and all.
- Importing the same file again changes nothing (0 created, 0 updated) and, since it changed
  nothing, keeps the page cache; any change starts a new content generation in the same
  transaction, since postcode answers (/near/, Find your MP, the API) read the table.

Postcodes absent from the file are kept: the ONSPD never drops a postcode (a withdrawn one
stays, with its termination date), so a newer directory only adds and updates.
"""

import csv
import datetime
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.db import connection, transaction

from core.cache import purge_page_cache
from letters.models import Postcode

REQUIRED_COLUMNS = ("pcds", "dointr", "doterm", "pcon", "lat", "long")
# The Royal Mail format, as the directory writes it (no slips to repair in published data).
POSTCODE = re.compile(
    r"^[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?) ?"
    r"[0-9][ABD-HJLNP-UW-Z]{2}$"
)
GSS_CODE = re.compile(r"^[A-Z][0-9]{8}$")
YEAR_MONTH = re.compile(r"^(?P<year>[12][0-9]{3})(?P<month>0[1-9]|1[0-2])$")
# The directory's "no grid reference": latitude 99.999999 (with longitude 0).
NO_LATITUDE = 99.999999
BATCH_SIZE = 10_000
MAX_LISTED_REJECTIONS = 1000
STAGING = "letters_postcode_staging"
COLUMNS = ("postcode", "gss_code", "latitude", "longitude", "introduced", "terminated")


class PostcodeFileError(Exception):
    """The file cannot be imported at all; the message names the line and says why."""


class RowError(ValueError):
    """One row has a bad value; the message says which and why."""


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class PostcodeImportReport:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected_count: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def reject(self, line: int, reason: str) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_LISTED_REJECTIONS:
            self.rejected.append(Rejected(line, reason))

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        return (
            f"{self.read} rows read: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.rejected_count} rejected"
        )


Progress = Callable[[int, int], None]  # (bytes read, file size)


def import_postcodes(path: Path, progress: Progress | None = None) -> PostcodeImportReport:
    """Import an ONSPD CSV file; all or nothing for a broken file (PostcodeFileError)."""
    try:
        raw = path.open("rb")
    except OSError as error:
        raise PostcodeFileError(f"cannot open the file: {error.strerror or error}") from error
    with raw:
        size = path.stat().st_size
        report = PostcodeImportReport()
        with transaction.atomic():
            with connection.cursor() as cursor:
                # A broken file raises out of here: the transaction rolls back, staging
                # table and all, and nothing is written.
                create_staging(cursor)
                rows = valid_rows(raw, report, size, progress)
                if connection.vendor == "postgresql":
                    copy_rows(cursor, rows)
                else:
                    insert_rows(cursor, rows)
                reject_duplicates(cursor, report)
                upsert(cursor, report)
                cursor.execute(f"DROP TABLE {STAGING}")
            if report.changed:
                purge_page_cache("postcodes imported")
    return report


def valid_rows(
    raw: BinaryIO, report: PostcodeImportReport, size: int, progress: Progress | None
) -> Iterator[tuple]:
    """The file's valid rows as staging tuples (line first); bad rows go to the report."""
    reader = csv.reader(DecodedLines(raw), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise PostcodeFileError("line 1: the file is empty; expected a header row")
        header = [name.strip().lower() for name in header]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise PostcodeFileError(
                f"line 1: the header lacks the column(s) {', '.join(missing)}; an ONS Postcode "
                f"Directory CSV has {', '.join(REQUIRED_COLUMNS)} among others"
            )
        where = [header.index(name) for name in REQUIRED_COLUMNS]
        width = len(header)
        for values in reader:
            line = reader.line_num
            if not values:
                continue  # a blank line
            if len(values) != width:
                raise PostcodeFileError(
                    f"line {line}: {len(values)} fields where the header has {width}; the file "
                    "is cut short or not a well-formed CSV"
                )
            report.read += 1
            try:
                yield (line, *parse_row([values[index] for index in where]))
            except RowError as error:
                report.reject(line, str(error))
            if progress is not None and report.read % BATCH_SIZE == 0:
                progress(raw.tell(), size)
    except csv.Error as error:
        raise PostcodeFileError(
            f"line {reader.line_num}: not a well-formed CSV ({error})"
        ) from error
    if progress is not None:
        progress(size, size)


class DecodedLines:
    """The file's lines decoded one at a time, so a byte that is not UTF-8 names its line."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = iter(raw)
        self.count = 0

    def __iter__(self) -> "DecodedLines":
        return self

    def __next__(self) -> str:
        line = next(self.raw)
        self.count += 1
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            raise PostcodeFileError(
                f"line {self.count}: the file is not UTF-8 text ({error.reason} at byte "
                f"{error.start + 1} of the line)"
            ) from error
        return text.removeprefix("\ufeff") if self.count == 1 else text


def parse_row(values: list[str]) -> tuple:
    pcds, dointr, doterm, pcon, lat, long = (value.strip() for value in values)
    compacted = "".join(pcds.split()).upper()
    if not POSTCODE.match(compacted):
        raise RowError(f"pcds {pcds!r} is not a UK postcode")
    postcode = f"{compacted[:-3]} {compacted[-3:]}"
    if pcon and not GSS_CODE.match(pcon):
        raise RowError(f"pcon {pcon!r} is not a GSS code such as E14001063")
    introduced = year_month("dointr", dointr, required=True)
    terminated = year_month("doterm", doterm, required=False)
    latitude, longitude = position(lat, long)
    return (postcode, pcon, latitude, longitude, introduced, terminated)


def year_month(column: str, value: str, required: bool) -> datetime.date | None:
    if not value:
        if required:
            raise RowError(f"{column} is empty; expected a year and month such as 199606")
        return None
    match = YEAR_MONTH.match(value)
    if not match:
        raise RowError(f"{column} {value!r} is not a year and month such as 199606")
    return datetime.date(int(match["year"]), int(match["month"]), 1)


def position(lat: str, long: str) -> tuple[float | None, float | None]:
    try:
        latitude, longitude = float(lat), float(long)
    except ValueError:
        raise RowError(f"lat {lat!r} or long {long!r} is not a number") from None
    if latitude == NO_LATITUDE:
        return None, None
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise RowError(f"lat {lat!r} or long {long!r} is not a number")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise RowError(f"lat {lat} and long {long} are not a place on Earth")
    return latitude, longitude


def create_staging(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGING} (line integer NOT NULL, postcode varchar(8) NOT NULL, "
        "gss_code varchar(9) NOT NULL, latitude double precision, longitude double precision, "
        "introduced date, terminated date)"
    )


def copy_rows(cursor, rows: Iterator[tuple]) -> None:
    """PostgreSQL: stream the rows into the staging table with COPY (psycopg 3)."""
    with cursor.copy(f"COPY {STAGING} (line, {', '.join(COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def insert_rows(cursor, rows: Iterator[tuple]) -> None:
    """SQLite (and any other database): batched inserts into the staging table."""
    sql = f"INSERT INTO {STAGING} (line, {', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * 7)})"
    batch = []
    for line, postcode, gss_code, latitude, longitude, introduced, terminated in rows:
        batch.append(
            (line, postcode, gss_code, latitude, longitude, iso(introduced), iso(terminated))
        )
        if len(batch) >= BATCH_SIZE:
            cursor.executemany(sql, batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)


def iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def reject_duplicates(cursor, report: PostcodeImportReport) -> None:
    """A postcode given again on a later line: the first is kept, the later ones rejected."""
    cursor.execute(
        f"SELECT line, postcode, first_line FROM (SELECT line, postcode, min(line) OVER "
        f"(PARTITION BY postcode) AS first_line FROM {STAGING}) ranked "
        "WHERE line <> first_line ORDER BY line"
    )
    duplicates = cursor.fetchall()
    for line, postcode, first_line in duplicates:
        report.reject(line, f"{postcode} is already on line {first_line}")
    if duplicates:
        cursor.execute(
            f"DELETE FROM {STAGING} WHERE line IN (SELECT line FROM (SELECT line, min(line) OVER "
            f"(PARTITION BY postcode) AS first_line FROM {STAGING}) ranked "
            "WHERE line <> first_line)"
        )
    # The rows rejected while reading are not in the staging table; neither now are these.
    report.rejected.sort(key=lambda rejected: rejected.line)


def upsert(cursor, report: PostcodeImportReport) -> None:
    table = Postcode._meta.db_table
    values = ", ".join(COLUMNS[1:])
    updates = ", ".join(f"{column} = excluded.{column}" for column in COLUMNS[1:])
    if connection.vendor == "postgresql":
        differs = f"({', '.join(f'{table}.{c}' for c in COLUMNS[1:])}) IS DISTINCT FROM "
        differs += f"({', '.join(f'excluded.{c}' for c in COLUMNS[1:])})"
    else:
        differs = " OR ".join(f"{table}.{c} IS NOT excluded.{c}" for c in COLUMNS[1:])
    cursor.execute(f"SELECT count(*) FROM {table}")
    before = cursor.fetchone()[0]
    cursor.execute(
        # "WHERE true" tells SQLite's parser that ON CONFLICT belongs to the INSERT.
        f"INSERT INTO {table} (postcode, {values}) SELECT postcode, {values} FROM {STAGING} "
        f"WHERE true ON CONFLICT (postcode) DO UPDATE SET {updates} WHERE {differs}"
    )
    written = cursor.rowcount
    cursor.execute(f"SELECT count(*) FROM {table}")
    report.created = cursor.fetchone()[0] - before
    report.updated = written - report.created
    report.unchanged = report.read - report.rejected_count - report.created - report.updated
