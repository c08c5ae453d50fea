"""National content: the home page, standard pages, network news and site-wide settings."""

from django.db import models
from django.db.models.functions import Coalesce
from django.templatetags.static import static
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.api_fields import PageLinkField
from core.blocks import RICH_TEXT_FEATURES, BodyBlock
from core.pages import NewsItemPage, SanctuaryPage, SectionIndexPage
from core.pagination import paginate
from core.query import (
    ACHIEVEMENT_ITEM_FIELDS,
    CARD_FIELDS,
    EVENT_CARD_FIELDS,
    GROUP_CARD_FIELDS,
    all_pages,
)
from core.sharing import NETWORK_LOGO, network_organization, network_settings_for


class HomePage(SanctuaryPage):
    """The network's front page, edited by national staff; the root of the site's tree."""

    api_fields = [
        APIField("introduction"),
        APIField("featured_groups"),
        APIField("body"),
    ]

    introduction = RichTextField(features=["bold", "italic", "link"], blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        InlinePanel("featured_groups", label="Featured groups", max_num=6),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "groups.GroupIndexPage",
        "events.EventIndexPage",
        "network.NewsIndexPage",
        "letters.LetterIndexPage",
        "network.StandardPage",
    ]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from events.models import EventPage
        from groups.models import AchievementPage, attach_groups
        from letters.models import LetterPage

        context = super().get_context(request, *args, **kwargs)
        # Only what the cards show: the home page is the busiest.
        context["latest_achievements"] = attach_groups(
            AchievementPage.objects.visible_to_public()
            .only(*CARD_FIELDS, *ACHIEVEMENT_ITEM_FIELDS)
            .order_by("-date_achieved", "-pk")[:3]
        )
        context["featured_groups"] = [
            item.group
            for item in self.featured_groups.select_related("group")
            .filter(group_id__in=all_pages().visible_to_public().values("pk"))
            .only("page", "sort_order", "group", *(f"group__{name}" for name in GROUP_CARD_FIELDS))
        ]
        context["upcoming_events"] = EventPage.objects.upcoming().only(
            *CARD_FIELDS, *EVENT_CARD_FIELDS, "organiser__title"
        )[:3]
        context["letter_campaigns"] = (
            LetterPage.objects.visible_to_public()
            .open_campaigns()  # a closed invitation is never offered as current
            .only(*CARD_FIELDS, "introduction")
            .order_by("-first_published_at")[:3]
        )
        context["structured_data"] = self.structured_data(request)
        return context

    def structured_data(self, request) -> dict:
        """The network as a schema.org Organization: its name, home, logo and social pages."""
        network = network_settings_for(request)
        return network_organization(
            request,
            logo=request.build_absolute_uri(static(NETWORK_LOGO)),
            sameAs=[url for _name, url in network.social_links()],
        )


class HomePageFeaturedGroup(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_groups")
    group = models.ForeignKey("groups.LocalGroupPage", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("group")]

    api_fields = [
        APIField("group", serializer=PageLinkField()),
    ]


class StandardPage(SanctuaryPage):
    """A national page such as /about/, edited by national staff; sits under the home page."""

    api_fields = [
        APIField("introduction"),
        APIField("body"),
    ]

    introduction = models.TextField(blank=True, max_length=500)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["network.HomePage", "network.StandardPage"]
    subpage_types = ["network.StandardPage"]


class NewsIndexPage(RoutablePageMixin, SectionIndexPage):
    """/news/: national news beside every group's updates, newest first. One per site."""

    parent_page_types = ["network.HomePage"]
    subpage_types = ["network.NewsPage"]

    def news_items(self):
        """National news and group updates in one queryset, ordered by their own dates."""
        from groups.models import GroupUpdatePage

        return (
            all_pages()
            .visible_to_public()
            .type(NewsPage, GroupUpdatePage)
            .annotate(news_date=Coalesce("newspage__date", "groupupdatepage__date"))
            .order_by("-news_date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from groups.models import attach_groups

        page_obj = paginate(request, self.news_items(), per_page=20)
        page_obj.object_list = attach_groups(page_obj.object_list.specific())
        context["news_page"] = page_obj
        return context

    @path("")
    def news(self, request):
        return self.render(request)

    @path("feed/")
    def feed(self, request):
        """Atom feed of national news and every group's updates."""
        from groups.feeds import NetworkNewsFeed

        return NetworkNewsFeed()(request, news_index=self)


class NewsPage(NewsItemPage):
    """A piece of national network news, published by national staff under /news/."""

    api_fields = [
        APIField("date"),
        APIField("introduction"),
        APIField("body"),
    ]

    # Shorter than a group update's (600): the limit national staff have always had here.
    introduction = models.TextField(blank=True, max_length=500)

    parent_page_types = ["network.NewsIndexPage"]

    class Meta:
        indexes = [models.Index(fields=["date", "page_ptr"], name="network_news_date_idx")]


@register_setting(icon="site")
class NetworkSettings(BaseSiteSetting):
    """Site-wide facts shown in the header and footer; edited by national staff."""

    network_name = models.CharField(max_length=100, default="City of Sanctuary")
    contact_email = models.EmailField(blank=True)
    footer_text = RichTextField(features=RICH_TEXT_FEATURES[4:], blank=True)
    facebook_url = models.URLField(blank=True)
    instagram_url = models.URLField(blank=True)
    bluesky_url = models.URLField(blank=True)
    x_url = models.URLField("X (Twitter) URL", blank=True)
    youtube_url = models.URLField(blank=True)

    panels = [
        FieldPanel("network_name"),
        FieldPanel("contact_email"),
        FieldPanel("footer_text"),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("bluesky_url"),
                FieldPanel("x_url"),
                FieldPanel("youtube_url"),
            ],
            heading="Social media",
        ),
    ]

    def social_links(self) -> list[tuple[str, str]]:
        links = [
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("Bluesky", self.bluesky_url),
            ("X (Twitter)", self.x_url),
            ("YouTube", self.youtube_url),
        ]
        return [(name, url) for name, url in links if url]


class ContentGeneration(models.Model):
    """The page cache's content generation (core/cache.py), one row.

    It lives beside the content, not in Redis: any change visitors could see bumps it in the
    same transaction, so a committed change always comes with a new generation, whatever
    state the cache is in, and a rolled-back one leaves the cache alone.
    """

    shown_to_visitors = (
        False  # no public answer reads it: saving one never purges (core/signals.py)
    )

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Content generation {self.value}"
