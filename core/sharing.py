"""A page's picture as sharing sites and search engines read it: one crop, absolute addresses.

Sharing sites show a 1.91:1 picture (1200x630); Wagtail crops an editor's picture to it
(around its focal point). A page without a picture of its own (`social_image()` is None) is
shared with the site's default image, static/img/share-default.png, drawn from the logo.
"""

from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.translation import gettext
from wagtail.coreutils import resolve_model_string
from wagtail.images.models import SourceImageIOError

from core.cache import for_this_generation

SHARE_RENDITION = "fill-1200x630"
DEFAULT_SHARE_IMAGE = ("img/share-default.png", 1200, 630)
# The network's logo for search engines (schema.org `logo`): the mark, 512x512.
NETWORK_LOGO = "img/icon-512.png"


def rendition_facts(image) -> dict:
    rendition = image.get_rendition(SHARE_RENDITION)
    return {
        "url": rendition.url,
        "width": rendition.width,
        "height": rendition.height,
        "alt": image.default_alt_text,
    }


def shared_picture(request: HttpRequest, image) -> dict | None:
    """The picture's crop for sharing: its absolute URL (on the request's host), size and alt
    text; None without a picture. The rendition is looked up once per content generation,
    so a page's head costs at most one cache read for it."""
    if image is None:
        return None
    try:
        facts = for_this_generation(
            f"shared-picture:v1:{image.pk}:{SHARE_RENDITION}", lambda: rendition_facts(image)
        )
    except SourceImageIOError:  # the picture's file is missing: shared as if it had none
        return None
    return {**facts, "url": request.build_absolute_uri(facts["url"])}


def default_picture(request: HttpRequest, network_name: str) -> dict:
    """The site's default share image, for a page without a picture of its own."""
    path, width, height = DEFAULT_SHARE_IMAGE
    return {
        "url": request.build_absolute_uri(static(path)),
        "width": width,
        "height": height,
        "alt": gettext("The %(network)s logo: a roof sheltering a heart")
        % {"network": network_name},
    }


def organization(name: str, url: str, **facts) -> dict:
    """A schema.org Organization (the network, a group) with the facts it has."""
    data = {"@context": "https://schema.org", "@type": "Organization", "name": name, "url": url}
    data.update({key: value for key, value in facts.items() if value})
    return data


def network_settings_for(request: HttpRequest):
    """The network's settings: from the site chrome when it is cached, else looked up."""
    cached = getattr(request, "network_settings", None)
    if cached is not None:
        return cached
    return resolve_model_string("network.NetworkSettings").for_request(request)


def network_organization(request: HttpRequest, **facts) -> dict:
    """The network as a schema.org Organization: its name and home page (on the request's host)."""
    name = network_settings_for(request).network_name
    return organization(name, request.build_absolute_uri("/"), **facts)


def without_context(data: dict) -> dict:
    """A JSON-LD object to nest inside another (which carries the @context)."""
    return {key: value for key, value in data.items() if key != "@context"}
