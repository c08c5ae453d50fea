from django import template
from wagtail.models import Page, Site

from network.query import all_pages

register = template.Library()


@register.inclusion_tag("includes/main_navigation.html", takes_context=True)
def main_navigation(context) -> dict:
    """The home page's children marked 'show in menus', in tree order."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    if site is not None:
        items = list(
            all_pages().child_of(site.root_page).live().public().in_menu().only("title", "url_path")
        )
    current = context.get("page")
    return {"items": items, "current": current, "request": request, "site": site}


@register.simple_tag
def page_url(page: Page, request=None) -> str:
    return page.get_url(request=request) or ""
