"""Every constituency's letter for one letter page as a ZIP of Word files.

One writer, `iter_letters_zip`, yields the archive chunk by chunk as each letter is rendered,
so memory stays flat however many letters. `manage.py export_letters` writes it to a file
at once; the admin asks the background worker for it (`request_letters_zip`), because 650
letters with the rendered-letter cache cold take longer than any web request may.
"""

import datetime
import io
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from typing import BinaryIO

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from letters.assembly import coverage_for
from letters.campaign import answers_for_letters
from letters.downloads import letter_file
from letters.models import Constituency, LetterExport, LetterPage

Progress = Callable[[int, int], None]

# The worker records its progress every this many letters: one query each, not one a letter.
PROGRESS_EVERY = 25
# A finished export is kept this long (or until a newer one for its letter finishes).
KEEP_EXPORTS_FOR = datetime.timedelta(days=1)
# A running export that has not moved for this long lost its worker (killed or restarted).
STALLED_AFTER = datetime.timedelta(minutes=10)


class _ChunkSink(io.RawIOBase):
    """A write-only, unseekable file that hands back what was written since the last take()."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def zip_filename(letter_page: LetterPage) -> str:
    return f"{letter_page.slug}-all-constituencies.zip"


def iter_letters_zip(letter_page: LetterPage, progress: Progress | None = None) -> Iterator[bytes]:
    """Yield the ZIP's bytes, one constituency's DOCX letter at a time, in name order.

    Queries: the constituencies and their coverage up front (a fixed handful), none per letter.
    """
    constituencies = list(Constituency.objects.order_by("name"))
    coverage = coverage_for(constituencies)
    answers = answers_for_letters(letter_page, constituencies)
    letter_page.event  # noqa: B018 - load the event once, not once per letter
    total = len(constituencies)
    sink = _ChunkSink()
    # Word files are already compressed; storing them is faster and hardly bigger.
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for number, constituency in enumerate(constituencies, start=1):
            letter, data = letter_file(
                letter_page,
                constituency,
                "docx",
                coverage[constituency.pk],
                answer=answers.get(constituency.pk),
            )
            archive.writestr(f"{letter.filename_stem}.docx", data)
            if progress is not None:
                progress(number, total)
            yield sink.take()
    yield sink.take()


def write_letters_zip(
    letter_page: LetterPage, output: BinaryIO, progress: Progress | None = None
) -> None:
    """The whole ZIP into an open file: for the command and for the background worker."""
    for chunk in iter_letters_zip(letter_page, progress):
        output.write(chunk)


def request_letters_zip(letter_page: LetterPage, user: AbstractBaseUser) -> LetterExport:
    """The export already waiting or running for this letter, or a new one queued now."""
    abandon_stalled_exports()
    remove_old_exports()
    active = LetterExport.objects.filter(letter=letter_page, status__in=LetterExport.ACTIVE)
    if existing := active.first():
        return existing
    try:
        with transaction.atomic():
            export = LetterExport.objects.create(
                letter=letter_page, requested_by=user, total=Constituency.objects.count()
            )
            # In the same transaction: the worker cannot see the task before the export.
            build_letters_zip.enqueue(export.pk)
    except IntegrityError:
        # Another request queued one between our look and our insert: show that one.
        return active.first() or letter_page.exports.latest("created_at")
    return export


@task(backend="background")
def build_letters_zip(export_id: int) -> None:
    """Write the export's ZIP to a temporary file, then keep it in default storage."""
    claimed = LetterExport.objects.filter(pk=export_id, status=LetterExport.Status.QUEUED)
    if not claimed.update(status=LetterExport.Status.RUNNING, updated_at=timezone.now()):
        return  # removed, or already run
    export = LetterExport.objects.select_related("letter").get(pk=export_id)
    rows = LetterExport.objects.filter(pk=export_id)

    def progress(done: int, total: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == total:
            rows.update(done=done, total=total, updated_at=timezone.now())

    try:
        with tempfile.TemporaryFile() as archive:
            write_letters_zip(export.letter, archive, progress)
            size = archive.tell()
            archive.seek(0)
            export.file.save(
                f"{export.pk}-{zip_filename(export.letter)}", File(archive), save=False
            )
    except BaseException as error:  # the worker stopping mid-way included
        rows.update(
            status=LetterExport.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:1000],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        raise
    rows.update(
        status=LetterExport.Status.DONE,
        file=export.file.name,
        size=size,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    remove_old_exports(replaced_by=export)


def abandon_stalled_exports() -> None:
    """Mark as failed the running exports whose worker stopped without saying so."""
    LetterExport.objects.filter(
        status=LetterExport.Status.RUNNING, updated_at__lt=timezone.now() - STALLED_AFTER
    ).update(
        status=LetterExport.Status.FAILED,
        error="The worker stopped before finishing.",
        finished_at=timezone.now(),
    )


def remove_old_exports(replaced_by: LetterExport | None = None) -> None:
    """Delete finished exports older than KEEP_EXPORTS_FOR, and those of `replaced_by`'s
    letter asked for before it (letters/signals.py deletes their files)."""
    old = Q(finished_at__lt=timezone.now() - KEEP_EXPORTS_FOR)
    if replaced_by is not None:
        old |= Q(letter=replaced_by.letter_id, created_at__lt=replaced_by.created_at)
    LetterExport.objects.exclude(status__in=LetterExport.ACTIVE).filter(old).delete()
