"""/sitemap.xml: Wagtail's sitemap, listing only the pages the public may see.

Wagtail's own lists live pages without a view restriction, but keeps the live pages under an
unpublished one (a group page unpublished on its own, with its achievements and updates).
"""

from wagtail.contrib.sitemaps import Sitemap

from core.query import visible_to_public


class PublicPagesSitemap(Sitemap):
    def items(self):
        pages = self.get_wagtail_site().root_page.get_descendants(inclusive=True)
        return visible_to_public(pages).order_by("path").defer_streamfields().specific()
