"""The network's reach in figures, as the home page shows them: read from the content itself."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from core.query import all_pages, visible_in_every_language
from groups.models import AWARD_KINDS, GroupStatus


@dataclass(frozen=True)
class NetworkFigures:
    groups: int  # local groups that have not closed
    awards: int  # awards of sanctuary (schools, libraries, universities...) ever given
    events_this_year: int  # events starting this calendar year, past or to come


def network_figures() -> NetworkFigures:
    """One query over the page tree. Each page is counted once whatever the languages it is in
    (by its translation key), so the Welsh home page gives the network's figures too."""
    year = timezone.localdate().year
    counts = visible_in_every_language(all_pages()).aggregate(
        groups=Count(
            "translation_key",
            distinct=True,
            filter=Q(localgrouppage__isnull=False) & ~Q(localgrouppage__status=GroupStatus.CLOSED),
        ),
        awards=Count(
            "translation_key", distinct=True, filter=Q(achievementpage__kind__in=AWARD_KINDS)
        ),
        events_this_year=Count(
            "translation_key", distinct=True, filter=Q(eventpage__start__year=year)
        ),
    )
    return NetworkFigures(**counts)
