from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from letters.importers import ImportFileError, import_constituencies


class Command(BaseCommand):
    help = (
        "Load or refresh constituencies from the House of Commons Library results CSV or the "
        "DfE MP lookup CSV (detected from the header). All or nothing: a bad file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="path to the CSV file")

    def handle(self, *args, file: Path, **options) -> None:
        show_progress = self.stdout.isatty()

        def progress(done: int, total: int) -> None:
            if show_progress:
                self.stdout.write(f"\rImporting {done}/{total}", ending="")
                if done == total:
                    self.stdout.write("")

        try:
            report = import_constituencies(file, progress=progress)
        except ImportFileError as error:
            raise CommandError(f"{file}: {error}. Nothing was imported.") from error

        self.stdout.write(
            self.style.SUCCESS(f"{file.name} ({report.source_format.label}): {report.summary()}")
        )
        for rejected in report.rejected:
            self.stdout.write(self.style.WARNING(f"rejected {rejected}"))
        for note in report.notes:
            self.stdout.write(note)
