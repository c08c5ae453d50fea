"""/sitemap.xml: Wagtail's sitemap, listing only the pages the public may see, in English and Welsh.

Wagtail's own lists live pages without a view restriction, but keeps the live pages under an
unpublished one (a group page unpublished on its own, with its achievements and updates).
"""

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from core.query import visible_in_every_language


class PublicPagesSitemap(Sitemap):
    """Every public page in every language: the site's home page and its translations (the
    Welsh home page is its sibling, /cy/) with what lies below them."""

    def items(self):
        homes = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        below_a_home = Q()
        for path in homes.values_list("path", flat=True):
            below_a_home |= Q(path__startswith=path)
        pages = Page.objects.filter(below_a_home, alias_of__isnull=True)
        return visible_in_every_language(pages).order_by("path").defer_streamfields().specific()
