"""Delete the email addresses visitors gave for campaigns that have closed (run it hourly)."""

from django.core.management.base import BaseCommand

from letters.reminders import forget_closed_campaigns


class Command(BaseCommand):
    help = "Delete every email address given for a letter campaign that has closed."

    def handle(self, *args, **options) -> None:
        deleted = forget_closed_campaigns()
        self.stdout.write(f"Deleted {deleted} address{'es' if deleted != 1 else ''}.")
