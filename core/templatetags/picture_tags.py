"""`{% page_picture page "card" %}`: a pictured page's picture at one of core.pictures' sizes."""

from django import template

from core import pictures

register = template.Library()


@register.simple_tag
def page_picture(page, size: str = "card", eager: bool = False):
    """The picture (or nothing, for a page without one). `eager=True` for the page's one hero
    picture above the fold; every other picture loads lazily."""
    return pictures.picture(page, size, eager=eager) or ""
