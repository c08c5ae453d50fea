"""The network's reach in figures, as the home page shows them: read from the content itself."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from core.cache import for_this_generation
from core.query import all_pages, visible_in_every_language
from groups.models import AWARD_KINDS, GroupStatus


@dataclass(frozen=True)
class NetworkFigures:
    groups: int  # local groups that have not closed
    awards: int  # awards of sanctuary (schools, libraries, universities...) ever given
    events_this_year: int  # events starting this calendar year, past or to come


def network_figures() -> NetworkFigures:
    """The figures, counted once per content generation: only a change to the content (or
    midnight, which starts a new generation: "this year" moves on at new year) changes them,
    and counting them reads every page (about 10 ms of PostgreSQL's time on the `make bench`
    data, on every uncached home page)."""
    year = timezone.localdate().year
    return for_this_generation(f"network-figures:v1:{year}", lambda: count_figures(year))


def count_figures(year: int) -> NetworkFigures:
    """One query over the page tree. Each page is counted once whatever the languages it is in
    (by its translation key), so the Welsh home page gives the network's figures too."""
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
