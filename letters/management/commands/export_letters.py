"""Write every constituency's Word letter for a letter page into one ZIP, showing progress."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from letters.export import write_letters_zip, zip_filename
from letters.models import LetterPage


class Command(BaseCommand):
    help = "Export every constituency's DOCX letter for a live letter page as a ZIP file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("letter", help="The letter page's slug")
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write the ZIP (default: ./<slug>-all-constituencies.zip)",
        )

    def handle(self, *args, letter: str, output: Path | None, **options) -> None:
        letter_page = LetterPage.objects.live().filter(slug=letter).first()
        if letter_page is None:
            raise CommandError(f"No live letter page has the slug {letter!r}.")
        output = output or Path(zip_filename(letter_page))

        def progress(done: int, total: int) -> None:
            if done == total or done % 50 == 0:
                self.stderr.write(f"{done}/{total} letters")

        with output.open("wb") as archive:
            write_letters_zip(letter_page, archive, progress)
        self.stdout.write(f"Wrote {output}")
