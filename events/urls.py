"""Routes the events app serves outside the page tree (included before Wagtail's catch-all)."""

from django.urls import re_path

from events import views

# Word characters and hyphens only: Wagtail slugs may be Unicode, but never hold "/", "." or
# control characters, so odd paths fall through to Wagtail's own 404.
GROUP_SLUG = r"(?P<group_slug>[-\w]{1,255})"

urlpatterns = [
    re_path(rf"^groups/{GROUP_SLUG}/events/$", views.group_events, name="group_events"),
    re_path(
        rf"^groups/{GROUP_SLUG}/events/ical/$", views.group_events_ical, name="group_events_ical"
    ),
]
