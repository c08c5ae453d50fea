"""Time letter rendering: one DOCX, one PDF, and the admin's ZIP of DOCX for 650
constituencies as the background worker builds it, with the requests around it.

Runs inside a transaction that is rolled back, so it leaves the database as it found it (and
deletes the ZIP files it wrote). Uses the 650 constituencies in ../shared/data when they are
there (via the importer), otherwise 650 synthetic ones. Prints medians beside the targets;
it asserts nothing.
"""

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from letters.assembly import assemble_letter, coverage_for
from letters.export import build_letters_zip
from letters.models import Constituency, LetterExport, LetterPage
from letters.renderers import render_letter_docx, render_letter_pdf

# The worker's ZIP has the target; no request around it may take seconds.
TARGETS_MS = {"docx": 25, "pdf": 300, "worker_zip": 10_000, "request": 5_000}
SHARED_LOOKUP = Path(settings.BASE_DIR).parent / "shared" / "data" / "dfe_mp_lookup.csv"


class Rollback(Exception):
    """Raised to undo everything the benchmark created."""


class Command(BaseCommand):
    help = "Print median render times for one DOCX, one PDF and a 650-constituency DOCX ZIP."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--repeat", type=int, default=30, help="renders per single-letter median"
        )
        parser.add_argument(
            "--zip-repeat", type=int, default=3, help="worker ZIP builds for its median"
        )

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
        self._bench_worker_zip(letter_page, zip_repeat)

    def _bench_worker_zip(self, letter_page: LetterPage, repeat: int) -> None:
        """The admin's ZIP as staff get it: Prepare ZIP, the worker's task (run here as
        `db_worker` runs it, with the rendered-letter cache cold), the progress page, the
        download."""
        staff = get_user_model().objects.create_superuser("bench-letters-zip", None, None)
        client = Client(HTTP_HOST="localhost")
        client.force_login(staff)
        page_url = reverse("letters_zip", args=[letter_page.pk])

        def request(method: str, url: str, expected: int) -> None:
            response = getattr(client, method)(url)
            response.getvalue()  # the whole body, as a browser reads it
            if response.status_code != expected:
                raise CommandError(f"{method.upper()} {url} answered {response.status_code}")

        task_times, request_times, files = [], [], []
        for _ in range(repeat + 1):  # the first warms up fonts, templates and imports
            request_times.append(_timed(request, "post", page_url, 302)[0])
            export = letter_page.exports.get(status=LetterExport.Status.QUEUED)
            cache.clear()
            task_times.append(_timed(build_letters_zip.call, export.pk))
            export.refresh_from_db()
            files.append(export.file.name)
            request_times.append(_timed(request, "get", page_url, 200)[0])
            file_url = reverse("letters_zip_file", args=[letter_page.pk, export.pk])
            request_times.append(_timed(request, "get", file_url, 200)[0])
        for name in files:  # the rows are rolled back; their files are not
            default_storage.delete(name)

        wall = statistics.median(wall for wall, _ in task_times[1:])
        cpu = statistics.median(cpu for _, cpu in task_times[1:])
        self.stdout.write(
            f"ZIP of {export.total} letters in the worker: {wall / 1000:.2f} s "
            f"(CPU {cpu / 1000:.2f} s)   target < {_shown(TARGETS_MS['worker_zip'])}   "
            f"{_verdict(wall, 'worker_zip')}"
        )
        slowest = max(request_times)
        self.stdout.write(
            f"slowest request around it (prepare, progress page, download): {_shown(slowest)}"
            f"   target < {_shown(TARGETS_MS['request'])}   {_verdict(slowest, 'request')}"
        )

    def _report(self, key: str, label: str, medians: tuple[float, float]) -> None:
        wall, cpu = medians
        self.stdout.write(
            f"{label:<18} median {_shown(wall):>9} (CPU {_shown(cpu):>9})   "
            f"target < {_shown(TARGETS_MS[key]):<7} {_verdict(wall, key)}"
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
    times = [_timed(action) for _ in range(repeat)]
    return statistics.median(wall for wall, _ in times), statistics.median(cpu for _, cpu in times)


def _timed(action: Callable[..., object], *args: object) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one run."""
    start, start_cpu = time.perf_counter(), time.process_time()
    action(*args)
    return (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000


def _verdict(milliseconds: float, key: str) -> str:
    return "ok" if milliseconds < TARGETS_MS[key] else "OVER TARGET"


def _shown(milliseconds: float) -> str:
    if milliseconds >= 1000:
        return f"{milliseconds / 1000:.2f} s"
    return f"{milliseconds:.1f} ms"
