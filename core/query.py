"""What the public may see, as a filter any page queryset can take.

What the public may see in any list built from several pages (letters, cards, the directory,
feeds, calendars, the sitemap, search, the API) is `visible_to_public()`: live, not private,
and under no unpublished page. Wagtail unpublishes a page's children only when asked, so a
group page unpublished on its own leaves its achievements, updates and events live beneath it.

The sections to hide (pages with a view restriction, unpublished pages with children) are a
handful; they are found once per request, or once per content generation on a page-cache
miss (a restriction, a publish or an unpublish starts a new one), and excluded by path. Path
prefixes are cheap for the database and for the ORM to build, and search backends can filter
on them too, so site search uses the same rule. Wagtail's own `public()` is left as it is:
the project's listings do not call it.
"""

from functools import reduce
from operator import or_

from django.db.models import BooleanField, Exists, Expression, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

from core.cache import for_this_request
from core.pictures import PICTURE_FIELDS

# The fields a card or list item of a page reads (for `.only()`): its title and what its link is
# built from, then what each kind of item shows. Page rows are wide, and bodies are JSON to parse.
# Groups, achievements, updates and events have a picture (core/pictures.py).
CARD_FIELDS = ("title", "url_path", "path", "depth")
ACHIEVEMENT_ITEM_FIELDS = (
    *PICTURE_FIELDS,
    *("kind", "date_achieved", "summary", "count", "count_label", "expires_on"),
)
UPDATE_ITEM_FIELDS = (*PICTURE_FIELDS, "date", "introduction")
EVENT_CARD_FIELDS = (*PICTURE_FIELDS, "start", "end", "venue_name", "organiser")
GROUP_CARD_FIELDS = (
    *CARD_FIELDS,
    *PICTURE_FIELDS,
    "kind",
    "nation",
    "region",
    "status",
    "introduction",
)


def unpublished_ancestor_q() -> Q:
    """An unpublished page above this one: a shorter path that is a prefix of ours.

    Only unpublished pages with children can be one: a handful, so the database checks each
    row against a short list, as it does for the restrictions.
    """
    ancestors = Page.objects.filter(
        live=False,
        numchild__gt=0,
        depth__lt=OuterRef("depth"),
        path=Substr(OuterRef("path"), 1, Length("path")),
    )
    return Q(Exists(ancestors))


class SanctuaryPageQuerySet(PageQuerySet):
    def visible_to_public(self):
        """Live, not private, and under no unpublished page: what anyone may see listed."""
        return visible_to_public(self)

    def visible_to_public_for_search(self):
        """The same, for a queryset to be searched (site search)."""
        return visible_to_public_for_search(self)

    def child_of_q(self, other: Page) -> Q:
        # Wagtail's says "below `other`, at or deeper than it, not it, one level deeper"; the
        # first and last imply the rest. Every listing of a page's children builds this.
        return Q(path__startswith=other.path, depth=other.depth + 1)


SanctuaryPageManager = PageManager.from_queryset(SanctuaryPageQuerySet)


class ViewRestrictionsInOneQuery:
    """For every page model: the restrictions that apply to a page, found in one query.

    Wagtail's `get_view_restrictions` (which its `before_serve_page` hook calls on every page
    served) first loads the page's ancestors to see which are aliases, then the restrictions.
    The ancestors' paths follow from the page's own path, so one query finds the restrictions
    on the page, on an ancestor, or on the source of either when it is an alias: the same set.
    """

    def get_view_restrictions(self):
        paths = [self.path[:end] for end in range(Page.steplen, len(self.path) + 1, Page.steplen)]
        return PageViewRestriction.objects.filter(
            # An alias has no restrictions of its own (Wagtail copies its source's, and ignores
            # them): its source's apply.
            Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__aliases__path__in=paths)
        ).distinct()


def active_content_language() -> str:
    """The content language (a Locale's code) of the language the request is in: "cy" at /cy/."""
    return get_supported_content_language_variant(get_language())


def visible_in_every_language(pages: PageQuerySet) -> PageQuerySet:
    """`visible_to_public()` in English and Welsh alike (the sitemap lists both)."""
    return pages.filter(OutsideHiddenSections(), live=True)


def visible_to_public(pages: PageQuerySet) -> PageQuerySet:
    """Any page queryset (Wagtail's own too), narrowed to what the public may see: live, and
    outside every hidden section, in the language the request is in (each language has its
    own tree: a Welsh list shows the Welsh pages). No query of its own until the queryset runs."""
    return pages.filter(
        OutsideHiddenSections(), live=True, locale__language_code=active_content_language()
    )


def visible_to_public_for_search(pages: PageQuerySet) -> PageQuerySet:
    """The same rule for a queryset to be searched, read now: search backends filter only on
    indexed fields (the path and the locale are), never on an expression or a join."""
    visible = pages.filter(live=True, locale_id=active_locale_id())
    hidden = hidden_sections()
    return (
        visible.exclude(reduce(or_, (Q(path__startswith=p) for p in hidden))) if hidden else visible
    )


class OutsideHiddenSections(Expression):
    """True for a page outside every hidden section.

    The sections are looked up when the query is compiled, not when the queryset is built, so
    a queryset made early (a form field's choices) is never stale. Wagtail's paths are digits
    and capitals, so a prefix needs no escaping in LIKE.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, path: Expression | None = None) -> None:
        super().__init__()
        self.path = path if path is not None else F("path")

    def get_source_expressions(self) -> list[Expression]:
        return [self.path]

    def set_source_expressions(self, expressions: list[Expression]) -> None:
        (self.path,) = expressions

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        hidden = hidden_sections()
        if not hidden:
            return "1 = 1", []
        path_sql, path_params = compiler.compile(self.path)
        prefixes = " OR ".join(f"{path_sql} LIKE %s" for _ in hidden)
        params = [param for prefix in hidden for param in (*path_params, f"{prefix}%")]
        return f"NOT ({prefixes})", params


def hidden_sections() -> tuple[str, ...]:
    """The paths of the pages whose whole section the public may not see: a page with a view
    restriction, or an unpublished page with children (each covers its descendants)."""
    return for_this_request("hidden-sections:v1", find_hidden_sections)


def find_hidden_sections() -> tuple[str, ...]:
    paths = sorted(
        set(
            Page.objects.filter(
                Q(view_restrictions__isnull=False) | Q(live=False, numchild__gt=0)
            ).values_list("path", flat=True)
        )
    )
    outermost: list[str] = []
    for path in paths:  # sorted, so a section comes before the sections inside it
        if not (outermost and path.startswith(outermost[-1])):
            outermost.append(path)
    return tuple(outermost)


def active_locale_id() -> int | None:
    """The id of the request's Locale, read once per request (and content generation)."""
    language = active_content_language()
    return for_this_request(
        f"locale-id:v1:{language}",
        lambda: Locale.objects.filter(language_code=language).values_list("pk", flat=True).first(),
    )


def all_pages() -> SanctuaryPageQuerySet:
    """Every page (any type), with `visible_to_public()`."""
    return SanctuaryPageQuerySet(Page)
