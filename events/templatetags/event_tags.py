"""Template pieces for events: their dates in UK time and their 'add to calendar' links (their
JSON-LD: core seo_tags' `json_ld`)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from events.calendar_links import CalendarLinks, calendar_links
from events.dates import event_when

register = template.Library()


@register.filter
def event_dates(event) -> SafeString:
    """`{{ event|event_dates }}`: "Monday 12 November 2018, 12:00 to 16:00" in <time> elements."""
    when = event_when(event.start, event.end)
    start = format_html('<time datetime="{}">{}</time>', when.start_iso, when.start_text)
    if not when.end_text:
        return start
    end = format_html('<time datetime="{}">{}</time>', when.end_iso, when.end_text)
    return format_html("{} {} {}", start, gettext("to"), end)


@register.simple_tag(takes_context=True)
def add_to_calendar_links(context, event) -> CalendarLinks:
    """`{% add_to_calendar_links event as links %}`: `links.google`, `links.outlook`."""
    return calendar_links(event, context["request"])
