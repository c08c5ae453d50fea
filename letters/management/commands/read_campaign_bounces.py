"""Read the bounces of campaign emails that arrived later by email (run it every 15 minutes)."""

import mailbox

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from letters.bounces import read_maildir


class Command(BaseCommand):
    help = (
        "Read the bounce mailbox (a Maildir, CAMPAIGN_BOUNCE_MAILDIR): mark campaign emails that "
        "bounced as failed, delete the addresses that bounced permanently, delete what was read."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--maildir", help="the Maildir to read, instead of the setting's")

    def handle(self, *args, maildir: str | None = None, **options) -> None:
        if not settings.CAMPAIGN_BOUNCE_ADDRESS:
            raise CommandError(
                "CAMPAIGN_BOUNCE_ADDRESS is not set: campaign emails carry no return path, "
                "so there are no bounces of theirs to read."
            )
        path = maildir or settings.CAMPAIGN_BOUNCE_MAILDIR
        if not path:
            raise CommandError("Set CAMPAIGN_BOUNCE_MAILDIR (or --maildir) to the bounce Maildir.")
        try:
            counts = read_maildir(path)
        except (mailbox.NoSuchMailboxError, OSError) as error:
            raise CommandError(f"No Maildir to read at {path}: {error}") from None
        self.stdout.write(
            f"Permanent failures: {counts.permanent} (their addresses deleted). "
            f"Other failures: {counts.failed}. Delays and other reports: {counts.ignored}. "
            f"Left in the mailbox, not a bounce of a campaign email: {counts.left}."
        )
