"""What search engines and shared links read from a page's <head>: the description, the
canonical address, OpenGraph and Twitter card tags, and schema.org JSON-LD.

Every absolute address here is built from the request's own scheme and host (only hosts in
ALLOWED_HOSTS reach a view, and the page cache keys each answer by scheme and host), so a
page served at http://127.0.0.1:8000 links there, not to the Site record's hostname.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from core.sharing import default_picture, shared_picture

register = template.Library()

# The escapes Django's json_script uses, so editor text such as "</script>" stays inside the
# JSON-LD element; json_script itself cannot be used because it fixes type="application/json".
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

OPENGRAPH_LOCALES = {"en-gb": "en_GB", "cy": "cy_GB"}


@register.simple_tag
def json_ld(data: dict) -> SafeString:
    """A <script type="application/ld+json"> element that editor text cannot break out of."""
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


class CaptureNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        # Rendered (and escaped) like any template output, so it is safe as it stands.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token) -> CaptureNode:
    """`{% capture as name %}...{% endcapture %}`: render once, use twice (the page's title in
    <title> and in og:title, from the one `{% block title %}` templates override)."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


def default_description() -> str:
    return gettext(
        "A network of local groups across the UK building a culture of welcome for people "
        "seeking sanctuary in their cities, towns and communities."
    )


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def share_meta(context, title: str = "", alternates=()) -> dict:
    """Description, canonical address, OpenGraph and Twitter card tags for the page."""
    request = context.get("request")
    if request is None:
        return {"skip": True}
    page = context.get("page")
    social_image = getattr(page, "social_image", None)
    network_name = context["network_settings"].network_name
    description = ""
    if page is not None and hasattr(page, "share_description"):
        description = page.share_description()
    description = description or default_description()
    # The address without its query: a filtered directory or a search is the same page.
    canonical = request.build_absolute_uri(request.path)
    language = get_language()
    picture = shared_picture(request, social_image() if callable(social_image) else None)
    if picture is not None and getattr(page, "picture_alt", ""):
        picture["alt"] = page.picture_alt  # the alt text written for this page, if it has one
    return {
        "title": title or network_name,
        "description": description,
        "canonical": canonical,
        "image": picture or default_picture(request, network_name),
        "type": getattr(page, "opengraph_type", "website"),
        "site_name": network_name,
        "locale": OPENGRAPH_LOCALES.get(language, language),
        "other_locales": [
            OPENGRAPH_LOCALES.get(alternate.code, alternate.code)
            for alternate in alternates
            if alternate.translated and alternate.code != language
        ],
        # Not a page to send search engines to: one that says so, or an error page (Django's
        # 404 and 403 views hand their template the `exception`).
        "indexable": not context.get("no_index") and "exception" not in context,
        "twitter_card": "summary_large_image",
    }
