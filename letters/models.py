"""Constituencies with their MPs, and the letter templates national staff write for them."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Min, Q, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, PageManager
from wagtail.search import index

from core.api_fields import PageLinkField
from core.choices import Nation, Region
from core.pages import SanctuaryPage, SectionIndexPage
from core.query import SanctuaryPageQuerySet, visible_in_every_language
from core.security import is_post, is_search, rate_limited
from core.signals import PurgingQuerySet
from letters.blocks import LetterBodyBlock
from letters.placeholders import validate_placeholders


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

    # Imported and synced with update() and bulk writes, which purge the page cache too.
    objects = PurgingQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "constituencies"

    def __str__(self) -> str:
        return self.name

    @property
    def is_vacant(self) -> bool:
        return not self.current_mp_name


class Postcode(models.Model):
    """A postcode from the ONS Postcode Directory (`manage.py import_postcodes`).

    Lookups answer from this table first and ask postcodes.io only for postcodes it does not
    hold (letters/postcodes.py). The importer writes with SQL and purges the page cache itself.
    """

    postcode = models.CharField(max_length=8, primary_key=True, help_text='"SO14 0AA"')
    gss_code = models.CharField(
        "constituency GSS code",
        max_length=9,
        blank=True,
        help_text="2024 Westminster constituency, or an ONS pseudo-code such as L99999999",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    introduced = models.DateField(null=True, blank=True)
    terminated = models.DateField(null=True, blank=True)

    # Any bulk write through the ORM purges the page cache too (the importer's SQL does so itself).
    objects = PurgingQuerySet.as_manager()

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode


class LetterIndexPage(SectionIndexPage):
    """/letters/: the current letter campaigns. One per site, edited by national staff."""

    # Longer than the other sections' (500): the limit editors have always had here.
    introduction = models.TextField(blank=True, max_length=600)

    parent_page_types = ["network.HomePage"]
    subpage_types = ["letters.LetterPage"]

    def get_context(self, request, *args, **kwargs):
        """The open campaigns, then the closed ones with the day they closed (one query);
        letters whose campaign has not opened yet are not listed."""
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        letters = list(
            LetterPage.objects.child_of(self)
            .visible_to_public()
            .with_campaign_dates()
            .order_by("-first_published_at", "-pk")
            .only("title", "url_path", "path", "depth", "introduction", "event_id")
        )
        context["closed_letters"] = [
            letter
            for letter in letters
            if letter.campaign_closes_at is not None and letter.campaign_closes_at <= now
        ]
        context["current_letters"] = [
            letter
            for letter in letters
            if letter not in context["closed_letters"]
            and (letter.campaign_opens_at is None or letter.campaign_opens_at <= now)
        ]
        return context


class LetterKind(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    FOLLOW_UP_ATTENDED = "follow-up-attended", "Follow-up after attending"
    FOLLOW_UP_NOT_ATTENDED = "follow-up-not-attended", "Follow-up after not attending"


# A campaign's dates when staff leave them blank (see LetterPage.opens_at / closes_at): an
# invitation runs from its publication until its event ends; a follow-up letter runs from the
# end of its event until staff close it. A letter with no event runs until staff close it.
DEFAULT_OPENS = Case(
    When(~Q(kind=LetterKind.INVITATION), then=F("event__end")),
    default=None,
    output_field=models.DateTimeField(),
)
DEFAULT_CLOSES = Case(
    When(kind=LetterKind.INVITATION, then=F("event__end")),
    default=None,
    output_field=models.DateTimeField(),
)


class LetterPageQuerySet(SanctuaryPageQuerySet):
    def with_campaign_dates(self) -> "LetterPageQuerySet":
        """Annotate `campaign_opens_at` and `campaign_closes_at`: the dates set, or their defaults."""
        return self.annotate(
            campaign_opens_at=Coalesce("opens_at", DEFAULT_OPENS),
            campaign_closes_at=Coalesce("closes_at", DEFAULT_CLOSES),
        )

    def open_campaigns(self, now: datetime.datetime | None = None) -> "LetterPageQuerySet":
        """Letters whose campaign runs now: opened (or no date) and not yet closed."""
        now = now or timezone.now()
        return (
            self.with_campaign_dates()
            .filter(Q(campaign_opens_at__isnull=True) | Q(campaign_opens_at__lte=now))
            .filter(Q(campaign_closes_at__isnull=True) | Q(campaign_closes_at__gt=now))
        )

    def closed_campaigns(self, now: datetime.datetime | None = None) -> "LetterPageQuerySet":
        return self.with_campaign_dates().filter(campaign_closes_at__lte=now or timezone.now())


def next_campaign_change() -> datetime.datetime | None:
    """When the next live letter campaign opens or closes by the clock, with no one
    publishing: the page cache then starts a new content generation (core.cache
    SCHEDULED_CHANGES), so no page offers a closed invitation as current."""
    now = timezone.now()
    found = (
        LetterPage.objects.live()
        .with_campaign_dates()
        .aggregate(
            opens=Min("campaign_opens_at", filter=Q(campaign_opens_at__gt=now)),
            closes=Min("campaign_closes_at", filter=Q(campaign_closes_at__gt=now)),
        )
    )
    moments = [moment for moment in found.values() if moment is not None]
    return min(moments) if moments else None


class LetterPage(RoutablePageMixin, SanctuaryPage):
    """A letter template for a campaign (/letters/<letter>/), written by national staff.

    The public finds their MP here and previews or downloads the letter filled in for their
    constituency at <letter>/<constituency-slug>/ and .../docx/, .../pdf/, .../txt/.
    """

    api_fields = [
        APIField("event", serializer=PageLinkField()),
        APIField("kind"),
        APIField("introduction"),
        APIField("national_paragraph"),
        APIField("body"),
    ]

    event = models.ForeignKey(
        "events.EventPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="letters"
    )
    kind = models.CharField(
        max_length=30,
        choices=LetterKind.choices,
        default=LetterKind.INVITATION,
        help_text=(
            "A follow-up letter needs its event: each visitor then gets the follow-up their "
            "MP's latest recorded answer calls for (thanks where the MP attended, the other "
            "follow-up where not), and {mp_answer} says what the MP answered."
        ),
    )
    introduction = models.TextField(
        blank=True, max_length=1000, help_text="Shown on the public page."
    )
    national_paragraph = models.TextField(
        blank=True,
        max_length=3000,
        validators=[validate_placeholders],
        help_text=(
            "Used instead of a group's paragraph where no group covers the constituency. "
            "Placeholders such as {constituency} are filled in (in follow-up letters "
            "{mp_answer} too); blank lines separate paragraphs."
        ),
    )
    body = StreamField(LetterBodyBlock(), blank=True)
    opens_at = models.DateTimeField(
        "campaign opens",
        null=True,
        blank=True,
        help_text="Blank: an invitation opens when published, a follow-up when its event ends.",
    )
    closes_at = models.DateTimeField(
        "campaign closes",
        null=True,
        blank=True,
        help_text=(
            "Blank: an invitation closes when its event ends; a follow-up letter, or a letter "
            "with no event, stays open until a date is set here. After it closes, the letter is "
            "no longer offered as current and visitors' email addresses for it are deleted."
        ),
    )

    objects = PageManager.from_queryset(LetterPageQuerySet)()

    CAMPAIGN_DATES = ("opens_at", "closes_at")

    def save(self, *args, **kwargs):
        """A campaign's dates are its English letter's: saving them there (a publish, or a
        save naming them) gives them to its translations at once, so a Welsh copy opens and
        closes with it whether or not its translation has been synced."""
        result = super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        dates_saved = update_fields is None or set(self.CAMPAIGN_DATES) & set(update_fields)
        if dates_saved and self.locale_id == Locale.get_default().pk:
            LetterPage.objects.filter(translation_key=self.translation_key).exclude(
                pk=self.pk
            ).update(opens_at=self.opens_at, closes_at=self.closes_at)
        return result

    content_panels = [
        *Page.content_panels,
        FieldPanel("event"),
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")])],
            heading="Campaign dates",
        ),
        FieldPanel("introduction"),
        FieldPanel("national_paragraph"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["letters.LetterIndexPage"]
    subpage_types: list[str] = []

    @property
    def campaign_opens(self) -> datetime.datetime | None:
        if self.opens_at is not None or self.kind == LetterKind.INVITATION:
            return self.opens_at
        return self.event.end if self.event is not None else None

    @property
    def campaign_closes(self) -> datetime.datetime | None:
        if self.closes_at is not None or self.kind != LetterKind.INVITATION:
            return self.closes_at
        return self.event.end if self.event is not None else None

    @property
    def is_invitation(self) -> bool:
        """Only an invitation is counted as sent and takes email addresses: its emails ask
        whether the MP will attend, and its counter says who has invited their MP."""
        return self.kind == LetterKind.INVITATION

    @property
    def is_closed(self) -> bool:
        closes = self.campaign_closes
        return closes is not None and closes <= timezone.now()

    @property
    def is_open(self) -> bool:
        opens = self.campaign_opens
        return not self.is_closed and (opens is None or opens <= timezone.now())

    def follow_up_letters(self) -> list["LetterPage"]:
        """The open follow-up letters of this letter's event, which a closed invitation
        points to: in the letter's own language, whatever the request's (an English letter
        shown at /cy/ still points to its follow-ups)."""
        if self.event_id is None:
            return []
        return list(
            visible_in_every_language(LetterPage.objects.all())
            .open_campaigns()
            .filter(event_id=self.event_id, locale_id=self.locale_id)
            .exclude(kind=LetterKind.INVITATION)
            .order_by("title")
            .only("title", "url_path", "path", "depth", "kind")
        )

    @path("", name="find_your_mp")
    @rate_limited("postcode-lookup", when=is_search)
    def find_your_mp(self, request: HttpRequest) -> HttpResponse:
        from letters.letter_views import find_your_mp_view

        return find_your_mp_view(request, self)

    @path("<slug:constituency_slug>/", name="preview")
    def preview(self, request: HttpRequest, constituency_slug: str) -> HttpResponse:
        from letters.letter_views import letter_preview_view

        return letter_preview_view(request, self, constituency_slug)

    @path("<slug:constituency_slug>/personalise/", name="personalise")
    def personalise(self, request: HttpRequest, constituency_slug: str) -> HttpResponse:
        from letters.letter_views import letter_personalise_view

        return letter_personalise_view(request, self, constituency_slug)

    @path("<slug:constituency_slug>/sent/", name="sent")
    @method_decorator(require_http_methods(["GET", "HEAD", "POST"]))
    @rate_limited("invitation-sent", when=is_post)
    def sent(self, request: HttpRequest, constituency_slug: str) -> HttpResponse:
        from letters.letter_views import invitation_sent_view

        return invitation_sent_view(request, self, constituency_slug)

    @path("<slug:constituency_slug>/email/", name="email_signup")
    @method_decorator(require_http_methods(["GET", "HEAD", "POST"]))
    @rate_limited("email-signup", when=is_post)
    def email_signup(self, request: HttpRequest, constituency_slug: str) -> HttpResponse:
        from letters.letter_views import email_signup_view

        return email_signup_view(request, self, constituency_slug)

    @re_path(r"^(?P<constituency_slug>[-a-z0-9]+)/(?P<format_name>docx|pdf|txt)/$", name="download")
    @rate_limited("letter-download")
    def download(
        self, request: HttpRequest, constituency_slug: str, format_name: str
    ) -> HttpResponse:
        from letters.letter_views import letter_download_view

        return letter_download_view(request, self, constituency_slug, format_name)


class DownloadFormat(models.TextChoices):
    DOCX = "docx", _("Word")
    PDF = "pdf", "PDF"
    TXT = "txt", _("Plain text")


class LetterDownload(models.Model):
    """How many times a letter was downloaded per constituency, format and day. Counts only:
    nothing about who downloaded it, or what they typed, is kept."""

    shown_to_visitors = (
        False  # no public answer reads it: saving one never purges (core/signals.py)
    )

    letter = models.ForeignKey(LetterPage, on_delete=models.CASCADE, related_name="downloads")
    constituency = models.ForeignKey(
        Constituency, on_delete=models.CASCADE, related_name="letter_downloads"
    )
    format = models.CharField(max_length=4, choices=DownloadFormat.choices)
    date = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "constituency", "format", "date"],
                name="letters_download_one_row_per_day",
            )
        ]
        permissions = [
            ("view_letter_reports", "Can see letter download reports and export all letters"),
        ]

    def __str__(self) -> str:
        return f"{self.letter_id} {self.constituency_id} {self.format} {self.date}: {self.count}"


class InvitationSent(models.Model):
    """How many visitors said they sent a letter, per letter (the campaign), constituency and
    day: the same counting as LetterDownload, and nothing about the visitor. A browser is
    counted once per constituency and letter through a signed cookie it keeps itself
    (letters/invitations.py), never through anything stored here."""

    # The public counter reads it, yet a click must not purge the whole site's page cache:
    # the pages that show it are kept 30 s at most instead (letters/invitations.py).
    shown_to_visitors = False

    letter = models.ForeignKey(LetterPage, on_delete=models.CASCADE, related_name="invitations")
    constituency = models.ForeignKey(
        Constituency, on_delete=models.CASCADE, related_name="invitations_sent"
    )
    date = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "invitations sent"
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "constituency", "date"],
                name="letters_invitation_one_row_per_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.letter_id} {self.constituency_id} {self.date}: {self.count}"


class MPAnswer(models.Model):
    """What an MP answered to a letter campaign, as national staff or the covering group's
    editors heard it: replied, will attend, declined, attended. Each answer is kept (the
    latest by date counts), with who recorded it and when.

    Visitors see them through the follow-up letters (which one a constituency gets, and its
    {mp_answer} wording), so recording one starts a new content generation; staff record
    them now and then, never on a visitor's click. Bulk imports purge once (PurgingQuerySet).
    """

    class Answer(models.TextChoices):
        REPLIED = "replied", "Replied"
        WILL_ATTEND = "will-attend", "Will attend"
        DECLINED = "declined", "Declined"
        ATTENDED = "attended", "Attended"

    letter = models.ForeignKey(
        LetterPage,
        verbose_name="campaign letter",
        on_delete=models.CASCADE,
        related_name="mp_answers",
    )
    constituency = models.ForeignKey(
        Constituency, on_delete=models.CASCADE, related_name="mp_answers"
    )
    answer = models.CharField(max_length=20, choices=Answer.choices)
    date = models.DateField(help_text="When the MP answered, or the day of the event attended.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = PurgingQuerySet.as_manager()

    class Meta:
        verbose_name = "MP's answer"
        verbose_name_plural = "MPs' answers"
        ordering = ["-date", "-recorded_at"]
        indexes = [models.Index(fields=["letter", "constituency", "-date"])]

    def __str__(self) -> str:
        return f"{self.constituency}: {self.get_answer_display()} ({self.date:%d %B %Y})"


class LetterExport(models.Model):
    """Every constituency's Word letter for one letter page as a ZIP, built by the background
    worker (letters/export.py) at a national staff member's request from the letter downloads
    report. The file sits in default storage under exports/, which the site never serves
    (only /media/images/ and /media/original_images/ are): the admin's download view reads it.
    """

    shown_to_visitors = (
        False  # no public answer reads it: saving one never purges (core/signals.py)
    )

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Writing letters"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    letter = models.ForeignKey(LetterPage, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField("letters written", default=0)
    total = models.PositiveIntegerField("letters to write", default=0)
    file = models.FileField(upload_to="exports/letters/", blank=True)
    size = models.PositiveBigIntegerField("file size in bytes", default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Moves with every progress step: a running export that stops moving was abandoned.
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Asking again while one is on its way shows that one instead of queueing another.
            models.UniqueConstraint(
                fields=["letter"],
                condition=models.Q(status__in=["queued", "running"]),
                name="letters_export_one_active_per_letter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.letter_id} ZIP {self.pk}: {self.status} {self.done}/{self.total}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class EmailSignup(models.Model):
    """A visitor's email address, given with consent on the "I've sent it" page, for one
    reminder and one question about one campaign (letters/reminders.py). Only the address,
    the letter, the constituency, the language of the page it was given on (the emails are
    written in it) and when: deleted when the visitor withdraws or the campaign closes, and
    never shown to anyone (no admin, export or API lists it)."""

    shown_to_visitors = False

    letter = models.ForeignKey(LetterPage, on_delete=models.CASCADE, related_name="+")
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(max_length=254)
    # A language code of settings.LANGUAGES ("en-gb", "cy").
    language = models.CharField(max_length=10, default="en-gb")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Sign-up {self.pk} ({self.letter_id}, {self.constituency_id})"  # no address


class VisitorAnswer(models.Model):
    """What a visitor reported about their MP through the signed links of the question email:
    kept apart from what staff recorded (MPAnswer), and without the visitor's address. The
    link to the sign-up lets a visitor change their answer until the address is deleted."""

    shown_to_visitors = False

    class Answer(models.TextChoices):
        REPLIED = "replied", _("My MP replied")
        WILL_ATTEND = "will-attend", _("My MP will attend")
        DECLINED = "declined", _("My MP declined")
        NO_REPLY = "no-reply", _("No reply yet")

    letter = models.ForeignKey(LetterPage, on_delete=models.CASCADE, related_name="visitor_answers")
    constituency = models.ForeignKey(
        Constituency, on_delete=models.CASCADE, related_name="visitor_answers"
    )
    answer = models.CharField(max_length=20, choices=Answer.choices)
    answered_at = models.DateTimeField(auto_now=True)
    signup = models.OneToOneField(
        EmailSignup, null=True, blank=True, on_delete=models.SET_NULL, related_name="answer"
    )

    class Meta:
        verbose_name = "visitor-reported answer"

    def __str__(self) -> str:
        return f"{self.constituency_id}: {self.get_answer_display()}"


class CampaignEmail(models.Model):
    """One reminder or question email and how its delivery went, for staff (counts and
    reasons in the admin). It never holds the address: that stays on the sign-up, and a
    failure's reason is stored with any address in it masked."""

    shown_to_visitors = False

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Reminder"
        QUESTION = "question", "Question: did your MP reply?"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to be sent"
        RETRYING = "retrying", "Temporary failure, will retry"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Not sent: address withdrawn or campaign closed"

    letter = models.ForeignKey(LetterPage, on_delete=models.CASCADE, related_name="campaign_emails")
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="+")
    signup = models.ForeignKey(
        EmailSignup, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    attempts = models.PositiveSmallIntegerField(default=0)
    reason = models.CharField("last failure", max_length=300, blank=True)
    send_after = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}: {self.get_status_display()}"
