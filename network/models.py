"""National content: the home page, standard pages, network news and site-wide settings."""

from django.db import models
from django.db.models import prefetch_related_objects
from django.db.models.functions import Coalesce
from django.templatetags.static import static
from django.utils.translation import get_language, gettext
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.api_fields import PageLinkField
from core.blocks import RICH_TEXT_FEATURES, BodyBlock
from core.pages import NewsItemPage, SanctuaryPage, SectionIndexPage
from core.pagination import paginate
from core.pictures import prefetch_renditions, with_pictures
from core.query import (
    ACHIEVEMENT_ITEM_FIELDS,
    CARD_FIELDS,
    EVENT_CARD_FIELDS,
    GROUP_CARD_FIELDS,
    all_pages,
)
from core.sharing import NETWORK_LOGO, network_organization, network_settings_for

# The footer's text: inline emphasis, lists and links, no headings (RICH_TEXT_FEATURES[4:]
# dropped bold with the headings).
FOOTER_RICH_TEXT_FEATURES = [name for name in RICH_TEXT_FEATURES if name not in {"h2", "h3", "h4"}]


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
        from network.figures import network_figures

        context = super().get_context(request, *args, **kwargs)
        context["figures"] = network_figures()
        context.update(self.kept_for_generation(request, "home-lists:v1", self.lists))
        context["structured_data"] = self.structured_data(request)
        return context

    def lists(self) -> dict[str, list]:
        """The home page's lists: the latest achievements, featured groups, upcoming events
        and open letter campaigns, each card with its picture and renditions."""
        from events.models import EventPage
        from groups.models import AchievementPage, attach_groups
        from letters.models import LetterPage

        # Only what the cards show, with their pictures: the home page is the busiest.
        latest_achievements = attach_groups(
            with_pictures(AchievementPage.objects.visible_to_public())
            .only(*CARD_FIELDS, *ACHIEVEMENT_ITEM_FIELDS)
            .order_by("-date_achieved", "-pk")[:3]
        )
        featured_groups = [
            item.group
            for item in self.featured_groups.select_related("group", "group__image")
            .filter(group_id__in=all_pages().visible_to_public().values("pk"))
            .only("page", "sort_order", "group", *(f"group__{name}" for name in GROUP_CARD_FIELDS))
        ]
        upcoming_events = list(
            with_pictures(EventPage.objects.upcoming()).only(
                *CARD_FIELDS, *EVENT_CARD_FIELDS, "organiser__title"
            )[:3]
        )
        # The three lists' pictures' renditions in one query.
        prefetch_renditions([*latest_achievements, *featured_groups, *upcoming_events])
        return {
            "latest_achievements": latest_achievements,
            "featured_groups": featured_groups,
            "upcoming_events": upcoming_events,
            "letter_campaigns": list(
                LetterPage.objects.visible_to_public()
                .open_campaigns()  # a closed invitation is never offered as current
                .select_related("event")
                .only(*CARD_FIELDS, "introduction", "event__title", "event__start", "event__end")
                .order_by("-first_published_at")[:3]
            ),
        }

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
        # National news and updates are two page types: each one's pictures, then renditions.
        page_obj.object_list = attach_groups(page_obj.object_list.specific())
        prefetch_related_objects(page_obj.object_list, "image")
        prefetch_renditions(page_obj.object_list)
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


def statement_page(name: str) -> models.ForeignKey:
    """A statement the footer links to: any page, kept optional."""
    return models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=name,
    )


@register_setting(icon="site")
class NetworkSettings(BaseSiteSetting):
    """Site-wide facts shown in the header and footer; edited by national staff.

    The footer shows the contact details, the statements (privacy, accessibility, cookies) and
    the charity's registered details: what a visitor, and the law, expect of a charity's site.
    """

    # The statement pages come with the settings, in their one query (Wagtail's documented
    # `select_related`): the footer links them on every page.
    select_related = [
        "privacy_page",
        "privacy_page__locale",
        "accessibility_page",
        "accessibility_page__locale",
        "cookie_page",
        "cookie_page__locale",
    ]

    network_name = models.CharField(max_length=100, default="City of Sanctuary")
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(
        max_length=40, blank=True, help_text="Optional. As it should be dialled in the UK."
    )
    postal_address = models.TextField(
        max_length=300, blank=True, help_text="Where letters reach the network. One line each."
    )
    footer_text = RichTextField(features=FOOTER_RICH_TEXT_FEATURES, blank=True)
    privacy_page = statement_page("privacy notice")
    accessibility_page = statement_page("accessibility statement")
    cookie_page = statement_page("cookie statement")
    charity_name = models.CharField(
        "registered name",
        max_length=200,
        blank=True,
        help_text="The charity's name as registered, e.g. with the Charity Commission.",
    )
    charity_number = models.CharField("registered charity number", max_length=40, blank=True)
    registered_address = models.TextField(
        max_length=300, blank=True, help_text="The charity's registered address. One line each."
    )
    facebook_url = models.URLField(blank=True)
    instagram_url = models.URLField(blank=True)
    bluesky_url = models.URLField(blank=True)
    x_url = models.URLField("X (Twitter) URL", blank=True)
    youtube_url = models.URLField(blank=True)

    panels = [
        FieldPanel("network_name"),
        FieldPanel("footer_text"),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("postal_address"),
            ],
            heading="Contact",
        ),
        MultiFieldPanel(
            [
                PageChooserPanel("privacy_page"),
                PageChooserPanel("accessibility_page"),
                PageChooserPanel("cookie_page"),
            ],
            heading="Statements",
            help_text="Linked from every page's footer, in Welsh where the page has a Welsh "
            "translation.",
        ),
        MultiFieldPanel(
            [
                FieldPanel("charity_name"),
                FieldPanel("charity_number"),
                FieldPanel("registered_address"),
            ],
            heading="Charity details",
        ),
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

    def statement_links(self) -> list[tuple[str, Page]]:
        """The chosen statements that are live, each as its label and its page in the
        request's language (the page itself when it has no live translation): no query in the
        pages' own language, one for all three in another."""
        chosen = [
            (label, page)
            for label, page in (
                (gettext("Privacy notice"), self.privacy_page),
                (gettext("Accessibility statement"), self.accessibility_page),
                (gettext("Cookies"), self.cookie_page),
            )
            if page is not None and page.live
        ]
        language = get_supported_content_language_variant(get_language())
        others = {
            page.translation_key for _label, page in chosen if page.locale.language_code != language
        }
        if not others:
            return chosen
        translations = {
            page.translation_key: page
            # visible_to_public() keeps the request's language, as every public list does.
            for page in all_pages()
            .visible_to_public()
            .filter(translation_key__in=others)
            .only("title", "url_path", "locale", "translation_key")
        }
        return [(label, translations.get(page.translation_key, page)) for label, page in chosen]


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
