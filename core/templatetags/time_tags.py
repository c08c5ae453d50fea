"""Dates in <time> elements: one filter for the machine-readable date and the words."""

import datetime

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def time_element(value: datetime.date | None, words: str = "j F Y") -> SafeString | str:
    """`{{ page.date|time_element:"F Y" }}`: `<time datetime="2018-11-12">November 2018</time>`.

    For dates (a day, no time of day). The same markup as two `date` filters, formatted once:
    lists show it on every item.
    """
    if not value:  # no date, or a variable that did not resolve
        return ""
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), format_date(value, words)
    )
