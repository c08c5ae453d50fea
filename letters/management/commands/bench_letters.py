"""Time letter rendering: one DOCX, one PDF, and a ZIP of DOCX for 650 constituencies.

Runs inside a transaction that is rolled back, so it leaves the database as it found it.
Uses the 650 constituencies in ../shared/data when they are there (via the importer),
otherwise 650 synthetic ones. Prints medians beside the targets; it asserts nothing.
"""

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from letters.assembly import assemble_letter, coverage_for
from letters.export import iter_letters_zip
from letters.models import Constituency, LetterPage
from letters.renderers import render_letter_docx, render_letter_pdf

TARGETS_MS = {"docx": 25, "pdf": 300, "zip650": 20_000}
SHARED_LOOKUP = Path(settings.BASE_DIR).parent / "shared" / "data" / "dfe_mp_lookup.csv"


class Rollback(Exception):
    """Raised to undo everything the benchmark created."""


class Command(BaseCommand):
    help = "Print median render times for one DOCX, one PDF and a 650-constituency DOCX ZIP."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--repeat", type=int, default=30, help="renders per single-letter median"
        )
        parser.add_argument("--zip-repeat", type=int, default=3, help="ZIP builds for its median")

    def handle(self, *args, repeat: int, zip_repeat: int, **options) -> None:
        try:
            with transaction.atomic():
                self._bench(repeat, zip_repeat)
                raise Rollback
        except Rollback:
            pass

    def _bench(self, repeat: int, zip_repeat: int) -> None:
        letter_page = self._letter_page()
        source = self._constituencies()
        constituency = Constituency.objects.filter(slug="southampton-test").first() or (
            Constituency.objects.order_by("name").first()
        )
        coverage = coverage_for([constituency])[constituency.pk]
        letter = assemble_letter(letter_page, constituency, coverage)
        self.stdout.write(f"letter: {letter_page.title}; {source}")
        self._report("docx", "one DOCX", _median_ms(lambda: render_letter_docx(letter), repeat))
        self._report("pdf", "one PDF", _median_ms(lambda: render_letter_pdf(letter), repeat))
        count = Constituency.objects.count()

        def build_zip() -> None:
            from django.core.cache import cache

            cache.clear()  # time real renders, not cache hits
            for _ in iter_letters_zip(letter_page):
                pass

        self._report("zip650", f"ZIP of {count} DOCX", _median_ms(build_zip, zip_repeat))

    def _report(self, key: str, label: str, medians: tuple[float, float]) -> None:
        wall, cpu = medians
        target = TARGETS_MS[key]
        verdict = "ok" if wall < target else "OVER TARGET"
        self.stdout.write(
            f"{label:<18} median {_shown(wall):>9} (CPU {_shown(cpu):>9})   "
            f"target < {_shown(target):<7} {verdict}"
        )

    def _letter_page(self) -> LetterPage:
        page = LetterPage.objects.live().order_by("pk").first()
        if page is None:
            from django.core.management import call_command

            call_command("load_demo_content", stdout=self.stderr)
            page = LetterPage.objects.live().order_by("pk").first()
        return page

    def _constituencies(self) -> str:
        if SHARED_LOOKUP.is_file():
            from letters.importers import import_constituencies

            import_constituencies(SHARED_LOOKUP)
            return f"constituencies from {SHARED_LOOKUP.name}"
        existing = Constituency.objects.count()
        Constituency.objects.bulk_create(
            Constituency(
                gss_code=f"X{number:08d}",
                name=f"Synthetic Constituency {number}",
                slug=f"synthetic-constituency-{number}",
                nation="england",
                region="london",
                current_mp_name=f"Member {number}",
                current_mp_full_title=f"Member {number} MP",
            )
            for number in range(max(0, 650 - existing))
        )
        return "650 synthetic constituencies"


def _median_ms(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds; CPU time shows the cost on a busy machine."""
    action()  # warm up: fonts, templates, imports
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _shown(milliseconds: float) -> str:
    if milliseconds >= 1000:
        return f"{milliseconds / 1000:.2f} s"
    return f"{milliseconds:.1f} ms"
