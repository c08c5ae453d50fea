"""Atom feeds: national news with every group's updates, and one feed per group."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from groups.models import LocalGroupPage, attach_groups

FEED_LENGTH = 30


def _as_datetime(date: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(date, datetime.time(9), tzinfo=timezone.get_current_timezone())


class PageFeed(Feed):
    """Shared item fields for feeds of dated pages (NewsPage and GroupUpdatePage both have `date`)."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.introduction or item.search_description or ""

    def absolute_url(self, page) -> str:
        # The visitor's own host, so feeds work on every domain the site answers on.
        return self.request.build_absolute_uri(page.get_url(request=self.request))

    def item_link(self, item) -> str:
        return self.absolute_url(item)

    def item_guid(self, item) -> str:
        return f"urn:uuid:{item.translation_key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item) -> datetime.datetime:
        return _as_datetime(item.date)

    def item_updateddate(self, item) -> datetime.datetime:
        return item.last_published_at or _as_datetime(item.date)

    def item_author_name(self, item) -> str:
        group = getattr(item, "group", None)
        return group.title if isinstance(group, LocalGroupPage) else "City of Sanctuary"


class NetworkNewsFeed(PageFeed):
    def get_object(self, request, news_index):
        return news_index

    def title(self, news_index) -> str:
        return f"{news_index.title}: City of Sanctuary"

    def link(self, news_index) -> str:
        return self.absolute_url(news_index)

    def subtitle(self, news_index) -> str:
        return gettext("National news and updates from every local group.")

    def items(self, news_index) -> list:
        return attach_groups(news_index.news_items()[:FEED_LENGTH].specific())


class GroupUpdatesFeed(PageFeed):
    def get_object(self, request, group):
        return group

    def title(self, group) -> str:
        return gettext("Updates from %(group)s") % {"group": group.title}

    def link(self, group) -> str:
        return self.absolute_url(group)

    def subtitle(self, group) -> str:
        return group.introduction or gettext("News from %(group)s.") % {"group": group.title}

    def items(self, group) -> list:
        updates = group.updates()[:FEED_LENGTH]
        for update in updates:
            update.__dict__["group"] = group
        return list(updates)
