"""Constituencies with their MPs, and the letter templates national staff write for them."""

from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from groups.models import Nation, Region


class Constituency(models.Model):
    """A Westminster constituency (2024 boundaries) and its current MP, imported and synced."""

    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    region = models.CharField(max_length=30, choices=Region.choices)
    current_mp_name = models.CharField("MP name", max_length=200, blank=True)
    current_mp_full_title = models.CharField("MP full title", max_length=250, blank=True)
    current_mp_party = models.CharField("MP party", max_length=100, blank=True)
    current_mp_member_id = models.PositiveIntegerField(
        "Members API id", null=True, blank=True, unique=True
    )
    current_mp_email = models.EmailField("MP email", blank=True)
    mp_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "constituencies"

    def __str__(self) -> str:
        return self.name

    @property
    def is_vacant(self) -> bool:
        return not self.current_mp_name


class LetterIndexPage(Page):
    """/letters/: the current letter campaigns. One per site, edited by national staff."""

    introduction = models.TextField(blank=True, max_length=600)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["network.HomePage"]
    subpage_types = ["letters.LetterPage"]
    max_count = 1


class LetterKind(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    FOLLOW_UP_ATTENDED = "follow-up-attended", "Follow-up after attending"
    FOLLOW_UP_NOT_ATTENDED = "follow-up-not-attended", "Follow-up after not attending"


class LetterBodyBlock(blocks.StreamBlock):
    paragraph = blocks.TextBlock(
        help_text="Plain text; placeholders such as {mp_name} are filled in."
    )
    group_paragraph = blocks.StaticBlock(
        admin_text="The covering group's paragraph (or the national one)."
    )
    group_achievements = blocks.StructBlock(
        [("lead_in", blocks.CharBlock(required=False, max_length=300))],
        icon="list-ul",
        help_text="The group's featured achievements as a bulleted list.",
    )
    event_details = blocks.StaticBlock(admin_text="The event's title, date, time and venue.")
    sign_off = blocks.StructBlock(
        [
            ("closing", blocks.CharBlock(default="Yours sincerely", max_length=100)),
            ("sender_name", blocks.CharBlock(required=False, max_length=200)),
            ("sender_address", blocks.TextBlock(required=False, max_length=500)),
        ],
        icon="edit",
    )


class LetterPage(Page):
    """A letter template for a campaign, written by national staff, filled in per constituency."""

    event = models.ForeignKey(
        "events.EventPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="letters"
    )
    kind = models.CharField(
        max_length=30, choices=LetterKind.choices, default=LetterKind.INVITATION
    )
    introduction = models.TextField(
        blank=True, max_length=1000, help_text="Shown on the public page."
    )
    national_paragraph = models.TextField(
        blank=True,
        max_length=3000,
        help_text="Used instead of a group's paragraph where no group covers the constituency.",
    )
    body = StreamField(LetterBodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("event"),
        FieldPanel("kind"),
        FieldPanel("introduction"),
        FieldPanel("national_paragraph"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["letters.LetterIndexPage"]
    subpage_types: list[str] = []
