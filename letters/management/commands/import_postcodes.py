from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from letters.postcode_import import PostcodeFileError, import_postcodes

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Load or refresh the postcode table from an ONS Postcode Directory CSV (pcds, dointr, "
        "doterm, pcon, lat, long...). Bad rows are rejected with their line; a broken file "
        "changes nothing. Running it again with the same file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="path to the ONSPD CSV file")

    def handle(self, *args, file: Path, **options) -> None:
        # A progress bar on a terminal; nothing from it in a log or a pipe.
        show_progress = self.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if not show_progress:
                return
            share = done / total if total else 1.0
            filled = round(share * BAR_WIDTH)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stderr.write(
                f"\rImporting postcodes [{bar}] {share:4.0%} of {total / 1e6:.0f} MB",
                style_func=str,  # plain, not the error colour
                ending="",
            )
            if done >= total:
                self.stderr.write("", style_func=str)

        try:
            report = import_postcodes(file, progress=progress)
        except PostcodeFileError as error:
            if show_progress:
                self.stderr.write("", style_func=str)
            raise CommandError(f"{file}: {error}. Nothing was imported.") from error

        self.stdout.write(self.style.SUCCESS(f"{file.name}: {report.summary()}"))
        for rejected in report.rejected:
            self.stdout.write(self.style.WARNING(f"rejected {rejected}"))
        if report.rejected_count > len(report.rejected):
            hidden = report.rejected_count - len(report.rejected)
            self.stdout.write(self.style.WARNING(f"... and {hidden} more rejected rows"))
