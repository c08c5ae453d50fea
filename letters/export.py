"""Every constituency's letter for one letter page as a ZIP of Word files, built as a stream.

The archive is written chunk by chunk as each letter is rendered, so the admin download
starts at once (the browser shows it growing) and memory stays flat however many letters.
"""

import io
import zipfile
from collections.abc import Callable, Iterator

from letters.assembly import coverage_for
from letters.downloads import letter_file
from letters.models import Constituency, LetterPage

Progress = Callable[[int, int], None]


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
    letter_page.event  # noqa: B018 - load the event once, not once per letter
    total = len(constituencies)
    sink = _ChunkSink()
    # Word files are already compressed; storing them is faster and hardly bigger.
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for number, constituency in enumerate(constituencies, start=1):
            letter, data = letter_file(letter_page, constituency, "docx", coverage[constituency.pk])
            archive.writestr(f"{letter.filename_stem}.docx", data)
            if progress is not None:
                progress(number, total)
            yield sink.take()
    yield sink.take()
