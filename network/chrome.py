"""What every page draws around its content: the network settings and the main menu.

The network settings, the main menu and the newest letter campaign (which every group page links
its constituencies to) give the same answers until an editor changes something. They are kept
in the cache for the current content generation (core.cache), so the purge that renews the page
cache renews them too: a page rendered for anyone, visitor or editor, draws current chrome. The
admin looks everything up itself.

They are handed to the page as the project's own request attributes (`request.network_settings`,
`request.site_menu`, `request.letter_campaign`), which templates read through
`network.context_processors`; Wagtail's lookups (the Site for the host, its root page, the
sites' root paths, which Wagtail keeps in Django's cache itself) stay Wagtail's.
"""

import zlib
from dataclasses import dataclass, fields

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from wagtail.models import Page, Site

from core.cache import BYPASS_PREFIXES, for_this_generation
from core.query import all_pages


@dataclass
class SiteChrome:
    network_settings: object
    menu: list[Page]
    # The newest letter campaign, which every group page links its constituencies to.
    letter_campaign: Page | None


# Cached chrome of an older shape (after a deploy) is never read back as this one.
CHROME_KEY_VERSION = zlib.crc32(",".join(field.name for field in fields(SiteChrome)).encode())


def main_menu(site: Site) -> list[Page]:
    """The home page's children marked 'show in menus', in tree order, in the language the
    request is in (the Welsh home page's children at /cy/, `localized` is Wagtail's)."""
    return list(
        all_pages()
        .child_of(site.root_page.localized)
        .visible_to_public()
        .in_menu()
        .only("title", "url_path", "locale")
    )


def build_chrome(request: HttpRequest) -> SiteChrome | None:
    from groups.models import current_letter_campaign
    from network.models import NetworkSettings

    site = Site.find_for_request(request)
    if site is None:
        return None
    return SiteChrome(
        NetworkSettings.for_site(site),
        main_menu(site),
        letter_campaign=current_letter_campaign(),
    )


def apply_chrome(request: HttpRequest, chrome: SiteChrome) -> None:
    """Put the chrome on the request, under the project's own names."""
    request.network_settings = chrome.network_settings
    request.site_menu = chrome.menu
    request.letter_campaign = chrome.letter_campaign


class SiteChromeMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SITE_CHROME_CACHE_ENABLED and not request.path.startswith(BYPASS_PREFIXES):
            # The host was checked against ALLOWED_HOSTS by CommonMiddleware before this runs.
            # The menu is the home page's in the request's language (set by LocaleMiddleware).
            key = (
                f"site-chrome:{CHROME_KEY_VERSION}:{get_language()}:"
                f"{request.get_host()}:{request.get_port()}"
            )
            chrome = for_this_generation(key, lambda: build_chrome(request))
            if chrome is not None:
                apply_chrome(request, chrome)
        return self.get_response(request)
