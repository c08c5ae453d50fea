"""The language switcher and the `hreflang` alternates every page carries (network/translations.py)."""

from django import template
from django.utils.translation import get_language

from network.translations import alternates_for, language_tag

register = template.Library()


@register.simple_tag
def html_lang() -> str:
    """The `lang` of the page: the language the request is in, as a BCP 47 tag ("en-GB", "cy")."""
    return language_tag(get_language())


@register.simple_tag(takes_context=True)
def page_alternates(context) -> list:
    """The current address in every language, worked out once per render."""
    request = context.get("request")
    if request is None:
        return []
    cached = getattr(request, "language_alternates", None)
    if cached is None:
        page = context.get("page")
        cached = request.language_alternates = alternates_for(request, page)
    return cached
