"""Finding the page for a URL in two queries, however deep it lies, through Wagtail's `route()`.

Wagtail walks a URL one segment at a time: each page's `route()` loads the child with that slug
and then its specific page, and calls the child's `route()` with the rest: two queries a
level, so a group's achievement cost six before any content was read. Every page class here
keeps that contract (`TreeRouting.route`): each page still decides what its own segments
mean (a routable page's routes answer first, as `RoutablePageMixin.route` does) and hands the
rest to its child's `route()`. What changes is where the child comes from. The first page
asked (the site's root page) fetches, in one query, every page whose slug and depth match a
segment of the path (the slug is indexed), and the pages below find their children there.
Each child is handed on as `specific_deferred` (its own class, no query); the one page that
answers has its remaining fields loaded in one query (`refresh_from_db`).

The pages walked through are the served page's ancestors: they are left on the request for
its breadcrumbs (`page_ancestors`), which would cost a query more. Unlike Wagtail's walk, a page
under an unpublished one is not found: unpublishing a group page on its own hides its
achievements, updates and events too.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404, HttpRequest
from wagtail.models import Page

# Deeper than any page plus its sub-routes: such a path is walked one query a level instead,
# ending at the first segment that matches nothing, without building a long query.
MAX_PREFIX_SEGMENTS = 12


@dataclass
class Walk:
    """One request's walk down the tree from `start`, with the candidates fetched at once."""

    start: Page
    # (depth, slug) pairs the candidates were fetched for, below `start`.
    fetched: set[tuple[int, str]]
    children: dict[tuple[str, str], Page]
    trail: list[Page] = field(default_factory=list)

    @classmethod
    def begin(cls, start: Page, path_components: list[str]) -> "Walk":
        if len(path_components) > MAX_PREFIX_SEGMENTS:
            return cls(start, set(), {})
        fetched = {
            (start.depth + offset, slug) for offset, slug in enumerate(path_components, start=1)
        }
        at_depths = Q()
        for depth, slug in fetched:
            at_depths |= Q(depth=depth, slug=slug)
        # Whole Page rows (a few): `specific_deferred` copies every Page field, and would load
        # any deferred here with a query of its own.
        candidates = Page.objects.filter(at_depths, path__startswith=start.path)
        children = {(page.path[: -Page.steplen], page.slug): page for page in candidates}
        return cls(start, fetched, children)

    def covers(self, page: Page) -> bool:
        return page.path.startswith(self.start.path)

    def child(self, parent: Page, slug: str) -> Page | None:
        if self.covers(parent) and (parent.depth + 1, slug) in self.fetched:
            return self.children.get((parent.path, slug))
        # Not among the candidates fetched (a path routed twice, or a very deep one): ask.
        return parent.get_children().filter(slug=slug).first()


def walk_for(request: HttpRequest, page: Page, path_components: list[str]) -> Walk:
    walk = getattr(request, "page_walk", None)
    if walk is None or not walk.covers(page):
        walk = request.page_walk = Walk.begin(page, path_components)
    return walk


class TreeRouting:
    """For every page class: Wagtail's `route()`, finding the child among the walk's candidates."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        walk = walk_for(request, self, path_components)
        if not self.live and self.pk != walk.start.pk:
            raise Http404  # unpublished, and so is what lies beneath it (Wagtail would serve it)
        child = walk.child(self, path_components[0])
        if child is None:
            raise Http404
        walk.trail.append(self)
        result = child.specific_deferred.route(request, path_components[1:])
        served = result.page
        if deferred := served.get_deferred_fields():
            served.refresh_from_db(fields=deferred)  # the page that answers: all its fields
        return result


def page_ancestors(page: Page, request=None) -> list[Page]:
    """The pages above this one, from the site's home page down, for its breadcrumbs.

    Routing walked them to reach the page served; any other page (a preview, a page listed
    from a view) asks the tree.
    """
    walk = getattr(request, "page_walk", None)
    if walk is not None and walk.start.depth == 2:
        walked = [
            ancestor
            for ancestor in walk.trail
            if page.path.startswith(ancestor.path) and ancestor.depth < page.depth
        ]
        if len(walked) == page.depth - walk.start.depth:
            return walked
    return list(page.get_ancestors()[1:])
