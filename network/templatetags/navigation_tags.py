from django import template
from wagtail.models import Page, Site

from core.routing import page_ancestors
from network.chrome import main_menu

register = template.Library()


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
