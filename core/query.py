"""Page querysets that check view restrictions inside the query itself.

Wagtail's `PageQuerySet.public()` first loads every view restriction in a query of its own,
on every call; a page that lists updates, achievements and events paid that several times per
request. Here the same rule (a page is private if it or an ancestor has a restriction) is a
NOT EXISTS subquery (`visible_to_public()`), which costs no extra query. Wagtail's own
`public()` is left as it is: the project's listings do not call it.

What the public may see in any list built from several pages (letters, cards, the directory,
feeds, calendars, the sitemap, search, the API) is `visible_to_public()`: live, not private,
and under no unpublished page. Wagtail unpublishes a page's children only when asked, so a
group page unpublished on its own leaves its achievements, updates and events live beneath it.
"""

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

# The fields a card or list item of a page reads (for `.only()`): its title and what its link is
# built from, then what each kind of item shows. Page rows are wide, and bodies are JSON to parse.
CARD_FIELDS = ("title", "url_path", "path", "depth")
ACHIEVEMENT_ITEM_FIELDS = ("kind", "date_achieved", "summary", "count", "count_label", "expires_on")
UPDATE_ITEM_FIELDS = ("date", "introduction")
EVENT_CARD_FIELDS = ("start", "end", "venue_name", "organiser")
GROUP_CARD_FIELDS = (*CARD_FIELDS, "kind", "region", "introduction")


def restriction_covering_q() -> Q:
    """A restriction on the page itself or on an ancestor: its path is a prefix of ours."""
    restrictions = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return Q(Exists(restrictions))


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


def visible_to_public(pages: PageQuerySet) -> PageQuerySet:
    """Any page queryset (Wagtail's own too), narrowed to what the public may see.

    The one definition every public listing uses; no query of its own (two NOT EXISTS clauses).
    """
    return (
        pages.filter(live=True).exclude(unpublished_ancestor_q()).exclude(restriction_covering_q())
    )


def visible_to_public_for_search(pages: PageQuerySet) -> PageQuerySet:
    """The same rule, for a queryset to be searched.

    Search backends filter only on indexed fields, never on a subquery; so, as Wagtail's own
    `public()` does, the private and unpublished sections are found first (one query) and
    excluded by path, which is indexed for search.
    """
    sections = Page.objects.filter(
        Q(view_restrictions__isnull=False) | Q(live=False, numchild__gt=0)
    ).values_list("path", flat=True)
    hidden = [Q(path__startswith=path) for path in set(sections)]
    visible = pages.filter(live=True)
    return visible.exclude(reduce(or_, hidden)) if hidden else visible


def all_pages() -> SanctuaryPageQuerySet:
    """Every page (any type), with `visible_to_public()`."""
    return SanctuaryPageQuerySet(Page)
