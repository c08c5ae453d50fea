"""Template pieces for events: their dates in UK time, their schema.org structured data and their
'add to calendar' links."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from events.calendar_links import CalendarLinks, calendar_links
from events.dates import event_when

register = template.Library()

# The escapes Django's json_script uses, so editor text such as "</script>" stays inside the
# JSON-LD element; json_script itself cannot be used because it fixes type="application/json".
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def event_dates(event) -> SafeString:
    """`{{ event|event_dates }}`: "Monday 12 November 2018, 12:00 to 16:00" in <time> elements."""
    when = event_when(event.start, event.end)
    start = format_html('<time datetime="{}">{}</time>', when.start_iso, when.start_text)
    if not when.end_text:
        return start
    end = format_html('<time datetime="{}">{}</time>', when.end_iso, when.end_text)
    return format_html("{} {} {}", start, gettext("to"), end)


@register.simple_tag
def json_ld(data: dict) -> SafeString:
    """A <script type="application/ld+json"> element that editor text cannot break out of."""
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag(takes_context=True)
def add_to_calendar_links(context, event) -> CalendarLinks:
    """`{% add_to_calendar_links event as links %}`: `links.google`, `links.outlook`."""
    return calendar_links(event, context["request"])
