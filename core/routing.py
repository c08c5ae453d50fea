"""Finding the page for a URL in two queries, however deep it lies.

Wagtail walks a URL one segment at a time: for each it loads the child with that slug and then
its specific page, two queries a level, so a group's event cost seven before any content was
read. The site's root page here fetches, in one query, the pages whose slug and depth match a
segment of the request path (the slug is indexed), walks them in the same order Wagtail would, and loads only the last one's
specific page. A routable page on the way (the directory's achievements list, a group's feed, a
letter's constituency previews) still answers first for the paths its own routes match, exactly
as `RoutablePageMixin.route` does. The pages walked through are the served page's ancestors:
they are left on the request for its breadcrumbs (`page_ancestors`), which cost a query more.
Unlike Wagtail's walk, a page under an unpublished one is not found: unpublishing a group page
on its own hides its achievements, updates and events too.
"""

from django.db.models import Q
from django.http import Http404
from django.urls import Resolver404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

# Deeper than any page plus its sub-routes: such a path is walked the usual way and ends at the
# first segment that matches nothing, without building a long query.
MAX_PREFIX_SEGMENTS = 12


def claims_path(page: Page, components: list[str]) -> bool:
    """Whether a live routable page answers these remaining segments with a route of its own."""
    page_class = page.specific_class
    if not page.live or page_class is None or not issubclass(page_class, RoutablePageMixin):
        return False
    try:
        page_class.get_resolver().resolve("/" + "".join(f"{part}/" for part in components))
    except Resolver404:
        return False
    return True


class PrefixRouteMixin:
    """For the site's root page: route a request to a descendant without a query per segment."""

    def route(self, request, path_components):
        if not path_components or len(path_components) > MAX_PREFIX_SEGMENTS:
            return super().route(request, path_components)
        # Each segment is a slug at its depth; the slug index finds the few candidates.
        at_depths = Q()
        for offset, slug in enumerate(path_components, start=1):
            at_depths |= Q(depth=self.depth + offset, slug=slug)
        children = {
            (page.path[: -Page.steplen], page.slug): page
            for page in Page.objects.filter(at_depths, path__startswith=self.path).only(
                # What routing reads, and what a breadcrumb shows.
                "path",
                "depth",
                "slug",
                "live",
                "content_type_id",
                "title",
                "url_path",
            )
        }
        trail = [self]
        current = self
        for depth, slug in enumerate(path_components):
            if current is not self and not current.live:
                # Unpublished, and so is what lies beneath it (Wagtail would serve it).
                raise Http404
            if current is not self and claims_path(current, path_components[depth:]):
                return self.serve_walked(request, trail[:-1], current, path_components[depth:])
            current = children.get((current.path, slug))
            if current is None:
                raise Http404
            trail.append(current)
        return self.serve_walked(request, trail[:-1], current, [])

    def serve_walked(self, request, ancestors: list[Page], page: Page, remaining: list[str]):
        request.route_ancestors = (page.pk, ancestors)
        return page.specific.route(request, remaining)


def page_ancestors(page: Page, request=None) -> list[Page]:
    """The pages above this one, from the site's home page down, for its breadcrumbs.

    Routing walked them to reach the page served; any other page (a preview, a page listed
    from a view) asks the tree.
    """
    walked = getattr(request, "route_ancestors", None)
    if walked is not None and walked[0] == page.pk:
        return walked[1]
    return list(page.get_ancestors()[1:])
