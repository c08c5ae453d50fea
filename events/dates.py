"""How an event's dates read: UK time, with the day of the week, one wording everywhere.

Visitors, letters and calendar descriptions must all say "Monday 12 November 2018, 12:00 to
16:00" whatever the server's time zone, so the wording is made here and nowhere else.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.dateformat import format as format_date
from django.utils.translation import gettext

UK_TIME = ZoneInfo("Europe/London")
DAY_AND_TIME = "l j F Y, H:i"
TIME_ONLY = "H:i"


@dataclass(frozen=True)
class EventWhen:
    """An event's start and end as UK wall-clock text, plus ISO values for <time> elements."""

    start_text: str
    end_text: str
    start_iso: str
    end_iso: str

    def __str__(self) -> str:
        if not self.end_text:
            return self.start_text
        return f"{self.start_text} {gettext('to')} {self.end_text}"


def event_when(start: datetime.datetime, end: datetime.datetime | None) -> EventWhen:
    """The wording of an event's dates; the end repeats the day only when it is another day."""
    local_start = start.astimezone(UK_TIME)
    local_end = end.astimezone(UK_TIME) if end is not None else None
    if local_end is None or local_end == local_start:
        end_text, end_iso = "", ""
    else:
        same_day = local_end.date() == local_start.date()
        end_text = format_date(local_end, TIME_ONLY if same_day else DAY_AND_TIME)
        end_iso = local_end.isoformat()
    return EventWhen(
        start_text=format_date(local_start, DAY_AND_TIME),
        end_text=end_text,
        start_iso=local_start.isoformat(),
        end_iso=end_iso,
    )
