"""A campaign day on the demo content: its 2018 invitation reopened.

The demo's only invitation closed when its 2018 event ended, and a closed campaign's letter
is not downloaded (410). Tests of the letter's files and forms reopen it, in the test's own
database (tests/conftest.py `open_invitation`) or a system test server's
(`manage.py shell -c`, tests/deploy/servers.py `reopen_demo_invitation`). No pytest here:
the server's shell imports it.
"""

import datetime

from django.utils import timezone

from letters.demo import DEMO_INVITATION_SLUG as DEMO_LETTER_SLUG

REOPENED_FOR = datetime.timedelta(days=30)


def reopen_demo_invitation():
    """The demo invitation, its campaign open for `REOPENED_FOR` from now."""
    from letters.models import LetterPage

    letter = LetterPage.objects.get(slug=DEMO_LETTER_SLUG)
    letter.closes_at = timezone.now() + REOPENED_FOR
    letter.save(update_fields=["closes_at"])
    return letter
