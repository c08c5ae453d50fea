from django import template
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, Site

from core.cache import for_this_request
from core.query import active_content_language
from core.routing import page_ancestors
from network.chrome import main_menu

register = template.Library()


@register.simple_tag(takes_context=True)
def section_url(context, path: str) -> str:
    """`{% section_url "/groups/" %}`: a section of the site (its English address) in the
    request's language: the section page's live translation at /cy/..., else the English
    address itself. Looked up once per content generation."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    language = active_content_language()
    if site is None or language == get_supported_content_language_variant(settings.LANGUAGE_CODE):
        return path  # the sections' own language (no query)

    def translated() -> str:
        english = Page.objects.filter(
            url_path=site.root_page.url_path + path.strip("/") + "/",
            locale_id=site.root_page.locale_id,
        ).first()
        translation = (
            english.get_translation_or_none(site.root_page.localized.locale) if english else None
        )
        return translation.url if translation is not None and translation.live else path

    return for_this_request(f"section-url:v1:{site.pk}:{language}:{path}", translated)


@register.inclusion_tag("includes/main_navigation.html", takes_context=True)
def main_navigation(context) -> dict:
    """The home page's children marked 'show in menus', in tree order."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    current = context.get("page")
    return {"items": menu_pages(context), "current": current, "request": request, "site": site}


@register.simple_tag(takes_context=True)
def menu_pages(context) -> list[Page]:
    """The menu's pages in the request's language: the site chrome's (network.chrome), else
    looked up. The header and the footer link the same sections."""
    request = context.get("request")
    items = getattr(request, "site_menu", None)
    if items is None:
        site = Site.find_for_request(request) if request else None
        items = main_menu(site) if site is not None else []
        if request is not None:
            request.site_menu = items  # looked up once for the header and the footer
    return items


@register.simple_tag
def page_url(page: Page, request=None) -> str:
    return page.get_url(request=request) or ""


@register.simple_tag(takes_context=True)
def breadcrumb_ancestors(context, page: Page) -> list[Page]:
    return page_ancestors(page, context.get("request"))
