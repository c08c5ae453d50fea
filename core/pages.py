"""The base of every page type, and the shapes several page types share.

A page type subclasses `SanctuaryPage` and nothing else (plus Wagtail's `RoutablePageMixin`
when it has sub-URLs, and `core.restricted_fields.RestrictedFieldsMixin` when some of its
fields are behind a permission). The base carries what each page would otherwise have to
remember: the manager whose `public()` and `visible_to_public()` check view restrictions in
the query itself, view restrictions found in one query before a page is served, and the rule
that a page may not take a slug its parent's own routes answer.

A child's slug that is the first segment of one of its parent's routes (a group's
`events/`, `events/ical/`, `achievements/` and `feed/`, the events index's `ical/`) would give
the child an address the parent answers first: published, and never shown. The rule is read
from the parent's routes (`RoutablePageMixin.get_subpage_urls()`), so a route added later
reserves its slug with nothing else to change. It is checked by the page form when a page is
created (the admin and the API build the same form, which knows the parent before the page
is in the tree) and by `clean()` whenever a page in the tree is saved.
"""

import html
import re
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.urls import Resolver404, URLPattern
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from core.blocks import BodyBlock
from core.cache import for_this_generation
from core.query import SanctuaryPageManager, ViewRestrictionsInOneQuery, active_content_language
from core.restricted_fields import WithholdRestrictedFields
from core.routing import TreeRouting
from core.site_address import request_in_progress

# The longest meta description search engines show in full.
DESCRIPTION_LENGTH = 300

# A route's first segment that is a fixed word (not a parameter or a pattern).
LITERAL_SEGMENT = re.compile(r"[-\w.~]+")


def first_segment(pattern: URLPattern) -> str:
    """The first segment of a route as written (`events` for `events/ical/`; '' for `''`)."""
    return str(pattern.pattern).removeprefix("^").split("/", 1)[0]


def route_taking_slug(parent: Page | None, slug: str) -> str | None:
    """The route of `parent` that answers at a child slugged `slug`, if any.

    A route whose first segment is the slug, or one that answers the child's whole address
    itself (a route starting with a parameter, such as a letter's `<constituency>/`).
    """
    parent_class = parent.specific_class if parent is not None else None
    if not slug or parent_class is None or not issubclass(parent_class, RoutablePageMixin):
        return None
    for pattern in parent_class.get_subpage_urls():
        segment = first_segment(pattern)
        if segment == slug and LITERAL_SEGMENT.fullmatch(segment):
            return str(pattern.pattern)
    try:
        match = parent_class.get_resolver().resolve(f"/{slug}/")
    except Resolver404:
        return None
    return match.route.removeprefix("^/")


def slug_taken_message(slug: str, route: str) -> str:
    return (
        f"The slug “{slug}” is taken by the page above’s own address “{route}”: a page with it "
        "would be published but never shown. Choose another slug."
    )


T = TypeVar("T")


class SanctuaryPageForm(WithholdRestrictedFields, WagtailAdminPageForm):
    """The admin's (and the API's) form for every page: a new page's slug is checked against
    the routes of the parent it is being added to, before it is in the tree."""

    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("slug")
        # A page in the tree is checked by its model's clean(), which finds its parent.
        if slug and not self.instance.path and self.parent_page is not None:
            route = route_taking_slug(self.parent_page, slug)
            if route is not None:
                self.add_error("slug", slug_taken_message(slug, route))
        return cleaned_data


class SanctuaryPage(TreeRouting, ViewRestrictionsInOneQuery, Page):
    """The base of every page type on the site; see the module docstring."""

    objects = SanctuaryPageManager()

    base_form_class = SanctuaryPageForm

    class Meta:
        abstract = True

    # OpenGraph's og:type; dated news says "article".
    opengraph_type = "website"
    # The fields whose text describes the page when an editor wrote no search description,
    # in order of preference (plain or rich text).
    description_fields: tuple[str, ...] = ("introduction", "summary", "strapline")

    def clean(self):
        super().clean()
        if self.path:
            route = route_taking_slug(self.get_parent(), self.slug)
            if route is not None:
                raise ValidationError({"slug": slug_taken_message(self.slug, route)})

    def social_image(self):
        """The page's picture for sharing (OpenGraph, JSON-LD), or None."""
        return None

    def kept_for_generation(self, request: HttpRequest, name: str, build: Callable[[], T]) -> T:
        """What the page shows of the pages around it (`build`), read once per content
        generation for this page in the request's language: only a publish or a scheduled
        change (an event's end, a campaign's close) changes it. A preview builds it afresh: the
        draft's own related rows (inline panels) may differ from the live page's."""
        if getattr(request, "is_preview", False):
            return build()
        return for_this_generation(f"{name}:{self.pk}:{active_content_language()}", build)

    def share_description(self) -> str:
        """What search engines and shared links say of the page: the editor's search
        description, else its introduction or summary, as one line of plain text ('' when it
        has none, and the network's description is used)."""
        for text in (
            self.search_description,
            *(getattr(self, f, "") for f in self.description_fields),
        ):
            words = html.unescape(strip_tags(str(text or ""))).split()
            if words:
                return Truncator(" ".join(words)).chars(DESCRIPTION_LENGTH)
        return ""

    def get_url_parts(self, request=None):
        """Wagtail's, with the address of the request's own host where there is a request on
        the page's site: the Site record's hostname is what emails and the worker use, but a
        visitor (or an API client) at http://127.0.0.1:8000 is given links there. Only hosts
        in ALLOWED_HOSTS reach a view, and the page cache keys every answer by its host."""
        if not isinstance(request, HttpRequest):
            request = request_in_progress()  # an API field's link, say: still this host
        parts = super().get_url_parts(request=request)
        if parts is None or parts[1] is None or request is None:
            return parts
        site_id, _root_url, page_path = parts
        site = Site.find_for_request(request)
        if site is None or site.pk != site_id:
            return parts
        return site_id, f"{request.scheme}://{request.get_host()}", page_path


class PicturedPage(SanctuaryPage):
    """A page with one optional picture: a group, an achievement, news, an event.

    A foreign key, not a StreamField image, so that listings fetch every card's picture and its
    renditions in a fixed number of queries (core/pictures.py). Its alt text follows the rule of
    Wagtail's own `ImageBlock`: alt text written for this page (what the picture says here),
    required unless the editor ticks "decorative", when the alt is empty and screen readers
    skip it. The image library's own description is not used: the same picture can say
    different things on different pages.
    """

    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("picture"),
    )
    image_alt = models.CharField(
        _("alt text"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the picture shows that matters here, for people who cannot see it "
            "(e.g. 'Volunteers serving food at the Refugee Week picnic')."
        ),
    )
    image_decorative = models.BooleanField(
        _("the picture is decorative"),
        default=False,
        help_text=_("Tick only when the picture adds nothing to the text: its alt text is empty."),
    )

    picture_panel = MultiFieldPanel(
        [FieldPanel("image"), FieldPanel("image_alt"), FieldPanel("image_decorative")],
        heading=_("Picture"),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.image_id is not None and not self.image_decorative and not self.image_alt.strip():
            raise ValidationError(
                {
                    "image_alt": _(
                        "Describe the picture for people who cannot see it, or tick "
                        "“the picture is decorative”."
                    )
                }
            )

    @property
    def picture_alt(self) -> str:
        """The alt text the picture is shown with: empty for a decorative one."""
        return "" if self.image_decorative else self.image_alt.strip()

    def social_image(self):
        """The page's picture for sharing (OpenGraph, JSON-LD), or None."""
        return self.image


class SectionIndexPage(SanctuaryPage):
    """A section's front page under the home page (/groups/, /events/, /news/, /letters/):
    a title and an introduction above what the section lists. One per site, edited by
    national staff."""

    api_fields = [
        APIField("introduction"),
    ]

    introduction = models.TextField(blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    max_count = 1

    class Meta:
        abstract = True


class NewsItemPage(PicturedPage):
    """A dated piece of news: national news (network.NewsPage) or a group's update
    (groups.GroupUpdatePage). Both are listed together on /news/, newest first."""

    opengraph_type = "article"

    date = models.DateField(default=timezone.localdate)
    introduction = models.TextField(blank=True, max_length=600)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("introduction"),
        PicturedPage.picture_panel,
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    subpage_types: list[str] = []

    class Meta:
        abstract = True
