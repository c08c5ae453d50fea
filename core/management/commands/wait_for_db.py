import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection


class Command(BaseCommand):
    help = "Wait until the database accepts connections (used by the container's start script)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait")

    def handle(self, *args, timeout: float, **options) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                connection.ensure_connection()
                self.stdout.write("Database is ready.")
                return
            except DatabaseError as error:
                if time.monotonic() > deadline:
                    raise CommandError(
                        f"Database not reachable after {timeout:.0f}s: {error}"
                    ) from error
                connection.close()
                time.sleep(1)
