"""Local "of Sanctuary" groups: their pages, updates and achievements.

A group's subtree (/groups/<slug>/...) is edited by that group's editors; national staff
create the group page itself (see groups/permissions.py for what creating one provisions).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.coreutils import resolve_model_string
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.api_fields import ConstituencyListField, PageLinkField
from core.blocks import BodyBlock
from core.choices import Nation, Region, choice_label
from core.letter_text import letter_text_errors
from core.pages import NewsItemPage, PicturedPage, SectionIndexPage
from core.pictures import prefetch_renditions, with_pictures
from core.query import (
    ACHIEVEMENT_ITEM_FIELDS,
    CARD_FIELDS,
    EVENT_CARD_FIELDS,
    UPDATE_ITEM_FIELDS,
)
from core.restricted_fields import RestrictedFieldsMixin
from core.sharing import network_organization, organization, shared_picture, without_context
from groups.query import LocalGroupPageManager


class GroupKind(models.TextChoices):
    CITY = "city", _("City")
    TOWN = "town", _("Town")
    BOROUGH = "borough", _("Borough")
    DISTRICT = "district", _("District")
    COUNTY = "county", _("County")
    COMMUNITY = "community", _("Community")
    VALLEY = "valley", _("Valley")
    AREA = "area", _("Area")
    ISLAND = "island", _("Island")
    NATION = "nation", _("Nation")


class GroupStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    CLOSED = "closed", _("Closed")


# How many of its newest achievements a group's page shows; the rest are a link away.
GROUP_PAGE_ACHIEVEMENTS = 10


def current_letter_campaign():
    """The newest published invitation letter, which the group page links each covered
    constituency to (a follow-up letter is for after its event, reached from the invitation).

    Letters sit above groups (they read a group's constituencies), so the model is named.
    """
    return (
        resolve_model_string("letters.LetterPage")
        .objects.visible_to_public()
        .filter(kind="invitation")
        .select_related("event")
        .order_by("-first_published_at")
        .first()
    )


def attach_groups(pages) -> list:
    """Give each group child page (update, achievement) its `group` from one query.

    Listings show which group a page belongs to; looking each one up would cost a query per
    item, so the parents are fetched together by their tree paths.
    """
    pages = list(pages)
    parent_paths = {page.path[: -Page.steplen] for page in pages}
    groups = {
        group.path: group
        # Listings name the group and link to it: that is all they read.
        for group in LocalGroupPage.objects.filter(path__in=parent_paths).only(*CARD_FIELDS)
    }
    for page in pages:
        group = groups.get(page.path[: -Page.steplen])
        if group is not None:
            page.__dict__["group"] = group
    return pages


class GroupIndexPage(RoutablePageMixin, SectionIndexPage):
    """/groups/: the directory of local groups. One per site, edited by national staff."""

    parent_page_types = ["network.HomePage"]
    subpage_types = ["groups.LocalGroupPage"]

    @path("")
    def directory(self, request):
        from groups.directory import GroupDirectory

        # Here, not in get_context: the achievements route below renders this page too.
        return self.render(request, context_overrides={"directory": GroupDirectory(request, self)})

    @path("achievements/")
    def achievements(self, request):
        """Achievements across every group, optionally of one kind (e.g. all School awards)."""
        from groups.directory import AchievementListing

        return self.render(
            request,
            context_overrides={"listing": AchievementListing(request)},
            template="groups/achievement_list.html",
        )


class LocalGroupPage(RestrictedFieldsMixin, RoutablePageMixin, PicturedPage):
    """A local group's home page (/groups/southampton/).

    Created by national staff; afterwards edited by the group's own editors, whose rights
    cover this page and everything below it.
    """

    api_fields = [
        APIField("kind"),
        APIField("nation"),
        APIField("region"),
        APIField("status"),
        APIField("date_founded"),
        APIField("council_resolution_date"),
        APIField("council_resolution_text"),
        APIField("introduction"),
        APIField("member_organisations"),
        APIField("contact_email"),
        APIField("website"),
        APIField("facebook_url"),
        APIField("instagram_url"),
        APIField("x_url"),
        APIField("latitude"),
        APIField("longitude"),
        APIField("constituencies", serializer=ConstituencyListField()),
        APIField("letter_paragraph"),
        APIField("body"),
    ]

    objects = LocalGroupPageManager()  # adds near(latitude, longitude)

    kind = models.CharField(max_length=20, choices=GroupKind.choices, default=GroupKind.CITY)
    nation = models.CharField(max_length=20, choices=Nation.choices, default=Nation.ENGLAND)
    region = models.CharField(max_length=30, choices=Region.choices)
    status = models.CharField(
        max_length=10,
        choices=GroupStatus.choices,
        default=GroupStatus.ACTIVE,
        help_text=(
            "Set by national staff. A closed group's pages stay readable with a notice, but it "
            "leaves the directory (unless asked for), the map, the near-me answers and letters."
        ),
    )
    date_founded = models.DateField(null=True, blank=True)
    council_resolution_date = models.DateField(null=True, blank=True)
    council_resolution_text = models.TextField(
        blank=True, help_text="The wording of the council's resolution or pledge, if there is one."
    )
    introduction = models.TextField(blank=True, max_length=600)
    body = StreamField(BodyBlock(), blank=True)
    contact_email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    facebook_url = models.URLField(blank=True)
    instagram_url = models.URLField(blank=True)
    x_url = models.URLField("X (Twitter) URL", blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    letter_paragraph = models.TextField(
        blank=True,
        max_length=3000,
        help_text=(
            "Plain text about the group, placed in letters to MPs of the constituencies the "
            "group covers. Blank lines separate paragraphs."
        ),
    )
    constituencies = ParentalManyToManyField(
        "letters.Constituency", blank=True, related_name="groups"
    )
    may_publish_directly = models.BooleanField(
        default=False,
        help_text="Trusted groups publish their own changes; others are reviewed by national staff.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        PicturedPage.picture_panel,
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldRowPanel([FieldPanel("nation"), FieldPanel("region")]),
                FieldPanel("date_founded"),
                FieldPanel("council_resolution_date"),
                FieldPanel("council_resolution_text"),
            ],
            heading="About the group",
        ),
        InlinePanel("member_organisations", label="Member organisations"),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("website"),
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("x_url"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading="Contact and location",
        ),
        FieldPanel("letter_paragraph"),
        FieldPanel("body"),
    ]
    settings_panels = [
        *Page.settings_panels,
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("constituencies"),
                FieldPanel("may_publish_directly"),
            ],
            heading="National staff only",
            help_text=(
                "Changes here take effect as soon as you save, draft or not, and publishing or "
                "reverting another version of the page never changes them."
            ),
            permission="groups.change_group_provisioning",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("letter_paragraph"),
        # Visitors type a place or their MP: the region ("Wales", "North West") and the
        # constituencies the group covers, with their MPs ("Itchen", "Paffey").
        index.SearchField("place_label"),
        index.RelatedFields(
            "constituencies", [index.SearchField("name"), index.SearchField("current_mp_name")]
        ),
        index.FilterField("nation"),
        index.FilterField("region"),
        index.FilterField("kind"),
        index.FilterField("status"),
    ]

    parent_page_types = ["groups.GroupIndexPage"]
    subpage_types = ["groups.GroupUpdatePage", "groups.AchievementPage", "events.EventPage"]

    class Meta:
        permissions = [
            ("change_group_provisioning", "Can change a group's constituencies and trust"),
        ]

    def clean(self):
        super().clean()
        # The paragraph's {placeholders} are filled in each letter, so the same closed set as
        # the letter templates' applies (checked by `letters`, registered in core).
        errors = letter_text_errors(self.letter_paragraph)
        if errors:
            raise ValidationError({"letter_paragraph": errors})

    # The labels cards and the page show (core.choices.choice_label: the same words, cheaper).
    def get_kind_display(self) -> str:
        return choice_label(GroupKind, self.kind)

    def get_nation_display(self) -> str:
        return choice_label(Nation, self.nation)

    def get_region_display(self) -> str:
        return choice_label(Region, self.region)

    def get_status_display(self) -> str:
        return choice_label(GroupStatus, self.status)

    @property
    def kind_label(self) -> str:
        # "Dinas Noddfa" in Welsh: the kind, then the movement's name.
        return _("%(kind)s of Sanctuary") % {"kind": self.get_kind_display()}

    def get_route_paths(self) -> list[str]:
        """The page and its fixed sub-URLs. Wagtail's redirects app (WAGTAILREDIRECTS_AUTO_CREATE)
        creates a redirect for each when the group is renamed or moved, so an old address of
        its events, calendar, achievements or feed follows it too."""
        return ["/", "/events/", "/events/ical/", "/achievements/", "/feed/"]

    @property
    def place_label(self) -> str:
        """Its region, and its nation outside England unless the region says it ("Wales")."""
        region, nation = self.get_region_display(), self.get_nation_display()
        if self.nation == Nation.ENGLAND or nation == region:
            return region
        return f"{region}, {nation}"

    @property
    def is_closed(self) -> bool:
        return self.status == GroupStatus.CLOSED

    def achievements(self):
        return (
            AchievementPage.objects.visible_to_public()
            .child_of(self)
            .order_by("-date_achieved", "-pk")
        )

    def updates(self):
        return GroupUpdatePage.objects.visible_to_public().child_of(self).order_by("-date", "-pk")

    def home_context(self, request) -> dict:
        """What the group's own page lists (its sub-routes, such as the feed, list other things).

        The lists of pages below it are kept for the content generation
        (`kept_for_generation`); the group's own members and constituencies come with the
        page itself."""
        context = dict(self.kept_for_generation(request, "group-lists:v1", self.page_lists))
        # The page's own picture: its renditions in one query (the lists' came with them).
        prefetch_renditions([self])
        for event in context["upcoming_events"]:
            event.organiser = self
        context["member_organisations"] = list(self.member_organisations.all())
        context["covered_constituencies"] = list(
            self.constituencies.order_by("name").only("name", "slug", "current_mp_name")
        )
        context["letter_page"] = (
            request.letter_campaign  # from the site chrome, when it is cached
            if hasattr(request, "letter_campaign")
            else current_letter_campaign()
        )
        return context

    def page_lists(self) -> dict:
        """The newest achievements, updates and upcoming events below the group, with their
        pictures' renditions, and its count of awards."""
        from events.models import EventPage

        context = {}
        # Only what the lists show. The newest achievements, like the newest updates and events:
        # the page's weight stays the same however long a group's record grows.
        achievements = list(
            with_pictures(self.achievements()).only(*CARD_FIELDS, *ACHIEVEMENT_ITEM_FIELDS)[
                : GROUP_PAGE_ACHIEVEMENTS + 1
            ]
        )
        context["achievements"] = achievements[:GROUP_PAGE_ACHIEVEMENTS]
        context["more_achievements"] = len(achievements) > GROUP_PAGE_ACHIEVEMENTS
        context["updates"] = list(
            with_pictures(self.updates()).only(*CARD_FIELDS, *UPDATE_ITEM_FIELDS)[:5]
        )
        # Their organiser is this page (set by `home_context`): no need to join it.
        context["upcoming_events"] = list(
            EventPage.objects.upcoming()
            .select_related(None)
            .select_related("image")
            .filter(organiser=self)
            .only(*CARD_FIELDS, *EVENT_CARD_FIELDS)[:5]
        )
        prefetch_renditions([*achievements, *context["updates"], *context["upcoming_events"]])
        context["awards"] = self.achievements().filter(kind__in=AWARD_KINDS).count()
        return context

    @path("")
    def group_home(self, request):
        context = self.home_context(request)
        context["structured_data"] = self.structured_data(request)
        return self.render(request, context_overrides=context)

    def structured_data(self, request) -> dict:
        """The group as a schema.org Organization, part of the network; only what its page
        shows."""
        picture = shared_picture(request, self.social_image())
        links = [self.website, self.facebook_url, self.instagram_url, self.x_url]
        return organization(
            self.title,
            self.get_full_url(request),
            description=self.introduction,
            image=picture and picture["url"],
            email=self.contact_email,
            areaServed=self.place_label,
            address={
                "@type": "PostalAddress",
                "addressRegion": self.get_region_display(),
                "addressCountry": "GB",
            },
            sameAs=[link for link in links if link],
            parentOrganization=without_context(network_organization(request)),
        )

    @path("achievements/")
    def all_achievements(self, request):
        """Every achievement of this group, newest first, with the network list's filters."""
        from groups.directory import AchievementListing

        return self.render(
            request,
            context_overrides={"listing": AchievementListing(request, group=self)},
            template="groups/achievement_list.html",
        )

    @path("feed/")
    def feed(self, request):
        """Atom feed of this group's updates."""
        from groups.feeds import GroupUpdatesFeed

        return GroupUpdatesFeed()(request, group=self)

    def event_listing(self, request):
        from events.listing import EventListing, GroupEventFilterForm
        from events.models import EventPage

        return EventListing(
            request, EventPage.objects.filter(organiser=self), form_class=GroupEventFilterForm
        )

    @path("events/", name="events")
    def events(self, request):
        """Every event of this group, upcoming first, with the network list's filters."""
        return self.render(
            request,
            context_overrides={"group": self, "listing": self.event_listing(request)},
            template="events/group_events.html",
        )

    @path("events/ical/", name="events_ical")
    def events_ical(self, request):
        """The group's upcoming events as an iCalendar feed."""
        from events.ical import feed_response

        return feed_response(
            request,
            self.event_listing(request).upcoming_for_feed(),
            name=f"{self.title} events",
            filename=f"{self.slug}-events",
        )


class GroupMemberOrganisation(Orderable):
    page = ParentalKey(
        LocalGroupPage, on_delete=models.CASCADE, related_name="member_organisations"
    )
    name = models.CharField(max_length=200)
    website = models.URLField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("website")]

    api_fields = [
        APIField("name"),
        APIField("website"),
    ]

    def __str__(self) -> str:
        return self.name


class GroupUpdatePage(NewsItemPage):
    """Dated news from one group, edited by that group's editors; appears on /news/ as well."""

    api_fields = [
        APIField("date", writable=True),
        APIField("introduction", writable=True),
        APIField("body"),
        APIField("group", serializer=PageLinkField()),
    ]

    parent_page_types = ["groups.LocalGroupPage"]

    class Meta:
        # Group pages and /news/ list updates newest first; the index stops the scan early.
        indexes = [models.Index(fields=["date", "page_ptr"], name="groups_update_date_idx")]

    @cached_property
    def group(self) -> LocalGroupPage:
        return LocalGroupPage.objects.ancestor_of(self).get()


class AchievementKind(models.TextChoices):
    SCHOOL = "school", _("School of Sanctuary award")
    UNIVERSITY = "university", _("University of Sanctuary award")
    COLLEGE = "college", _("College of Sanctuary award")
    LIBRARY = "library", _("Library of Sanctuary award")
    HEALTH = "health", _("Health of Sanctuary award")
    MATERNITY = "maternity", _("Maternity of Sanctuary award")
    ARTS = "arts", _("Arts of Sanctuary award")
    SPORT = "sport", _("Sport of Sanctuary award")
    FAITH = "faith", _("Faith of Sanctuary award")
    COUNCIL = "council", _("Council resolution or pledge")
    # A name pages use too: its context tells tests/welsh_text.py not to look for it.
    REFUGEE_WEEK = "refugee-week", pgettext_lazy("name", "Refugee Week")
    OTHER = "other", _("Other")


# What an award's count counts when its editor gave no label ("15 schools").
COUNT_NOUNS = {
    AchievementKind.SCHOOL: ("school", "schools"),
    AchievementKind.UNIVERSITY: ("university", "universities"),
    AchievementKind.COLLEGE: ("college", "colleges"),
    AchievementKind.LIBRARY: ("library", "libraries"),
    AchievementKind.HEALTH: ("health service", "health services"),
    AchievementKind.MATERNITY: ("maternity service", "maternity services"),
    AchievementKind.ARTS: ("arts organisation", "arts organisations"),
    AchievementKind.SPORT: ("sports club", "sports clubs"),
    AchievementKind.FAITH: ("faith group", "faith groups"),
}

# The awards of sanctuary (what the home page counts as awards): the kinds a count names.
AWARD_KINDS = tuple(COUNT_NOUNS)


class AchievementPage(PicturedPage):
    """Something a group achieved (an award, a council pledge...), edited by the group's editors."""

    api_fields = [
        APIField("kind"),
        APIField("date_achieved"),
        APIField("summary"),
        APIField("count"),
        APIField("count_label"),
        APIField("expires_on"),
        APIField("feature_in_letters"),
        APIField("body"),
        APIField("group", serializer=PageLinkField()),
    ]

    kind = models.CharField(max_length=20, choices=AchievementKind.choices)
    date_achieved = models.DateField()
    summary = models.TextField(
        max_length=600,
        help_text="One or two sentences; used in listings and, if featured, in letters to MPs.",
    )
    count = models.PositiveIntegerField(
        null=True, blank=True, help_text="Where a number fits, e.g. 15 for '15 schools'."
    )
    count_label = models.CharField(
        max_length=60,
        blank=True,
        help_text="e.g. 'schools'. Left empty, an award's count names what it counts "
        "('15 schools'); other achievements show no bare number.",
    )
    expires_on = models.DateField(
        null=True, blank=True, help_text="Awards of sanctuary usually last three years."
    )
    feature_in_letters = models.BooleanField(
        default=False, help_text="List this achievement in letters to the group's MPs."
    )
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date_achieved")]),
        FieldPanel("summary"),
        PicturedPage.picture_panel,
        FieldRowPanel([FieldPanel("count"), FieldPanel("count_label")]),
        FieldPanel("expires_on"),
        FieldPanel("feature_in_letters"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.FilterField("kind"),
    ]
    parent_page_types = ["groups.LocalGroupPage"]
    subpage_types: list[str] = []

    class Meta:
        # The home page, group pages and the achievements list show the newest first.
        indexes = [
            models.Index(fields=["date_achieved", "page_ptr"], name="groups_achievement_date_idx")
        ]

    def get_kind_display(self) -> str:
        return choice_label(AchievementKind, self.kind)

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def count_text(self) -> str:
        """ "15 schools": the editor's label, or else the award's own noun; never a bare number,
        which says nothing ("1")."""
        if self.count is None:
            return ""
        if self.count_label.strip():
            return f"{self.count} {self.count_label.strip()}"
        if self.kind in COUNT_NOUNS:
            singular, plural = COUNT_NOUNS[self.kind]
            return f"{self.count} {ngettext(singular, plural, self.count)}"
        return ""

    @cached_property
    def group(self) -> LocalGroupPage:
        return LocalGroupPage.objects.ancestor_of(self).get()


class GroupEditorAccess(models.Model):
    """What creating a group provisioned: its editors' Wagtail group and its media collection.

    Kept outside the page so that page revisions never carry (or roll back) access rights.
    """

    shown_to_visitors = (
        False  # no public answer reads it: saving one never purges (core/signals.py)
    )

    group_page = models.OneToOneField(
        LocalGroupPage, on_delete=models.CASCADE, related_name="editor_access"
    )
    editors = models.OneToOneField("auth.Group", on_delete=models.PROTECT, related_name="+")
    collection = models.OneToOneField(
        "wagtailcore.Collection", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name_plural = "group editor access"

    def __str__(self) -> str:
        return f"Access for {self.group_page.title}"
