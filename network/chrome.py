"""What every page draws around its content: the site, its root page, its settings and its menu.

Finding the Site for the host, loading the home page, the network settings and the main menu
cost every page four queries that give the same answers until an editor changes something.
They are kept in the cache for the current content generation (core.cache), so the purge
that renews the page cache renews them too: a page rendered for anyone, visitor or editor,
draws current chrome. The admin looks everything up itself. With them go the sites' root paths
that page URLs are built from (Wagtail reads them from the cache on every request), the newest
letter campaign that group pages link to, and whether any page on the site has a view
restriction: while none has, pages skip the restriction checks
(core.query.no_view_restrictions).
"""

import zlib
from dataclasses import dataclass, fields

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from wagtail.models import Page, PageViewRestriction, Site

from core.cache import BYPASS_PREFIXES, for_this_generation
from core.query import all_pages, no_view_restrictions


@dataclass
class SiteChrome:
    site: Site
    network_settings: object
    menu: list[Page]
    has_view_restrictions: bool
    # Where each site's pages live, for their URLs (Wagtail keeps this in the cache too).
    site_root_paths: list
    # The newest letter campaign, which every group page links its constituencies to.
    letter_campaign: Page | None


# Cached chrome of an older shape (after a deploy) is never read back as this one.
CHROME_KEY_VERSION = zlib.crc32(",".join(field.name for field in fields(SiteChrome)).encode())


def main_menu(site: Site) -> list[Page]:
    """The home page's children marked 'show in menus', in tree order."""
    return list(
        all_pages().child_of(site.root_page).visible_to_public().in_menu().only("title", "url_path")
    )


def build_chrome(request: HttpRequest) -> SiteChrome | None:
    from groups.models import current_letter_campaign
    from network.models import NetworkSettings

    site = Site.find_for_request(request)
    if site is None:
        return None
    site.root_page = site.root_page.specific
    return SiteChrome(
        site,
        NetworkSettings.for_site(site),
        main_menu(site),
        has_view_restrictions=PageViewRestriction.objects.exists(),
        site_root_paths=Site.get_site_root_paths(),
        letter_campaign=current_letter_campaign(),
    )


def apply_chrome(request: HttpRequest, chrome: SiteChrome) -> None:
    """Hand the chrome to Wagtail the way it caches its own lookups on the request."""
    from network.models import NetworkSettings

    request._wagtail_site = chrome.site
    chrome.network_settings._request = request
    setattr(request, NetworkSettings.get_cache_attr_name(), chrome.network_settings)
    request.site_menu = chrome.menu
    request._wagtail_cached_site_root_paths = chrome.site_root_paths
    request.letter_campaign = chrome.letter_campaign


class SiteChromeMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SITE_CHROME_CACHE_ENABLED and not request.path.startswith(BYPASS_PREFIXES):
            # The host was checked against ALLOWED_HOSTS by CommonMiddleware before this runs.
            key = f"site-chrome:{CHROME_KEY_VERSION}:{request.get_host()}:{request.get_port()}"
            chrome = for_this_generation(key, lambda: build_chrome(request))
            if chrome is not None:
                apply_chrome(request, chrome)
                with no_view_restrictions(not chrome.has_view_restrictions):
                    return self.get_response(request)
        return self.get_response(request)
