"""Compile the project's translations (locale/*/LC_MESSAGES/*.po) into the .mo files Django reads.

Django's `compilemessages` needs GNU gettext's `msgfmt`, which a fresh clone on a laptop (or a
slim container image) often lacks; polib (which wagtail-localize brings) writes the same files
in Python. `make install`, the Dockerfile and CI run this; the .mo files are not committed.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile every .po file under LOCALE_PATHS into its .mo file (no GNU gettext needed)."

    def handle(self, *args, **options) -> None:
        compiled = 0
        for folder in settings.LOCALE_PATHS:
            for po_path in sorted(Path(folder).glob("*/LC_MESSAGES/*.po")):
                try:
                    catalogue = polib.pofile(str(po_path))
                except (OSError, ValueError) as error:
                    raise CommandError(f"{po_path}: {error}") from error
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
                self.stdout.write(f"{po_path}: {len(catalogue.translated_entries())} strings")
        if not compiled:
            raise CommandError(f"No .po files under {settings.LOCALE_PATHS}")
